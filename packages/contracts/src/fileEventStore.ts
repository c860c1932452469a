import { mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EventIndexError } from './chainErrors.js';
import { applyChange, type EventIndexState, type EventIndexStore, type IndexedLog } from './eventIndexStore.js';

/** Parameters of {@link createFileEventStore}. */
export interface CreateFileEventStoreParameters {
  /** The file that holds the index (created with its folder when missing). */
  path: string;
  /** Rewrite the file as one snapshot when it has more lines than this at load. Default: 1,000. */
  compactAfter?: number;
}

type PackedLog = [string, readonly string[], string, number, string, number, string, number];

const pack = (log: IndexedLog): PackedLog => [
  log.address,
  log.topics,
  log.data,
  log.blockNumber,
  log.blockHash,
  log.index,
  log.transactionHash,
  log.transactionIndex,
];

const unpack = ([
  address,
  topics,
  data,
  blockNumber,
  blockHash,
  index,
  transactionHash,
  transactionIndex,
]: PackedLog) => ({
  address,
  topics,
  data,
  blockNumber,
  blockHash,
  index,
  transactionHash,
  transactionIndex,
});

/** One line of the file: one committed change. */
interface Line {
  r?: number;
  l: PackedLog[];
  s: EventIndexState;
}

async function writeDurably(path: string, text: string, flag: 'a' | 'w'): Promise<void> {
  const handle = await open(path, flag);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * An event index store in a file (Node): each commit appends one line and flushes it to disk, so a crash leaves every
 * whole commit and at most a torn last line, which the next load drops. The file is rewritten as one snapshot (a
 * temporary file renamed over it) when it grows past `compactAfter` lines.
 *
 * @throws `EventIndexError` from `load` when a line before the last cannot be read (the file was damaged).
 * @example
 * ```ts
 * import { createEventIndex } from '@mhrchain/contracts';
 * import { createFileEventStore } from '@mhrchain/contracts/node';
 * import { JsonRpcProvider } from 'ethers';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * const store = createFileEventStore({ path: './mhr-data/events.jsonl' });
 * // const index = createEventIndex({ provider, address: Object.values(chain.addresses), store });
 * ```
 */
export function createFileEventStore(parameters: CreateFileEventStoreParameters): EventIndexStore {
  const { path } = parameters;
  const compactAfter = parameters.compactAfter ?? 1_000;
  let ready = false;

  const load = async (): Promise<{ state: EventIndexState; logs: IndexedLog[] } | undefined> => {
    await mkdir(dirname(path), { recursive: true });
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      ready = true;
      return undefined;
    }
    const end = text.lastIndexOf('\n') + 1;
    // A torn last line (a crash during its write) never committed: cut it off before appending more.
    if (end < text.length) await truncate(path, Buffer.byteLength(text.slice(0, end)));
    const lines = text.slice(0, end).split('\n').filter(Boolean);
    const logs: IndexedLog[] = [];
    let state: EventIndexState | undefined;
    lines.forEach((raw, i) => {
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch (cause) {
        throw new EventIndexError('The event index file is damaged.', { cause, details: `${path}, line ${i + 1}` });
      }
      applyChange(logs, { rewindTo: line.r, logs: line.l.map(unpack) });
      state = line.s;
    });
    if (lines.length > compactAfter && state) {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeDurably(temporary, `${JSON.stringify({ l: logs.map(pack), s: state } satisfies Line)}\n`, 'w');
      await rename(temporary, path);
    }
    ready = true;
    return state ? { state, logs } : undefined;
  };

  return {
    load,
    async commit(change) {
      if (!ready) await load();
      const line: Line = { l: change.logs.map(pack), s: change.state };
      if (change.rewindTo !== undefined) line.r = change.rewindTo;
      await writeDurably(path, `${JSON.stringify(line)}\n`, 'a');
    },
  };
}
