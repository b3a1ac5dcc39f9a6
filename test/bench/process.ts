import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A server running in a child process. */
export interface Child {
  /** The `http://HOST:PORT` it printed. */
  url: string;
  /** Its process id. */
  pid: number;
  stop(): Promise<void>;
}

/** Children still running: killed if the bench exits early (its watchdog, an uncaught error). */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/** How long a child may take to print its `listening on` line. */
const START_TIMEOUT_MS = 15_000;

/**
 * Starts `node script ...args` and waits for its `listening on URL` line. Rejects with the
 * child's own error output when it exits first, e.g. on a flag it does not know.
 */
export async function startChild(script: string, args: string[]): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${script} exited with code ${code}: ${stderr.trim()}`)));
      child.once('error', reject);
      timer = setTimeout(() => reject(new Error(`${script} printed no listening line in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      lines.on('line', (line) => {
        const m = /^listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]);
      });
    });
    return {
      url,
      pid: child.pid!,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      },
    };
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
