import type { Request, Response, Router } from 'express';
import { methodNotAllowed } from './methods.js';
import { exactRouter } from './router.js';

/** Shared shutdown state: set by the shutdown sequence, read by `/readyz` and the listener. */
export interface Drain {
  draining: boolean;
}

/** `/healthz` (the process answers) and `/readyz` (it wants traffic: 503 once shutdown began). */
export function healthRouter(drain: Drain): Router {
  const router = exactRouter();
  const reply = (res: Response, status: number, body: object) =>
    res.status(status).set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).json(body);
  const refuse = (req: Request, res: Response) => methodNotAllowed(res, req.method);
  router.route('/healthz').get((_req, res) => reply(res, 200, { ok: true })).all(refuse);
  router
    .route('/readyz')
    .get((_req, res) => (drain.draining ? reply(res, 503, { ready: false }) : reply(res, 200, { ready: true })))
    .all(refuse);
  return router;
}
