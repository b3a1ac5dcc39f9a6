import type { IncomingMessage, ServerResponse } from 'node:http';
import { callbackProblem } from './callback.js';
import { JSON_TYPE, safeJson, send, sendData, sendError, sendJson } from './jsonp.js';
import { methodNotAllowed } from './methods.js';
import { readTimeQuery } from './query.js';
import { canonicalZone, seedPayload, timePayloadJson } from './time-payload.js';

/** What `/v1/time` accepts as the `id` its answer echoes. */
export const REQUEST_ID = /^[\w-]{1,64}$/;

/** Paths answered by the fast path, without Express. */
export const TIME_PATHS = ['/getTime', '/v1/time'] as const;
/** One of TIME_PATHS. */
export type TimePath = (typeof TIME_PATHS)[number];

/**
 * Which time route `url` (whose path ends at `pathEnd`) asks for, or `null`. Compared in
 * place, so a request pays for no path string.
 */
export function timePath(url: string, pathEnd: number): TimePath | null {
  // Both paths are 8 characters long, a cheap first filter for every other request.
  if (pathEnd !== 8) return null;
  for (const p of TIME_PATHS) if (url.startsWith(p)) return p;
  return null;
}

/**
 * Handles `/getTime` and `/v1/time` directly on node:http: they are what every host page
 * polls, and going through Express's router costs most of the throughput.
 */
export function handleTime(
  req: IncomingMessage,
  res: ServerResponse,
  path: TimePath,
  query: string,
  now: () => number,
): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    methodNotAllowed(res, req.method);
    return;
  }
  const params = readTimeQuery(query);
  const callback = params.callback;
  if (callback !== null || params.repeatedCallback) {
    const problem = callbackProblem(params.repeatedCallback ? [callback] : callback);
    if (problem) {
      sendError(res, 400, 'invalid_callback', problem + '.', head);
      return;
    }
  }
  const t = now();
  if (path === '/getTime') {
    sendData(res, callback, seedPayload(t), head);
    return;
  }
  const id = params.id ?? undefined;
  const idOk = id === undefined || REQUEST_ID.test(id);
  const zone = canonicalZone(params.tz ?? 'UTC');
  if (!idOk || zone === null) {
    const error = idOk
      ? { code: 'invalid_tz', message: 'tz must be an IANA time zone name such as Europe/Paris.' }
      : { code: 'invalid_id', message: 'id must be 1 to 64 letters, digits, "_" or "-".' };
    const body = { error, ...(idOk && id !== undefined ? { id } : {}) };
    // A JSONP client cannot read HTTP statuses, so input errors travel through the callback;
    // a JSON client (fetch, curl) checks the status first, as for every other bad request.
    if (callback === null) send(res, 400, JSON_TYPE, safeJson(body), head);
    else sendData(res, callback, body, head);
    return;
  }
  sendJson(res, callback, timePayloadJson(t, zone, id), head);
}
