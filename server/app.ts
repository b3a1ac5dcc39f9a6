import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { cdnRouter } from './cdn.js';
import { configuratorRouter } from './configurator.js';
import { sendError } from './jsonp.js';
import { handleTime, TIME_PATHS } from './time-routes.js';

/** Everything the server depends on from outside, injectable for tests. */
export interface AppOptions {
  /** The time source, epoch milliseconds. */
  now?: () => number;
  /** Folder holding the built widget (`crossclock.js`). */
  widgetDir?: string;
}

/** The default folder of the built widget: `dist/widget` beside the compiled server. */
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));

/**
 * Builds the Crossclock request listener: a fast path for the time routes in front of an
 * Express app that serves everything else. Use it as `http.createServer(createApp())`.
 */
export function createApp(options: AppOptions = {}): RequestListener {
  const now = options.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ ok: true });
  });
  app.use(cdnRouter(options.widgetDir ?? DEFAULT_WIDGET_DIR));
  app.use(configuratorRouter());
  app.use((req, res) => {
    sendError(res, 404, 'not_found', 'No such resource.', req.method === 'HEAD');
  });

  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (TIME_PATHS.has(path)) handleTime(req, res, path, q < 0 ? '' : url.slice(q + 1), now);
    else app(req, res);
  };
}
