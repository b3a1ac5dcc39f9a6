import type { IncomingMessage, ServerResponse } from 'node:http';
import { callbackProblem } from './callback.js';
import { sendData, sendError } from './jsonp.js';
import { canonicalZone, seedPayload, timePayload } from './time-payload.js';

/** Longest request target the time routes accept; real clients send well under 300 bytes. */
export const MAX_URL_LENGTH = 2048;

const REQUEST_ID = /^[\w-]{1,64}$/;

/** Paths answered by the fast path, without Express. */
export const TIME_PATHS = new Set(['/getTime', '/v1/time']);

/**
 * Handles `/getTime` and `/v1/time` directly on node:http: they are what every host page
 * polls, and going through Express's router costs most of the throughput.
 */
export function handleTime(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  now: () => number,
): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    sendError(res, 405, 'method_not_allowed', 'Only GET and HEAD are allowed.', head);
    return;
  }
  if ((req.url ?? '').length > MAX_URL_LENGTH) {
    sendError(res, 414, 'uri_too_long', 'The request URL is too long.', head);
    return;
  }
  const params = new URLSearchParams(query);
  const callbacks = params.getAll('callback');
  let callback: string | null = null;
  if (callbacks.length > 0) {
    const problem = callbackProblem(callbacks.length > 1 ? callbacks : callbacks[0]);
    if (problem) {
      sendError(res, 400, 'invalid_callback', problem + '.', head);
      return;
    }
    callback = callbacks[0];
  }
  const t = now();
  if (path === '/getTime') {
    sendData(res, callback, seedPayload(t), head);
    return;
  }
  const id = params.get('id') ?? undefined;
  const idOk = id === undefined || REQUEST_ID.test(id);
  const tz = params.get('tz') ?? 'UTC';
  if (!idOk || canonicalZone(tz) === null) {
    // A JSONP client cannot read HTTP statuses, so input errors travel through the callback.
    const error = idOk
      ? { code: 'invalid_tz', message: 'tz must be an IANA time zone name such as Europe/Paris.' }
      : { code: 'invalid_id', message: 'id must be 1 to 64 letters, digits, "_" or "-".' };
    sendData(res, callback, { error, ...(idOk && id !== undefined ? { id } : {}) }, head);
    return;
  }
  sendData(res, callback, timePayload(t, tz, id), head);
}
