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
  /** The JSON records it printed on stderr so far (errors, outages, lifecycle). */
  errorLog(): Record<string, unknown>[];
  /** Its `/metrics` URL when started with `--metrics-port`, else `null`. */
  metricsUrl: string | null;
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
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: Record<string, unknown>[] = [];
  // Still shown as before (inherited), and kept for tests that check what was logged.
  createInterface({ input: child.stderr! }).on('line', (line) => {
    process.stderr.write(line + '\n');
    if (!line.startsWith('{')) return;
    try {
      errors.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Not one of our records (a stack trace line, say): shown above, not kept.
    }
  });
  const lines = createInterface({ input: child.stdout! });
  // The metrics listener announces itself on its own line, before or after the serving one.
  const wantsMetrics = args.some((a) => a.startsWith('--metrics-port'));
  let metricsUrl: string | null = null;
  const url = await new Promise<string>((resolve, reject) => {
    let serving: string | null = null;
    child.once('exit', (code) => reject(new Error(`crossclock instance exited early with code ${code}`)));
    lines.on('line', (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) serving = m[1];
      const mm = /^metrics on (http:\/\/\S+)$/.exec(line);
      if (mm) metricsUrl = mm[1];
      if (serving && (!wantsMetrics || metricsUrl)) resolve(serving);
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
    errorLog: () => errors,
    metricsUrl,
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
