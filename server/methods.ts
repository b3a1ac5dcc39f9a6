import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { sendError } from './jsonp.js';

/** Answers 405 with `Allow: GET, HEAD`: every route of this server only reads. */
export function methodNotAllowed(res: ServerResponse, method: string | undefined): void {
  res.setHeader('allow', 'GET, HEAD');
  sendError(res, 405, 'method_not_allowed', 'Only GET and HEAD are allowed.', method === 'HEAD');
}

// The same answer `methodNotAllowed` gives, spelt out: a CONNECT request never reaches the app.
const CONNECT_BODY = JSON.stringify({ error: { code: 'method_not_allowed', message: 'Only GET and HEAD are allowed.' } });
const CONNECT_REFUSAL =
  'HTTP/1.1 405 Method Not Allowed\r\n' +
  'allow: GET, HEAD\r\n' +
  'content-type: application/json; charset=utf-8\r\n' +
  `content-length: ${Buffer.byteLength(CONNECT_BODY)}\r\n` +
  'x-content-type-options: nosniff\r\n' +
  'cache-control: no-store\r\n' +
  'connection: close\r\n\r\n' +
  CONNECT_BODY;

/**
 * Answers CONNECT like every other method this server does not serve. node:http hands a
 * CONNECT request to `connect` listeners instead of the app, and with none it closes the
 * connection without a word: a client, a proxy or a log would see a dropped connection,
 * not a refused method.
 */
export function refuseConnect(server: Server): void {
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(CONNECT_REFUSAL);
  });
}
