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

/** Starts a widget server on a free port. */
export async function startWidgetServer(): Promise<WidgetServer> {
  // No rate limit: one worker's tests make well over a minute's budget of calls (the
  // 10,000-call leak check alone); the limiter has its own tests in test/server.
  let instance = await startInstance(['--rate-limit', '0']);
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
