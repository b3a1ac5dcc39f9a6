import { Agent, request } from 'node:http';

/** A bounded load: how many requests, over how many kept-alive connections, to what. */
export interface LoadOptions {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Path of the i-th request. */
  path: (i: number) => string;
  /** Upper bound on requests sent. */
  requests: number;
  connections: number;
  /** Called after each completed request with the number completed so far. */
  onCompleted?: (completed: number) => void;
  /** Once aborted, no further requests start (in-flight ones finish and are counted). */
  signal?: AbortSignal;
  /** Per-request limit; a request taking longer counts as failed. */
  timeoutMs?: number;
}

/** What a load run saw: successes, and every failure with its reason. */
export interface LoadResult {
  sent: number;
  ok: number;
  failures: string[];
}

function once(url: URL, agent: Agent, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? null : `${url.pathname}: HTTP ${res.statusCode} ${body.slice(0, 200)}`));
      res.on('error', (err) => resolve(`${url.pathname}: ${err.message}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve(`${url.pathname}: ${err.message}`));
    req.end();
  });
}

/**
 * Sends up to `requests` GETs over `connections` keep-alive connections and reports every
 * answer that is not a 200 (an error, a reset, a timeout or another status) as a failure.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const failures: string[] = [];
  let sent = 0;
  let completed = 0;
  const worker = async () => {
    while (sent < options.requests && !options.signal?.aborted) {
      const failure = await once(new URL(options.path(sent++), options.url), agent, timeoutMs);
      if (failure) failures.push(failure);
      options.onCompleted?.(++completed);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    agent.destroy();
  }
  return { sent, ok: completed - failures.length, failures };
}
