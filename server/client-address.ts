import type { IncomingMessage } from 'node:http';

/**
 * The client's address, believing `X-Forwarded-For` only as far as `hops` trusted proxies
 * reach: with 1 hop (one load balancer in front) the last entry the balancer appended is the
 * client, and anything further left was written by the client itself and could be forged.
 * It is the rule Express applies for a numeric `trust proxy`, computed without parsing
 * addresses so the fast path can afford it on every request.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const remote = req.socket.remoteAddress ?? '';
  if (hops <= 0) return remote;
  const header = req.headers['x-forwarded-for'];
  if (!header) return remote;
  const list = (typeof header === 'string' ? header : header.join(',')).split(',');
  return list[hops <= list.length ? list.length - hops : 0].trim();
}
