/**
 * A patient, a doctor and a colleague in separate processes over three Kubo IPFS nodes and a local chain.
 * Run: `./pnpmw --filter @mhrchain/example-hospital-network start` (builds Kubo once from the Go module proxy: needs Go).
 * `--json` prints the outcome as one JSON line at the end.
 */
import { runHospitalNetwork } from './hospitalNetwork.js';

const report = await runHospitalNetwork();
if (process.argv.includes('--json')) console.log(JSON.stringify(report));
