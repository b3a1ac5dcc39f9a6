import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Drain } from './health.js';

/** How a shutdown ended: every connection finished, or the bound ran out and they were cut. */
export type ShutdownResult = 'clean' | 'forced';

/** How long idle keep-alive sockets are left alone after shutdown starts (see below). */
export const IDLE_GRACE_MS = 1000;

/** After that grace, how often sockets owed nothing are closed again (docs/server.md states it). */
export const CLOSE_WAITING_EVERY_MS = 250;

/**
 * Stops `server` without failing a request it has accepted:
 * 1. `/readyz` answers 503, so a balancer polling it stops sending new work;
 * 2. the listening socket closes, so no new connection is accepted;
 * 3. every response from now on carries `Connection: close`, so a keep-alive client that
 *    sends one more request learns from its answer to open the next one elsewhere;
 * 4. after a short grace, sockets idle between requests are closed, and again every
 *    250 ms for sockets whose last in-flight request has just finished (`closeWaiting`
 *    decides which: by default Node's idle ones; `guardConnections` also closes those
 *    still trickling the headers of a request, which we owe nothing);
 * 5. after `timeout` ms whatever is left is cut and the result is `forced`.
 * Closing idle sockets at once (what `server.close()` does since Node 19) would race a
 * client writing its next request on that socket at the same moment: it would see a reset.
 */
export function gracefulShutdown(
  server: Server,
  drain: Drain,
  timeout: number,
  closeWaiting: () => void = () => server.closeIdleConnections(),
): Promise<ShutdownResult> {
  drain.draining = true;
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (result: ShutdownResult) => {
      for (const t of timers) clearTimeout(t);
      resolve(result);
    };
    // net.Server's close stops accepting but, unlike http.Server's, leaves idle sockets to us.
    NetServer.prototype.close.call(server, () => finish('clean'));
    const grace = Math.min(IDLE_GRACE_MS, timeout / 4);
    timers.push(
      setTimeout(() => {
        closeWaiting();
        timers.push(setInterval(closeWaiting, CLOSE_WAITING_EVERY_MS));
      }, grace),
      setTimeout(() => {
        server.closeAllConnections();
        finish('forced');
      }, timeout),
    );
  });
}
