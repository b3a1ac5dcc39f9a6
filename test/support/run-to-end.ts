import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** What a program run to its end left: its exit code and everything it wrote. */
export interface Ended {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the Node script `script` with `args` and resolves once every holder of its stdout and
 * stderr has closed them (`close`, not `exit`: a child process it left behind would still be
 * writing), with its exit code and all it wrote.
 */
export async function runToEnd(script: string, args: readonly string[]): Promise<Ended> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, out, err };
}
