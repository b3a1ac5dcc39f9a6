import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { rawError } from './jsonp.js';
import type { Log } from './log.js';

/**
 * Once its headers are in, how much longer a request may take: a GET has no body worth
 * waiting for, so only a little. Kept well under the default shutdown timeout, so a client
 * trickling a body is cut by Node before a shutdown would have to force it.
 */
export const BODY_GRACE_MS = 2000;

/**
 * node:http options that bound how long a client may take to send its request: headers
 * within `headersTimeout`, the whole request within BODY_GRACE_MS more. Node checks these
 * only every `connectionsCheckingInterval` (30 s by default), so a slow client would keep its
 * connection up to that much longer; the check runs a few times per timeout instead.
 * The headers clock starts at a request's first byte (Node 18+), so it needs no relation to
 * the keep-alive timeout, which covers the idle time between requests.
 */
export function timeoutOptions(headersTimeout: number): ServerOptions {
  return {
    headersTimeout,
    requestTimeout: headersTimeout + BODY_GRACE_MS,
    connectionsCheckingInterval: checkInterval(headersTimeout),
  };
}

/**
 * How many bytes of request headers an instance takes (node:http's default is 16 kB). More than
 * the nginx edge passes on: its `large_client_header_buffers` (4 × 8 kB) plus the Host it
 * repeats as X-Forwarded-Host. With Node's default, a request of 16 to 32 kB of headers that
 * the edge accepted came back as the instance's 431, its parser having closed the connection at
 * once, possibly while the edge was still writing the rest: a failed write is a transport
 * error, which the edge counts against the instance (`max_fails`) and retries on the next.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/** How often a timeout is checked: a few times per timeout, at most every second. */
const checkInterval = (timeout: number) => Math.max(50, Math.min(1000, Math.floor(timeout / 4)));

/**
 * Cuts a connection whose answers have stopped moving: a client that pipelines requests and
 * never reads the answers fills its receive window, our writes stall, and Node, which pauses
 * parsing until they drain, would hold the connection (and the megabytes the kernel buffers
 * for it) until the keep-alive timeout, or for ever while an answer is still owed. A
 * connection with bytes waiting to be sent whose output has not moved for `sendTimeout` is
 * destroyed. A slow client that still reads moves the output and is never cut; an idle one
 * has nothing waiting, and the keep-alive timeout deals with it as before.
 * @param connections the connections `guardConnections` keeps, which are the ones looked at
 */
export function boundStalls(server: Server, connections: Connections, sendTimeout: number): void {
  // Each connection's output as last seen: bytes handed to it in all, bytes still waiting, and when.
  const seen = new WeakMap<Socket, [written: number, waiting: number, since: number]>();
  const timer = setInterval(() => {
    const now = performance.now();
    for (const socket of connections.open()) {
      const waiting = socket.writableLength;
      const written = socket.bytesWritten;
      const last = seen.get(socket);
      if (!last || !waiting || waiting !== last[1] || written !== last[0]) seen.set(socket, [written, waiting, now]);
      else if (now - last[2] >= sendTimeout) socket.destroy();
    }
  }, checkInterval(sendTimeout));
  timer.unref();
  server.once('close', () => clearInterval(timer));
}

/** How long a refused connection may stay open while its client reads our answer. */
const REFUSED_LINGER_MS = 1000;

// Written raw, before Node's HTTP parser sees the connection: a refused client costs no parsing.
const REFUSAL = rawError('503 Service Unavailable', 'overloaded', 'Too many connections: retry after the time in Retry-After.', ['retry-after: 1']);

function refuse(socket: Socket): void {
  socket.on('error', () => {});
  // Half-close after the answer and keep reading (and discarding) what the client sends: were
  // the socket closed with its request unread, the client would see a reset, not the 503.
  socket.end(REFUSAL);
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** What `guardConnections` gives the shutdown sequence. */
export interface Connections {
  /**
   * Closes every connection that is not owed an answer: idle between requests, or still
   * sending the headers of its next one. A request whose headers have arrived is left alone.
   */
  closeWaiting(): void;
  /** The connections kept open now (a refused one never is). */
  open(): Iterable<Socket>;
}

/**
 * Caps the connections `server` keeps open at `maxConnections`. A connection beyond the cap
 * gets an immediate 503 with `Retry-After: 1` and is closed: a fast, explicit answer rather
 * than a stall, and one a balancer passes on instead of counting as the instance failing.
 * `onRefused` is called for each such connection. Must be called before `server` accepts
 * its first connection.
 */
export function guardConnections(server: Server, maxConnections: number, log?: Log, onRefused?: () => void): Connections {
  // Every connection kept, with the requests on it whose answer is not yet complete (several
  // when pipelined).
  const open = new Map<Socket, number>();
  let refusing = false;

  // node:http parses a connection from its own 'connection' listener: we run first and hand
  // on only the connections we keep.
  const http = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (open.size >= maxConnections) {
      if (!refusing) log?.({ level: 'error', event: 'connection-cap-reached', maxConnections, pid: process.pid });
      refusing = true;
      refuse(socket);
      // Every refusal, for /metrics: the log has only the first of a burst.
      onRefused?.();
      return;
    }
    refusing = false;
    open.set(socket, 0);
    socket.once('close', () => open.delete(socket));
    for (const listener of http) listener.call(server, socket);
  });

  // The listeners below are made once and find their socket through `this`: every request
  // passes here, and two closures and a `once` wrapper per request measured as several
  // microseconds of a time answer.
  const count = (socket: Socket, change: number) => {
    const owed = open.get(socket);
    if (owed !== undefined) open.set(socket, owed + change);
  };
  const bodyRead = function (this: IncomingMessage) {
    count(this.socket, -1);
  };
  // Owed until answered and, when a body was sent, until it has been read to the end.
  // A response closes once, and a request ends at most once after it.
  const answered = function (this: ServerResponse) {
    const req = this.req;
    if (req.complete) count(req.socket, -1);
    else req.on('end', bodyRead);
  };
  // First in line, so the count is up before the app answers (which may be at once).
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    count(req.socket, 1);
    res.on('close', answered);
  });

  return {
    closeWaiting() {
      for (const [socket, owed] of open) if (!owed) socket.destroy();
    },
    open: () => open.keys(),
  };
}
