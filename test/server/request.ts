import { once } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

/** A response read in full, with its body left undecoded. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/**
 * Sends one request with exactly the given path and headers over a fresh connection, from
 * `localAddress` when given (a loopback address standing for a client of its own). Unlike
 * fetch it neither normalises the URL nor adds or decodes Accept-Encoding.
 */
export function request(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Writes `request` as raw bytes on a fresh connection to the server at `base` and resolves
 * with everything it answered, once it ended or closed the connection. With `halfClose` (the
 * default) the client's FIN follows the request at once, as `nc -N` sends it; without, the
 * client keeps its side open (a client still sending, or waiting for the server to close). A
 * server that resets the connection while a large request is still being written keeps what
 * arrived before. With `timeoutMs`, a server that keeps the connection open that long
 * without ending it fails the exchange, with what it had read.
 */
export async function rawExchange(base: string, request: string | Buffer, { halfClose = true, timeoutMs = 0 } = {}): Promise<string> {
  const url = new URL(base);
  const socket = connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true });
  socket.on('error', () => {});
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  if (halfClose) socket.end(request);
  else socket.write(request);
  const read = () => Buffer.concat(chunks).toString();
  let timer: NodeJS.Timeout | undefined;
  const ended = Promise.race([once(socket, 'end'), once(socket, 'close')]);
  const late = new Promise<never>((_, reject) => {
    if (timeoutMs) timer = setTimeout(() => reject(new Error(`no end in ${timeoutMs} ms, read ${JSON.stringify(read())}`)), timeoutMs);
  });
  try {
    await Promise.race([ended, late]);
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
  return read();
}
