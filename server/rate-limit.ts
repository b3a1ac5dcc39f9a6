import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import { MemoryCounter } from './rate-limit-store.js';
import { clientAddress } from './client-address.js';
import { sendError } from './jsonp.js';

/**
 * Per-client rate limiting, built on express-rate-limit for both halves of the server: its
 * middleware guards the Express routes, and the fast path calls the same library's
 * MemoryStore directly (express middleware would cost the fast path its point). One library
 * means one client key (`ipKeyGenerator`, which groups IPv6 clients by /56 so a host cannot
 * rotate through its own prefix) and one counting rule; rate-limiter-flexible would have
 * added a second dependency doing the same counting with its own key rules.
 */

/** A request budget: at most `max` requests per client per `windowMs`. */
export interface RateLimitOptions {
  windowMs: number;
  max: number;
}

/** What `createApp` accepts: a budget, a number of requests per minute, or 0/false for none. */
export type RateLimitSetting = RateLimitOptions | number | false | undefined;

/** The budget `setting` describes, or `null` when limiting is off. */
export function rateLimitOptions(setting: RateLimitSetting): RateLimitOptions | null {
  if (!setting) return null;
  const options = typeof setting === 'number' ? { windowMs: 60_000, max: setting } : setting;
  return options.max > 0 ? options : null;
}

/**
 * Answers 429 with `Retry-After`. The body is JSON even for JSONP clients: a browser does not
 * run a script answered with a non-2xx status, so a callback body would never be seen; the
 * JSONP client gets its script `error` event and backs off like after any failed sync, while
 * caches, balancers and monitoring still see the true status.
 */
export function sendTooMany(res: ServerResponse, retryAfterSeconds: number, head: boolean): void {
  res.setHeader('retry-after', String(retryAfterSeconds));
  sendError(res, 429, 'rate_limited', 'Too many requests: retry after the time in Retry-After.', head);
}

function secondsUntil(info: ClientRateLimitInfo): number {
  const reset = info.resetTime ? info.resetTime.getTime() - Date.now() : 1000;
  return Math.max(1, Math.ceil(reset / 1000));
}

/**
 * The fast path's limiter: `take` gives 0 when the request may go on, else the seconds to
 * wait; a number at once when the store counts in memory, a promise when it is remote.
 */
export interface FastLimiter {
  take(req: IncomingMessage): number | Promise<number>;
}

/** The rate limit key of a client address: IPv6 clients grouped by /56 (`ipKeyGenerator`). */
export function clientKey(address: string): string {
  // Only an IPv6 address contains a colon; for any other the library's key is the address
  // itself, and its IPv6 test (a long regex) measured as a visible share of a time request.
  return address.includes(':') ? ipKeyGenerator(address) : address;
}

/**
 * A limiter for the node:http fast path, counting in `store` (default: a MemoryCounter of its
 * own). A store that fails rejects `take`; the caller decides to serve anyway.
 */
export function fastLimiter(options: RateLimitOptions, trustProxy: number, store: Store = new MemoryCounter()): FastLimiter {
  store.init?.({ windowMs: options.windowMs } as Options);
  const counter = store instanceof MemoryCounter ? store : null;
  // Built once: a request counted in memory allocates only the store's own promise.
  const verdict = (info: ClientRateLimitInfo) => (info.totalHits <= options.max ? 0 : secondsUntil(info));
  return {
    take(req) {
      const key = clientKey(clientAddress(req, trustProxy));
      const counted = counter ? counter.incrementNow(key) : store.increment(key);
      if (!('then' in counted)) return verdict(counted);
      // Promise.resolve hands a native promise (the store's) back as is: no extra tick.
      return Promise.resolve(counted).then(verdict);
    },
  };
}

/**
 * express-rate-limit middleware for the Express routes, keying clients as the fast path does
 * (`trustProxy` hops). A failing store lets requests through (`passOnStoreError`), as on the
 * fast path. What the library would print goes to `report` instead, which can drop the
 * per-request store errors of an outage the store already logged once.
 */
export function expressLimiter(options: RateLimitOptions, trustProxy: number, store: Store, report: (err: unknown) => void): RequestHandler {
  return rateLimit({
    // The fast path's key rather than the library's from `req.ip`, which takes any entry of
    // X-Forwarded-For as it is (see clientAddress). The library's own key also checked the
    // X-Forwarded-For and Forwarded headers of the first request counted, logging an error
    // that advised a change of configuration when a client sent one straight to us: a client's
    // choice, not a misconfiguration, which no client may turn into an operator's alert.
    keyGenerator: (req) => clientKey(clientAddress(req, trustProxy)),
    store,
    passOnStoreError: true,
    logger: { warn: report, error: report },
    windowMs: options.windowMs,
    limit: options.max,
    // The count is one client's, but most answers here are kept by shared caches (the edge
    // keeps the hashed bundle a year): on them it would reach every later client, a `remaining=0`
    // included. So it goes only on the 429, which is no-store and that client's alone.
    standardHeaders: false,
    legacyHeaders: false,
    handler: (req, res, _next, opts) => {
      const info = (req as unknown as Record<string, ClientRateLimitInfo>)[opts.requestPropertyName];
      const wait = secondsUntil(info);
      // The IETF draft-7 headers the library would set, on this answer only.
      res.setHeader('ratelimit-policy', `${options.max};w=${Math.ceil(options.windowMs / 1000)}`);
      res.setHeader('ratelimit', `limit=${options.max}, remaining=0, reset=${wait}`);
      sendTooMany(res, wait, req.method === 'HEAD');
    },
  });
}
