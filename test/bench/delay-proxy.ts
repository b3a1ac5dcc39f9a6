/**
 * A reverse proxy that holds every request and every response for a fixed time: the bench's
 * stand-in for a distant widget server. It lives only here, never in the production server.
 */
import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, type Served } from '../support/http.js';

/** How long the proxy holds traffic in each direction, in ms. */
export interface Delays {
  request: number;
  response: number;
}

/** A running proxy. */
export interface DelayProxy extends Served {
  /** Responses completed so far, by path (without the query). */
  completed: Map<string, number>;
}

/** Proxies `http://127.0.0.1:PORT` to `upstream`, delaying each way by `delays`. */
export async function startDelayProxy(upstream: string, delays: Delays): Promise<DelayProxy> {
  const agent = new Agent({ keepAlive: true });
  const target = new URL(upstream);
  const completed = new Map<string, number>();
  const served = await serve(async (req: IncomingMessage, res: ServerResponse) => {
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);
    await sleep(delays.request);
    const upstreamRes = await new Promise<IncomingMessage>((resolve, reject) => {
      const out = request(
        { agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        resolve,
      );
      out.on('error', reject);
      out.end(Buffer.concat(body));
    }).catch(() => null);
    if (!upstreamRes) {
      res.writeHead(502).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of upstreamRes) chunks.push(chunk as Buffer);
    await sleep(delays.response);
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
    res.end(Buffer.concat(chunks));
    const path = (req.url ?? '/').split('?')[0];
    completed.set(path, (completed.get(path) ?? 0) + 1);
  });
  return {
    ...served,
    completed,
    async close() {
      await served.close();
      agent.destroy();
    },
  };
}
