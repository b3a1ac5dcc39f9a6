import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rawError, sendError } from './jsonp.js';
import { pathOf, rawRequestId } from './log.js';

const ALLOW = 'GET, HEAD';
const ONLY_READS = 'Only GET and HEAD are allowed.';

/** Answers 405 with `Allow: GET, HEAD`: every route of this server only reads. */
export function methodNotAllowed(res: ServerResponse, method: string | undefined): void {
  res.setHeader('allow', ALLOW);
  sendError(res, 405, 'method_not_allowed', ONLY_READS, method === 'HEAD');
}

/** An answer written raw, with its status and body length for its access record. */
const measured = (raw: string) => ({ raw, status: Number(raw.slice(9, 12)), bytes: Buffer.byteLength(raw.slice(raw.indexOf('\r\n\r\n') + 4)) });

// The same answer, written raw: a CONNECT request, or one whose method the parser does not
// know, never reaches the app.
const METHOD_REFUSAL = measured(rawError('405 Method Not Allowed', 'method_not_allowed', ONLY_READS, [`allow: ${ALLOW}`]));

/**
 * Writes a raw answer and calls `handed` once the kernel has taken it, never when the write
 * failed: a client that reset its connection (also one that sent part of a request and then
 * reset, which node:http reads as an end, so the socket still looks writable) got no answer.
 */
function writeRaw(socket: Duplex, raw: string, handed: (() => void) | undefined): void {
  socket.write(raw, handed && ((err) => err || handed()));
}

/** Records an answer the app never saw: the request, its status and its body's length. */
export type RawAccess = (req: IncomingMessage, status: number, bytes: number) => void;

/**
 * Answers CONNECT like every other method this server does not serve. node:http hands a
 * CONNECT request to `connect` listeners instead of the app, and with none it closes the
 * connection without a word: a client, a proxy or a log would see a dropped connection,
 * not a refused method. `answered` records each refusal the kernel took (the access log, the
 * metrics); a client already gone got none.
 */
export function refuseConnect(server: Server, answered?: RawAccess): void {
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    writeRaw(socket, METHOD_REFUSAL.raw, answered && (() => answered(req, METHOD_REFUSAL.status, METHOD_REFUSAL.bytes)));
    socket.end();
  });
}

// A method is a token (RFC 9110, 9.1). Bytes that do not even start with a token and a space
// are no HTTP request (a TLS handshake on the plain port, say): they are a 400.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
const TOKEN_THEN_SPACE = new RegExp(`^${TOKEN}+ `);

// The other requests node:http's parser refuses, answered as every error of ours is: JSON with
// nosniff, never cached. Node's own answers (node:_http_server) have these statuses and no
// body: through the edge, which passes on whatever an instance answers, a header value with a
// control character came back as an empty, untyped page.
const BAD_REQUEST = measured(rawError('400 Bad Request', 'bad_request', 'Bad request.'));
const PARSER_REFUSALS: Record<string, ReturnType<typeof measured>> = {
  HPE_HEADER_OVERFLOW: measured(rawError('431 Request Header Fields Too Large', 'headers_too_large', 'The request headers are too large.')),
  HPE_CHUNK_EXTENSIONS_OVERFLOW: measured(rawError('413 Payload Too Large', 'body_not_allowed', 'No route takes a request body.')),
  ERR_HTTP_REQUEST_TIMEOUT: measured(rawError('408 Request Timeout', 'request_timeout', 'The request took too long to arrive.')),
};

// What a refused request's first bytes tell of it, when they are a request line: its method
// and path, for the access record. Anything else (garbage, a line cut short) is logged as null.
const REQUEST_LINE = new RegExp(`^(${TOKEN}{1,32}) (\\S{1,2048}) HTTP/\\d\\.\\d\\r?\\n`);

/**
 * Records an answer written to a connection whose request the parser refused: `ip` the
 * connection's peer, `line` its method and path, when known, and `id` the one it is logged
 * under (see `rawRequestId`).
 */
export type RefusalAccess = (ip: string, line: { method: string; path: string } | null, status: number, bytes: number, id: string) => void;

/**
 * Answers a method node:http's parser does not know (`FOO`, a lower-case `get`) like every
 * other method this server does not serve, and every other request its parser refuses with
 * the status Node would give it, as JSON. The parser refuses such a request before the app
 * sees it, and Node's own answer is a bare status without a body: a client, and the edge that
 * passes it on, got neither the 405 nor Allow, nor any error in the form the app gives.
 * `answered` records each answer the kernel took (the access log, the metrics); a connection
 * closed without one (the client reset it, or an answer to an earlier request was already
 * being written) is no answered request and is not recorded.
 */
export function answerParserRefusals(server: Server, answered?: RefusalAccess): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const raw = (err as { rawPacket?: Buffer }).rawPacket;
    const head = raw?.toString('latin1', 0, 2100) ?? '';
    // node:http's own test: an answer written now would corrupt one already being written.
    const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && !current?.headersSent) {
      const answer = err.code === 'HPE_INVALID_METHOD' && TOKEN_THEN_SPACE.test(head.slice(0, 64)) ? METHOD_REFUSAL : PARSER_REFUSALS[err.code ?? ''] ?? BAD_REQUEST;
      const line = REQUEST_LINE.exec(head);
      // Read now: the socket is destroyed below, before the write is known to have succeeded.
      const ip = (socket as Socket).remoteAddress ?? '';
      writeRaw(socket, answer.raw, answered && (() => answered(ip, line && { method: line[1], path: pathOf(line[2]) }, answer.status, answer.bytes, rawRequestId(raw))));
    }
    socket.destroy();
  });
}
