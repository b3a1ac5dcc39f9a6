import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Calls `fn` once, when the exchange of `req` and `res` is over: when the answer closes (sent,
 * or cut off), or when the request closes. The second is the only sign left for a pipelined
 * request still queued behind an earlier one when its socket died: Node closes such a request
 * but never emits `close` on its answer, so anything counted until the answer closes (a
 * request in flight, an access record) would wait forever.
 */
export function whenSettled(req: IncomingMessage, res: ServerResponse, fn: () => void): void {
  let settled = false;
  const once = () => {
    if (settled) return;
    settled = true;
    fn();
  };
  res.once('close', once);
  req.once('close', once);
}
