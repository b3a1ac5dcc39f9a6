import { startInstance } from './instance.js';

/** A widget server process (`node dist/server/main.js`) that a test can kill and bring back. */
export interface WidgetServer {
  /** `http://<host>:<port>` (`widget.test` unless told): its own origin in the browser. */
  url: string;
  port: number;
  /** Kills the process at once, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/**
 * Starts a widget server on a free port. With `publicUrl`, it runs as production does,
 * with `--public-url http://<host>:<port>` (baked into the bundle it serves); the port
 * is found by a first start, then the server is started again on it with the flag. `host`
 * is the name browsers reach it by: `widget.test` where Chromium maps names to loopback,
 * `127.0.0.1` in engines that cannot map names (test/engines/).
 */
export async function startWidgetServer({ publicUrl = false, host = 'widget.test' } = {}): Promise<WidgetServer> {
  // No rate limit: one worker's tests make well over a minute's budget of calls (the
  // 10,000-call leak check alone); the limiter has its own tests in test/server.
  let instance = await startInstance(['--rate-limit', '0']);
  if (publicUrl) {
    await instance.kill();
    instance = await startInstance(['--rate-limit', '0', '--public-url', `http://${host}:${instance.port}`], instance.port);
  }
  return {
    url: `http://${host}:${instance.port}`,
    port: instance.port,
    kill: () => instance.kill(),
    async restart() {
      await instance.kill();
      instance = await instance.restart();
    },
  };
}

/** The server's manifest: the versioned bundle's path and its SRI hash, read over loopback. */
export async function manifest(server: Pick<WidgetServer, 'port'>): Promise<{ bundle: string; integrity: string }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/v1/manifest.json`);
  if (!res.ok) throw new Error(`manifest: HTTP ${res.status}`);
  return (await res.json()) as { bundle: string; integrity: string };
}
