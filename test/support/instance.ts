import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { builtPath } from './built.js';

const MAIN = builtPath('server/main.js');

/** One `node dist/server/main.js` process on loopback. */
export interface Instance {
  /** `127.0.0.1:PORT`, as nginx's `$upstream_addr` names it. */
  address: string;
  port: number;
  url: string;
  /** The JSON records the instance printed on stdout so far (its `--access-log`). */
  accessLog(): Record<string, unknown>[];
  /** Sends SIGTERM (graceful shutdown) and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL: the instance dies with whatever it had in flight. */
  kill(): Promise<void>;
  /** Starts a new process with the same flags on the same port. */
  restart(): Promise<Instance>;
}

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/**
 * Starts the built server (or the `main` script of another build) with `args` on `port`
 * (0: any free port) and resolves once it prints its `listening on` line.
 */
export async function startInstance(args: readonly string[] = [], port = 0, main = MAIN): Promise<Instance> {
  const child = spawn(process.execPath, [main, '--host', '127.0.0.1', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`crossclock instance exited early with code ${code}`)));
    lines.on('line', (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) resolve(m[1]);
    });
  });
  const records: Record<string, unknown>[] = [];
  lines.on('line', (line) => {
    if (line.startsWith('{')) records.push(JSON.parse(line) as Record<string, unknown>);
  });
  const address = url.slice('http://'.length);
  const actualPort = Number(address.split(':')[1]);
  return {
    address,
    port: actualPort,
    url,
    accessLog: () => records,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited(child);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited(child);
    },
    restart: () => startInstance(args, actualPort, main),
  };
}

/** Starts `count` instances with the same flags. */
export function startInstances(count: number, args: readonly string[] = []): Promise<Instance[]> {
  return Promise.all(Array.from({ length: count }, () => startInstance(args)));
}
