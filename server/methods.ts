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
