import { startInstance } from './instance.js';

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

/**
 * Starts a widget server on a free port. With `publicUrl`, it runs as production does,
 * with `--public-url http://widget.test:<port>` (baked into the bundle it serves); the port
 * is found by a first start, then the server is started again on it with the flag.
 */
export async function startWidgetServer({ publicUrl = false } = {}): Promise<WidgetServer> {
  // No rate limit: one worker's tests make well over a minute's budget of calls (the
  // 10,000-call leak check alone); the limiter has its own tests in test/server.
  let instance = await startInstance(['--rate-limit', '0']);
  if (publicUrl) {
    await instance.kill();
    instance = await startInstance(['--rate-limit', '0', '--public-url', `http://widget.test:${instance.port}`], instance.port);
  }
  return {
    url: `http://widget.test:${instance.port}`,
    port: instance.port,
    kill: () => instance.kill(),
    async restart() {
      await instance.kill();
      instance = await instance.restart();
    },
  };
}
