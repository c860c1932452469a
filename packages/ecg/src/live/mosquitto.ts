import { MosquittoStartError } from './errors.js';

/** Options of {@link startMosquitto}. */
export interface StartMosquittoOptions {
  /** Path of the broker binary. Default: `$MOSQUITTO_BINARY`, else `/usr/sbin/mosquitto`. */
  readonly binary?: string;
  /** Loopback port to listen on. Default: a free one. */
  readonly port?: number;
  /** Milliseconds to wait for the broker to accept connections. Default: 10,000. */
  readonly timeoutMs?: number;
  /** Extra `mosquitto.conf` lines (for instance `max_queued_messages 100000`). */
  readonly config?: readonly string[];
  /**
   * Keep retained messages, persistent sessions (their subscriptions and the QoS 1 messages queued for them) and
   * in-flight messages across {@link MosquittoInstance.restart}: mosquitto's `persistence true`, saved to the
   * instance's temporary directory when the broker stops (SIGTERM) and read back when it starts. A broker killed
   * without warning (SIGKILL, power loss) saves nothing. Default: true.
   */
  readonly persistence?: boolean;
}

/** A running Mosquitto broker on 127.0.0.1. */
export interface MosquittoInstance {
  /** `mqtt://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Process id of the broker process now running (changes on restart). */
  readonly pid: number | undefined;
  /** The directory holding the configuration and, with persistence, the broker's database (`mosquitto.db`). */
  readonly directory: string;
  /**
   * Stops the broker (SIGTERM: with persistence, it saves its database) and starts it again on the same port from
   * the same directory, after `downtimeMs` (default 0). Every client is disconnected meanwhile.
   */
  restart(options?: { downtimeMs?: number }): Promise<void>;
  /** Stops the broker and removes its configuration directory. Idempotent. */
  stop(): Promise<void>;
}

interface ChildLike {
  pid?: number | undefined;
  exitCode: number | null;
  signalCode: string | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}

const running = new Set<ChildLike>();
let exitHookInstalled = false;

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts a Mosquitto MQTT broker (the Debian `mosquitto` package) on a free 127.0.0.1 port, from a generated
 * configuration in a temporary directory: anonymous clients, loopback only, no Nagle delay (`set_tcp_nodelay`),
 * persistence in that directory (saved when the broker stops, so {@link MosquittoInstance.restart} keeps sessions,
 * queued and retained messages). The broker is killed by `stop()`, and in any case when this Node process exits. Node
 * only; for tests, examples and benchmarks.
 *
 * @throws {@link MosquittoStartError} when the binary is missing or the broker does not start in time.
 * @example
 * ```ts
 * import { startMosquitto } from '@mhrchain/ecg/live';
 *
 * const broker = await startMosquitto();
 * console.log(broker.url); // mqtt://127.0.0.1:<port>
 * await broker.restart(); // every client is disconnected, then the broker is back on the same port
 * await broker.stop();
 * ```
 */
export async function startMosquitto(options: StartMosquittoOptions = {}): Promise<MosquittoInstance> {
  const { spawn } = await import('node:child_process');
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const binary = options.binary ?? process.env.MOSQUITTO_BINARY ?? '/usr/sbin/mosquitto';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const persistence = options.persistence ?? true;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  const directory = await mkdtemp(join(tmpdir(), 'mhr-mosquitto-'));
  let port = options.port ?? (await freePort());
  const configPath = join(directory, 'mosquitto.conf');
  const writeConfig = () =>
    writeFile(
      configPath,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        ...(persistence
          ? [
              'persistence true',
              `persistence_location ${directory}/`,
              'persistence_file mosquitto.db',
              // Saved when the broker stops (and on SIGUSR1), not periodically.
              'autosave_interval 0',
              // Started as root, mosquitto would drop to its own user, which cannot write in our 0700 directory.
              ...(process.getuid?.() === 0 ? ['user root'] : []),
            ]
          : ['persistence false']),
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        // Frames are small and latency-bound: no Nagle delay on the broker's sockets (with it, a burst of frames for
        // one subscriber waited for its delayed ACKs).
        'set_tcp_nodelay true',
        'max_inflight_messages 0',
        'max_queued_messages 100000',
        ...(options.config ?? []),
        '',
      ].join('\n'),
    );

  let child: ChildLike | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    await writeConfig();
    const process_ = spawn(binary, ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    process_.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    });
    running.add(process_);
    child = process_;
    let exitCode: number | null | undefined;
    let spawnError: Error | undefined;
    // 'close', not 'exit': it comes after stderr is drained, so an early exit's error holds mosquitto's last words.
    exited = new Promise<void>((resolve) => {
      process_.once('close', (code) => {
        exitCode = code;
        running.delete(process_);
        resolve();
      });
    });
    process_.once('error', (error) => {
      spawnError = error;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (spawnError) {
        const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        throw new MosquittoStartError(
          missing
            ? `mosquitto is not installed at ${binary}: install it (Debian: apt-get install mosquitto) or pass its path as \`binary\` or $MOSQUITTO_BINARY.`
            : `mosquitto could not be started from ${binary}.`,
          { cause: spawnError },
        );
      }
      if (exitCode !== undefined) {
        throw new MosquittoStartError(`mosquitto exited with code ${exitCode}.`, { details: output });
      }
      if (await canConnect(port)) return;
      if (Date.now() > deadline) {
        process_.kill('SIGKILL');
        throw new MosquittoStartError('mosquitto did not accept connections in time.', { details: output });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    current.kill('SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), persistence ? 10_000 : 2_000);
    await exited;
    clearTimeout(timer);
  };

  // A port found free may be taken before mosquitto binds it: try a few.
  for (let attempt = 0; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      await kill();
      if (options.port !== undefined || attempt >= 3 || !(error instanceof MosquittoStartError)) {
        await rm(directory, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    get url() {
      return `mqtt://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get pid() {
      return child?.pid;
    },
    directory,
    async restart(restartOptions) {
      if (stopping) throw new MosquittoStartError('The broker was stopped.');
      await kill();
      if (restartOptions?.downtimeMs) await new Promise((resolve) => setTimeout(resolve, restartOptions.downtimeMs));
      await launch();
    },
    stop() {
      stopping ??= (async () => {
        await kill();
        await rm(directory, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
