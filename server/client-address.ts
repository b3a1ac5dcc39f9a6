import type { IncomingMessage } from 'node:http';

/**
 * Longer than any address a proxy writes into `X-Forwarded-For`, port included: the longest,
 * `[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535`, has 53 characters.
 */
export const MAX_ADDRESS_LENGTH = 64;

/**
 * The client's address, believing `X-Forwarded-For` only as far as `hops` trusted proxies
 * reach: with 1 hop (one load balancer in front) the last entry the balancer appended is the
 * client, and anything further left was written by the client itself and could be forged.
 * It is the rule Express applies for a numeric `trust proxy`, computed without parsing
 * addresses so the fast path can afford it on every request.
 *
 * An entry longer than any address is no proxy's: the client wrote it, past proxies it went
 * around (the edge reached directly, where `hops` counts a CDN in front of it). It would be a
 * rate limit key held for a minute and a field of every access record, of up to the 64 kB of
 * headers an instance takes, each one a budget of its own; the address the next proxy to the
 * right saw is taken instead.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const remote = req.socket.remoteAddress ?? '';
  if (hops <= 0) return remote;
  const header = req.headers['x-forwarded-for'];
  if (!header) return remote;
  const list = (typeof header === 'string' ? header : header.join(',')).split(',');
  for (let i = hops <= list.length ? list.length - hops : 0; i < list.length; i++) {
    const entry = list[i].trim();
    if (entry.length <= MAX_ADDRESS_LENGTH) return entry;
  }
  return remote;
}
