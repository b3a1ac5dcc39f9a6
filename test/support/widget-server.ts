import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A widget server process (`node dist/server/main.js`) that a test can kill and bring back. */
export interface WidgetServer {
  /** `http://widget.test:<port>`: its own origin in the browser. */
  url: string;
  port: number;
  /** Kills the process at once, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

async function spawnServer(port: number): Promise<{ child: ChildProcess; port: number }> {
  // The CLI rate-limits by default (issue 3); the widget tests make thousands of calls from one client.
  const child = spawn(process.execPath, [MAIN, '--port', String(port), '--host', '127.0.0.1', '--rate-limit', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const listening = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`widget server exited early with code ${code}`)));
    lines.on('line', (line) => {
      const m = /^listening on http:\/\/[^:]+:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
  });
  return { child, port: listening };
}

/** Starts a widget server on a free port. */
export async function startWidgetServer(): Promise<WidgetServer> {
  let { child, port } = await spawnServer(0);
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  };
  return {
    url: `http://widget.test:${port}`,
    port,
    kill,
    async restart() {
      await kill();
      ({ child } = await spawnServer(port));
    },
  };
}
