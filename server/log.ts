import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { whenSettled } from './settled.js';

/** One structured log record; `level` says what it is. */
export interface LogEntry {
  level: 'access' | 'error' | 'info';
  [field: string]: unknown;
}

/** Where the server writes its records. */
export type Log = (entry: LogEntry) => void;

// JSON.stringify escapes CR, LF, ESC and the other C0 controls, but writes DEL and the C1
// controls (U+007F to U+009F) as they are. A request path carries them (bytes 0x7F to 0x9F,
// which node:http reads as latin1, also through the edge), and a terminal that honours C1
// controls (xterm does) takes U+009B for ESC [: `tail -f` of the log ran the client's escape
// sequence (cleared the screen, hid the lines before it).
const C1 = /[\u007f-\u009f]/g;
const escapeC1 = (c: string) => '\\u00' + c.charCodeAt(0).toString(16);

/** Writes each record as one JSON line: access records to `out`, everything else to `err`. */
export function jsonLines(out: NodeJS.WritableStream, err: NodeJS.WritableStream): Log {
  return (entry) => (entry.level === 'access' ? out : err).write(JSON.stringify({ time: new Date().toISOString(), ...entry }).replace(C1, escapeC1) + '\n');
}

// A request id set by a balancer in front of us is reused so its logs and ours line up; only
// a short, plain token is believed, so a client cannot inject anything into our log lines.
const UPSTREAM_ID = /^[\w.:-]{1,128}$/;

const ID = Symbol('crossclock.requestId');

/** The id a request is logged under: a valid upstream `X-Request-Id`, else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const known = (req as IncomingMessage & { [ID]?: string })[ID];
  if (known) return known;
  const upstream = req.headers['x-request-id'];
  const id = typeof upstream === 'string' && UPSTREAM_ID.test(upstream) ? upstream : randomUUID();
  // Kept on the request so its error record and its access record share the id.
  (req as IncomingMessage & { [ID]?: string })[ID] = id;
  return id;
}

// The same header read from the raw bytes of a request node:http's parser refused, within its
// head only: a request pipelined after it may name another id.
const RAW_UPSTREAM_ID = /\r\nx-request-id:[ \t]*([\w.:-]{1,128})[ \t]*\r\n/i;

/**
 * The id a request the parser refused is logged under: a valid `X-Request-Id` in its raw
 * bytes, else a fresh UUID. Behind the edge such a request (a control character in a header
 * value, which nginx passes on) is then found under nginx's id in both logs.
 */
export function rawRequestId(raw: Buffer | undefined): string {
  if (raw) {
    const end = raw.indexOf('\r\n\r\n');
    const m = RAW_UPSTREAM_ID.exec(raw.toString('latin1', 0, end < 0 ? raw.length : end + 2));
    if (m) return m[1];
  }
  return randomUUID();
}

/** The path of a request URL without its query, which may hold hostile callback names. */
export function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

const BODY_LENGTH = Symbol('crossclock.bodyLength');
/** A response whose body length the access log waits for (see `noteBodyLength`). */
type Noted = ServerResponse & { [BODY_LENGTH]?: number };

/**
 * Records the Content-Length of an answer written with `writeHead(status, headers)`: Node
 * does not keep such headers where `getHeader` finds them, so the access log would read 0.
 */
export function noteBodyLength(res: ServerResponse, length: number): void {
  // Only where the access log waits for it: a property added to every answer is a cost on
  // the hot path of the time routes.
  if ((res as Noted)[BODY_LENGTH] !== undefined) (res as Noted)[BODY_LENGTH] = length;
}

/** Logs one access record for `req` once its response is finished (or the client gave up). */
export function logAccess(req: IncomingMessage, res: ServerResponse, log: Log, clientIp: string): void {
  const start = process.hrtime.bigint();
  (res as Noted)[BODY_LENGTH] = 0;
  whenSettled(req, res, () => {
    const bytes = Number(res.getHeader('content-length') ?? (res as Noted)[BODY_LENGTH]);
    logRecord(log, asked(req), clientIp, res.statusCode, bytes, Number(process.hrtime.bigint() - start) / 1e6, res.writableFinished);
  });
}

/**
 * Logs the access record of an answer written straight to the socket, which the app never
 * saw (a CONNECT): the same fields as `logAccess`, taking no measurable time.
 */
export function logRawAccess(req: IncomingMessage, log: Log, clientIp: string, status: number, bytes: number): void {
  logRecord(log, asked(req), clientIp, status, bytes, 0, true);
}

/**
 * Logs the access record of a request node:http's parser refused (see methods.ts): the same
 * fields as every record, with the method and path its request line gave (null when it gave
 * none), the id `rawRequestId` found, and the connection's peer as the client, since no
 * header was parsed.
 */
export function logRefusedAccess(log: Log, ip: string, line: { method: string; path: string } | null, status: number, bytes: number, id: string): void {
  logRecord(log, { id, method: line?.method ?? null, path: line?.path ?? null }, ip, status, bytes, 0, true);
}

/** What an access record says of the request: its id, method and path (null where no request line was parsed). */
interface Asked {
  id: string;
  method: string | null | undefined;
  path: string | null;
}

/** What an access record says of a request the server parsed. */
const asked = (req: IncomingMessage): Asked => ({ id: requestId(req), method: req.method, path: pathOf(req.url) });

/** The one shape of an access record, whichever way the answer was written. */
function logRecord(log: Log, { id, method, path }: Asked, ip: string, status: number, bytes: number, ms: number, complete: boolean): void {
  log({ level: 'access', id, method, path, status, bytes, ms, ip, complete });
}

/** Logs an error with the request id and answers 500 JSON naming that id (never the error text). */
export function logError(req: IncomingMessage, res: ServerResponse, log: Log, err: unknown): void {
  const id = requestId(req);
  log({
    level: 'error',
    id,
    method: req.method,
    path: pathOf(req.url),
    message: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: 'internal', message: `Internal error; request id ${id}.` } });
  res.writeHead(500, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'x-request-id': id,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
