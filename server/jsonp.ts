import type { ServerResponse } from 'node:http';
import { segmentEnd } from './callback.js';
import { noteBodyLength } from './log.js';

// Characters that could end a surrounding <script> or break an old JS parser if left raw.
const UNSAFE = /[<>&\u2028\u2029]/g;
const escapeChar = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** JSON text that is also safe to embed anywhere inside a script. */
export function safeJson(data: unknown): string {
  const json = JSON.stringify(data);
  // A time answer has nothing to escape. Looking for each character costs a fraction of a
  // replace with a callback (which measured as much as JSON.stringify) or of a regex test.
  const unsafe =
    json.indexOf('<') >= 0 || json.indexOf('>') >= 0 || json.indexOf('&') >= 0 ||
    json.indexOf('\u2028') >= 0 || json.indexOf('\u2029') >= 0;
  return unsafe ? json.replace(UNSAFE, escapeChar) : json;
}

/**
 * The JSONP script for an already validated callback name. The leading comment defeats the
 * Rosetta-Flash family of attacks; the guard makes a late response (the caller's callback,
 * or the object holding it, already gone) a silent no-op instead of an error in the host page.
 */
export function jsonpBody(callback: string, data: unknown): string {
  return script(callback, safeJson(data));
}

// The last guard built (see guard): every widget asks with `crossclock.t`.
let guarded = '';
let lastGuard = '';

/**
 * The condition under which calling `callback` cannot throw before it runs. `typeof` alone
 * is safe only for a bare name: for `a.b.c` it reads `a.b`, which throws a ReferenceError
 * when the page deleted `a` and a TypeError when `a.b` is gone. So the root is tested with
 * `typeof` and each object on the way for being there.
 */
export function guard(callback: string): string {
  if (callback === guarded) return lastGuard;
  let out = '';
  // Each segment but the last ends an object on the way.
  for (let end = segmentEnd(callback, 0); end < callback.length; end = segmentEnd(callback, end + 1)) {
    const path = callback.slice(0, end);
    out += out ? `${path} && ` : `typeof ${path} !== 'undefined' && ${path} && `;
  }
  lastGuard = `${out}typeof ${callback} === 'function'`;
  guarded = callback;
  return lastGuard;
}

function script(callback: string, json: string): string {
  return `/**/ ${guard(callback)} && ${callback}(${json});`;
}

/** The JavaScript MIME type of JSONP answers (RFC 9239). */
export const JS_TYPE = 'text/javascript; charset=utf-8';
/** The type of every JSON answer, which nosniff keeps from ever running as a script. */
export const JSON_TYPE = 'application/json; charset=utf-8';

// One header object per content type, reused by every response: writeHead copies it
// synchronously, so only `content-length` changes between requests and nothing is allocated.
const headerCache = new Map<string, Record<string, string | number>>();

function headersFor(type: string): Record<string, string | number> {
  let headers = headerCache.get(type);
  if (!headers) {
    headers = {
      'content-type': type,
      'content-length': 0,
      'x-content-type-options': 'nosniff',
      // Every answer depends on the instant or on the request: no cache may keep it.
      'cache-control': 'no-store',
      // Hosts that set Cross-Origin-Embedder-Policy must still be able to load us.
      'cross-origin-resource-policy': 'cross-origin',
      // The loader snippet's first request is a module `import()`, which needs CORS. The time
      // is public and no credentials are involved.
      'access-control-allow-origin': '*',
    };
    headerCache.set(type, headers);
  }
  return headers;
}

/** Writes `body` with the given content type and the headers every dynamic response carries. */
export function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  const headers = headersFor(type);
  const length = Buffer.byteLength(body);
  headers['content-length'] = length;
  noteBodyLength(res, length);
  res.writeHead(status, headers);
  res.end(head ? undefined : body);
}

/** Answers as JSONP script when a callback is given, else as plain JSON that cannot run as script. */
export function sendData(res: ServerResponse, callback: string | null, data: unknown, head: boolean): void {
  sendJson(res, callback, safeJson(data), head);
}

/** `sendData` for data already serialised as script-safe JSON text (what `safeJson` returns). */
export function sendJson(res: ServerResponse, callback: string | null, json: string, head: boolean): void {
  if (callback === null) send(res, 200, JSON_TYPE, json, head);
  else send(res, 200, JS_TYPE, script(callback, json), head);
}

/** A JSON error that never echoes the request back. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, head: boolean): void {
  send(res, status, JSON_TYPE, safeJson({ error: { code, message } }), head);
}

/**
 * `sendError`'s answer as the raw text of a whole HTTP/1.1 response, for a socket the app
 * never sees (a connection refused before parsing, a CONNECT request); `headers` are extra
 * `name: value` lines. The connection closes after it.
 */
export function rawError(status: string, code: string, message: string, headers: readonly string[] = []): string {
  const body = safeJson({ error: { code, message } });
  return [
    `HTTP/1.1 ${status}`,
    `content-type: ${JSON_TYPE}`,
    `content-length: ${Buffer.byteLength(body)}`,
    ...headers,
    'cache-control: no-store',
    'x-content-type-options: nosniff',
    'connection: close',
    '',
    body,
  ].join('\r\n');
}
