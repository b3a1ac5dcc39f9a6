import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { builtPath } from './built.js';

/** The processes `npm start` runs, started for a test on free ports under `*.test` names. */
export interface Demo {
  /** Name → URL, as printed by `npm start`: `widget server`, `news`, `shop`, `iframe`, `frame`. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

const START = builtPath('sites/start.js');

/** Runs the built `dist/sites/start.js` with `args` and waits for its `ready` line. */
export async function startDemo(args: string[] = []): Promise<Demo> {
  const child: ChildProcess = spawn(process.execPath, [START, '--port', '0', '--sites-port', '0', '--domain', 'test', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`demo exited early with code ${code}`)));
    lines.on('line', (line) => {
      const m = /^ {2}(.+?)\s{2,}(http\S+)$/.exec(line);
      if (m) urls[m[1]] = m[2].replace(/\/$/, '');
      if (line === 'ready') resolve();
    });
  });
  return {
    urls,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
