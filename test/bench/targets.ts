/**
 * The three servers the throughput bench compares, as request listeners answering
 * `/v1/time?callback=NAME&id=ID` with a JSONP script calling it with the same payload, the
 * request's id echoed.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import express from 'express';
import { createApp } from '../../server/app.js';
import { DEFAULTS } from '../../server/config.js';
import { boundStalls, guardConnections, timeoutOptions } from '../../server/connections.js';
import { createMetrics } from '../../server/metrics.js';
import { REQUEST_ID } from '../../server/time-routes.js';

/** Which server a bench target runs. */
export type TargetKind = 'raw' | 'express' | 'ours' | 'ours_metrics';

/** Every target kind, as `target-main.js` takes it. */
export const TARGET_KINDS: readonly TargetKind[] = ['raw', 'express', 'ours', 'ours_metrics'];

/** The time payload every target answers with, so only the server machinery differs; `id` as the request gave it. */
const payload = (id: string | null) => ({ t: Date.now(), tz: 'UTC', offset: 0, ...(id === null ? {} : { id }) });

const CALLBACK = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * What a plain safe JSONP time server does on bare node:http with the standard tools
 * (URLSearchParams, a callback regex, JSON.stringify): the reference the time routes are held to.
 */
export function rawListener(): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const callback = params.get('callback');
    const id = params.get('id');
    if ((q < 0 ? url : url.slice(0, q)) !== '/v1/time' || !callback || !CALLBACK.test(callback) || (id !== null && !REQUEST_ID.test(id))) {
      res.writeHead(400).end();
      return;
    }
    // The guard ours writes (server/jsonp.ts): the root by typeof, each object on the way by truthiness.
    const path = callback.split('.');
    const guard = path.slice(0, -1).map((_, i) => (i ? path.slice(0, i + 1).join('.') : `typeof ${path[0]} !== 'undefined' && ${path[0]}`));
    const body = `/**/ ${[...guard, `typeof ${callback} === 'function'`].join(' && ')} && ${callback}(${JSON.stringify(payload(id))});`;
    // The headers ours must send too (server/jsonp.ts), so only the server machinery differs:
    // a host page could not use an answer without them.
    res.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
    });
    res.end(body);
  };
}

/** A plain Express 5 route with `res.jsonp`: what the seed article would deploy. */
export function expressListener(): RequestListener {
  const app = express();
  app.get('/v1/time', (req, res) => {
    const id = req.query.id;
    res.jsonp(payload(typeof id === 'string' && REQUEST_ID.test(id) ? id : null));
  });
  return app;
}

/** A per-client budget per minute far above what one load generator can send. */
export const NEVER_REACHED = 100_000_000;

/**
 * Ours, as production runs it. The rate limiter is on, at a limit the bench never reaches,
 * so its bookkeeping is part of the measured cost.
 */
export function oursListener(): RequestListener {
  return createApp({ rateLimit: { windowMs: 60_000, max: NEVER_REACHED } });
}

/**
 * Ours with metrics on, as `--metrics-port` runs it: every request recorded, and prom-client's
 * process metrics (with its event-loop delay monitor) collecting. Nothing scrapes during the
 * run: a scrape is the operator's cost every few seconds, not the cost of each request.
 */
export function oursWithMetricsListener(): RequestListener {
  const metrics = createMetrics({ processMetrics: true });
  return createApp({ rateLimit: { windowMs: 60_000, max: NEVER_REACHED }, metrics });
}

/** The listener for `kind`. */
export function targetListener(kind: TargetKind): RequestListener {
  switch (kind) {
    case 'raw':
      return rawListener();
    case 'express':
      return expressListener();
    case 'ours':
      return oursListener();
    case 'ours_metrics':
      return oursWithMetricsListener();
  }
}

/**
 * The server `target-main.js` runs for `kind`. Ours gets what `server/main.ts` puts around the
 * app in production, at its defaults: the header timeouts and the connection guard, both of
 * which every answer passes through, and the stall check over the guard's connections.
 */
export function targetServer(kind: TargetKind): Server {
  if (kind !== 'ours' && kind !== 'ours_metrics') return createServer(targetListener(kind));
  const server = createServer(timeoutOptions(DEFAULTS.headersTimeout), targetListener(kind));
  server.keepAliveTimeout = DEFAULTS.keepAliveTimeout;
  boundStalls(server, guardConnections(server, DEFAULTS.maxConnections), DEFAULTS.sendTimeout);
  return server;
}
