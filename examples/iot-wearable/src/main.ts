/**
 * Runs the IoT wearable scenario: `pnpm --filter @mhrchain/example-iot-wearable start -- --record 203 --speed 20`.
 */
import { parseArgs } from 'node:util';
import { runIotWearableDemo } from './demo.js';

const { values } = parseArgs({
  options: {
    record: { type: 'string', default: '101' },
    seconds: { type: 'string', default: '60' },
    speed: { type: 'string', default: '10' },
    segment: { type: 'string', default: '10' },
    'revoke-at': { type: 'string' },
  },
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
});

await runIotWearableDemo({
  record: values.record,
  seconds: Number(values.seconds),
  speed: Number(values.speed),
  segmentSeconds: Number(values.segment),
  ...(values['revoke-at'] !== undefined ? { revokeAt: Number(values['revoke-at']) } : {}),
});
process.exit(0);
