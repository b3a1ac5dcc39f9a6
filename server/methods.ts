import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { rawError, sendError } from './jsonp.js';

const ALLOW = 'GET, HEAD';
const ONLY_READS = 'Only GET and HEAD are allowed.';

/** Answers 405 with `Allow: GET, HEAD`: every route of this server only reads. */
export function methodNotAllowed(res: ServerResponse, method: string | undefined): void {
  res.setHeader('allow', ALLOW);
  sendError(res, 405, 'method_not_allowed', ONLY_READS, method === 'HEAD');
}

// The same answer, written raw: a CONNECT request never reaches the app.
const CONNECT_REFUSAL = rawError('405 Method Not Allowed', 'method_not_allowed', ONLY_READS, [`allow: ${ALLOW}`]);
const CONNECT_BODY_BYTES = Buffer.byteLength(CONNECT_REFUSAL.slice(CONNECT_REFUSAL.indexOf('\r\n\r\n') + 4));

/** Records an answer the app never saw: the request, its status and its body's length. */
export type RawAccess = (req: IncomingMessage, status: number, bytes: number) => void;

/**
 * Answers CONNECT like every other method this server does not serve. node:http hands a
 * CONNECT request to `connect` listeners instead of the app, and with none it closes the
 * connection without a word: a client, a proxy or a log would see a dropped connection,
 * not a refused method. `logged`, when the access log is on, records each refusal.
 */
export function refuseConnect(server: Server, logged?: RawAccess): void {
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(CONNECT_REFUSAL);
    logged?.(req, 405, CONNECT_BODY_BYTES);
  });
}
