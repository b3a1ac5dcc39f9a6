import type { ServerResponse } from 'node:http';

// Characters that could end a surrounding <script> or break an old JS parser if left raw.
const UNSAFE = /[<>&\u2028\u2029]/g;
const escapeChar = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** JSON text that is also safe to embed anywhere inside a script. */
export function safeJson(data: unknown): string {
  return JSON.stringify(data).replace(UNSAFE, escapeChar);
}

/**
 * The JSONP script for an already validated callback name. The leading comment defeats the
 * Rosetta-Flash family of attacks; the typeof guard makes a late response (the caller's
 * callback already gone) a silent no-op instead of a ReferenceError in the host page.
 */
export function jsonpBody(callback: string, data: unknown): string {
  return `/**/ typeof ${callback} === 'function' && ${callback}(${safeJson(data)});`;
}

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  // Hosts that set Cross-Origin-Embedder-Policy must still be able to load us.
  'cross-origin-resource-policy': 'cross-origin',
};

/** Writes `body` with the given content type and the headers every dynamic response carries. */
export function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}

/** Answers as JSONP script when a callback is given, else as plain JSON that cannot run as script. */
export function sendData(res: ServerResponse, callback: string | null, data: unknown, head: boolean): void {
  if (callback === null) send(res, 200, 'application/json; charset=utf-8', safeJson(data), head);
  else send(res, 200, 'text/javascript; charset=utf-8', jsonpBody(callback, data), head);
}

/** A JSON error that never echoes the request back. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, head: boolean): void {
  send(res, status, 'application/json; charset=utf-8', safeJson({ error: { code, message } }), head);
}
