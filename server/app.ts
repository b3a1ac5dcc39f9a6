import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { cdnRouter, loadWidgetFiles } from './cdn.js';
import { clientAddress } from './client-address.js';
import { configuratorRouter } from './configurator.js';
import { healthRouter, type Drain } from './health.js';
import { sendError } from './jsonp.js';
import { jsonLines, logAccess, logError, type Log } from './log.js';
import { methodNotAllowed } from './methods.js';
import { ROUTE, routeOf, type RequestMetrics } from './metrics.js';
import { expressLimiter, fastLimiter, rateLimitOptions, sendTooMany, type RateLimitSetting } from './rate-limit.js';
import { memoryStores, StoreUnavailable, type RateLimitStores } from './rate-limit-store.js';
import { whenSettled } from './settled.js';
import { snippetRouter } from './snippet.js';
import { handleTime, timePath, type TimePath } from './time-routes.js';

/** Everything the server depends on from outside, injectable for tests. */
export interface AppOptions {
  /** The time source, epoch milliseconds. */
  now?: () => number;
  /** Folder holding the built widget (`crossclock.js`, `snippet.js`, …). */
  widgetDir?: string;
  /** The base URL host pages reach this server at (no trailing slash), used by `/v1/snippet`. */
  publicUrl?: string | null;
  /** Per-client budget: `{ windowMs, max }`, or requests per minute; 0/false (default) is off. */
  rateLimit?: RateLimitSetting;
  /** How many proxies in front of us append to `X-Forwarded-For` and are believed (default 0). */
  trustProxy?: number;
  /** Where records go; default: JSON lines, errors to stderr. */
  log?: Log;
  /** One access record per request (default off). */
  accessLog?: boolean;
  /** Shutdown state shared with `gracefulShutdown`; while draining, readyz fails and connections close. */
  drain?: Drain;
  /** Where rate limit counts live (default: this process's memory). */
  rateLimitStores?: RateLimitStores;
  /** Request metrics to record into (default: none). */
  metrics?: RequestMetrics;
}

/** The metrics route label of a time route. */
const timeRoute = (path: TimePath) => (path === '/v1/time' ? ROUTE.time : ROUTE.gettime);

/** The default folder of the built widget: `dist/widget` beside the compiled server. */
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));

/** Longest request target we accept; real clients send well under 300 bytes. */
export const MAX_URL_LENGTH = 2048;

/**
 * The scheme and authority of a request target in absolute form (`GET http://host/v1/time`),
 * whatever the scheme (RFC 3986): Express finds its routes' path in `ws://host/healthz` or
 * `ftp://host/v1/crossclock.js`, and nginx passes such a target on as its path, so the time
 * routes must too, or they alone would answer 404.
 */
const ABSOLUTE_FORM = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i;

/**
 * The origin form (`/v1/time?…`) of a request target. RFC 9112 (3.2.2) has servers accept
 * the absolute form too, which some proxies and HTTP libraries send; Express's routes find
 * their path in it, our time routes and logs would not. Anything else is left as it came.
 */
export function originForm(url: string): string {
  const m = url[0] === '/' ? null : ABSOLUTE_FORM.exec(url);
  if (!m) return url;
  const rest = url.slice(m[0].length);
  return rest[0] === '/' ? rest : '/' + rest;
}

/**
 * Builds the Crossclock request listener: a fast path for the time routes in front of an
 * Express app that serves everything else. Use it as `http.createServer(createApp())`.
 */
export function createApp(options: AppOptions = {}): RequestListener {
  const now = options.now ?? Date.now;
  const log = options.log ?? jsonLines(process.stdout, process.stderr);
  const drain = options.drain ?? { draining: false };
  const trustProxy = options.trustProxy ?? 0;
  const limit = rateLimitOptions(options.rateLimit);
  const files = loadWidgetFiles(options.widgetDir ?? DEFAULT_WIDGET_DIR, options.publicUrl ?? null);

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // A hop count, never `true`: X-Forwarded-For is believed only as far as our own proxies reach.
  app.set('trust proxy', trustProxy);
  // Every route only reads: any other method (OPTIONS included, which Express would answer
  // itself) is refused the same way on every path, known or not.
  app.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : methodNotAllowed(res, req.method)));
  // Probes come from the balancer's few addresses: they must never be rate limited.
  app.use(healthRouter(drain));
  const stores = options.rateLimitStores ?? memoryStores();
  // The store logs its own outages once each; anything else the limiter reports is logged here.
  const limiterError = (err: unknown) => {
    if (!(err instanceof StoreUnavailable)) log({ level: 'error', message: `rate limiter: ${err}` });
  };
  if (limit) app.use(expressLimiter(limit, trustProxy, stores.create('other'), limiterError));
  app.use(cdnRouter(files));
  app.use(snippetRouter(options.publicUrl ?? null, files.snippet, files.manifest));
  app.use(configuratorRouter(undefined, options.publicUrl ?? null));
  app.use((req, res) => {
    sendError(res, 404, 'not_found', 'No such resource.', req.method === 'HEAD');
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Express's own client errors (a malformed URL escape…) keep their 4xx status.
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) sendError(res, status, 'bad_request', 'Bad request.', req.method === 'HEAD');
    else logError(req, res, log, err);
  });

  const limiter = limit ? fastLimiter(limit, trustProxy, stores.create('time')) : null;
  const metrics = options.metrics ?? null;
  const time = (req: IncomingMessage, res: ServerResponse, path: TimePath, query: string, started: number) => {
    try {
      handleTime(req, res, path, query, now);
    } catch (err) {
      logError(req, res, log, err);
    }
    // The answer is written synchronously above, so its status is known here, without a listener.
    if (metrics) metrics.done(timeRoute(path), res.statusCode, started);
  };
  // The limiter's verdict: 0 serves the time, anything else is the seconds to wait.
  const answer = (req: IncomingMessage, res: ServerResponse, path: TimePath, query: string, started: number, wait: number) => {
    if (!wait) return time(req, res, path, query, started);
    sendTooMany(res, wait, req.method === 'HEAD');
    if (metrics) metrics.done(timeRoute(path), 429, started);
  };
  // A request refused before any route: a JSON error, counted under the route `other`.
  const refuse = (req: IncomingMessage, res: ServerResponse, started: number, status: number, code: string, message: string) => {
    sendError(res, status, code, message, req.method === 'HEAD');
    if (metrics) metrics.done(ROUTE.other, status, started);
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    // Every route, log line and metric below then sees the same path.
    if (req.url) req.url = originForm(req.url);
    if (drain.draining) {
      // Tells keep-alive clients to open their next request elsewhere; Node closes the socket after.
      res.setHeader('connection', 'close');
    }
    if (options.accessLog) logAccess(req, res, log, clientAddress(req, trustProxy));
    const started = metrics ? metrics.start() : 0;
    // RFC 9112 (3.2): an HTTP/1.1 request without Host is a 400. node:http's own check (off in
    // main.ts; it builds the same headers object) answered it with an empty body, before the
    // access log or the metrics saw it.
    if (req.httpVersionMinor === 1 && req.httpVersionMajor === 1 && req.headers.host === undefined) {
      return refuse(req, res, started, 400, 'bad_request', 'Bad request.');
    }
    const url = req.url ?? '/';
    if (url.length > MAX_URL_LENGTH) return refuse(req, res, started, 414, 'uri_too_long', 'The request URL is too long.');
    const q = url.indexOf('?');
    const path = timePath(url, q < 0 ? url.length : q);
    if (path === null) {
      if (metrics) whenSettled(req, res, () => metrics.done(routeOf(url), res.statusCode, started));
      app(req, res);
      return;
    }
    const query = q < 0 ? '' : url.slice(q + 1);
    if (!limiter) {
      time(req, res, path, query, started);
      return;
    }
    const verdict = limiter.take(req);
    // Counted in memory: answered in this tick, with no promise to wait for.
    if (typeof verdict === 'number') return answer(req, res, path, query, started, verdict);
    verdict.then(
      (wait) => answer(req, res, path, query, started, wait),
      // A failing store must not take the clock down with it: serve uncounted (the store logs
      // the outage once and counts these for /metrics).
      (err) => {
        limiterError(err);
        time(req, res, path, query, started);
      },
    );
  };
}
