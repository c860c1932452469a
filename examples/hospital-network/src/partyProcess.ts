/** Starts a party's app (`party.ts`) in a Node process of its own and talks to it over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromParty, PartyCommand, PartyInit, Role } from './protocol.js';

/** A party's running process. */
export interface PartyProcess {
  readonly role: Role;
  /** The process id (a different one for each party). */
  readonly pid: number;
  /** Asks the party to do something and waits for its answer; a failure comes back as an `Error` named as the party's. */
  call<T>(command: PartyCommand): Promise<T>;
  /** Ends the process (its storage is closed first). Idempotent. */
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('party.ts', import.meta.url));

/** Forks `party.ts` (through tsx, resolving the workspace packages from source) and starts the party in it. */
export async function startParty(init: PartyInit): Promise<PartyProcess> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx', '--conditions=@mhrchain/source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: FromParty) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
  });
  child.once('exit', (code, signal) => {
    for (const pending of waiting.values())
      pending.reject(new Error(`the ${init.role}'s process exited (${signal ?? `code ${code}`})`));
    waiting.clear();
  });
  const send = <T>(message: object): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, ...message });
    });

  const party: PartyProcess = {
    role: init.role,
    pid: child.pid!,
    call: (command) => send(command),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await send({ action: 'init', init });
  } catch (error) {
    await party.stop();
    throw error;
  }
  return party;
}
