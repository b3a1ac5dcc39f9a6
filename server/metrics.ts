import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';
import type { StoreHealth } from './rate-limit-store.js';

/**
 * Request metrics in Prometheus form, built to stay off the hot path: a request costs two
 * `performance.now()` calls and three typed-array increments (its status, its latency bucket,
 * its latency sum). prom-client turns those arrays into counters and a histogram only when
 * scraped: its own `observe` hashes a labels object on every call, which measured several times
 * the cost of the rest together. Route labels come from a small fixed set, never from the
 * URL, so a client cannot grow the number of series.
 */

/**
 * The route label values; a request's route is an index into this list. `refused` is every
 * request answered before any route saw it: those node:http's parser refused, and CONNECT.
 */
export const ROUTES = ['time', 'gettime', 'cdn', 'snippet', 'configurator', 'health', 'other', 'refused'] as const;
/** One of ROUTES. */
export type Route = (typeof ROUTES)[number];

/** Index of each route in ROUTES. */
export const ROUTE = Object.fromEntries(ROUTES.map((r, i) => [r, i])) as { [K in Route]: number };

// Every status a response can carry (100–599) has its slot; anything else is counted as 0.
const STATUSES = 600;

/** Latency buckets, seconds: the time feed answers in well under a millisecond. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The route label of a request the Express app serves, from its URL prefix. */
export function routeOf(url: string): number {
  if (url.startsWith('/v1/snippet')) return ROUTE.snippet;
  if (url.startsWith('/v1/')) return ROUTE.cdn;
  if (url.startsWith('/healthz') || url.startsWith('/readyz')) return ROUTE.health;
  if (url === '/' || url.startsWith('/?') || url.startsWith('/configurator/')) return ROUTE.configurator;
  return ROUTE.other;
}

/**
 * A prom-client histogram whose counts live in typed arrays filled by `observe(route, s)`;
 * its snapshot (what a scrape and the cluster aggregator read) is built from them on demand.
 */
class RouteHistogram extends Histogram<'route'> {
  constructor(private readonly metricName: string, private readonly helpText: string, registry: Registry) {
    super({ name: metricName, help: helpText, labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [registry] });
  }

  // Per route: one count per bucket (the last is +Inf, not cumulative), then the sum.
  private readonly counts = new Float64Array(ROUTES.length * (LATENCY_BUCKETS.length + 1));
  private readonly sums = new Float64Array(ROUTES.length);

  /** Counts one latency of `seconds` for `route` (an index into ROUTES). */
  record(route: number, seconds: number): void {
    let b = 0;
    while (b < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[b]) b++;
    this.counts[route * (LATENCY_BUCKETS.length + 1) + b]++;
    this.sums[route] += seconds;
  }

  private snapshot(): MetricObjectWithValues<MetricValueWithName<string>> {
    const values: MetricValueWithName<string>[] = [];
    const width = LATENCY_BUCKETS.length + 1;
    for (let r = 0; r < ROUTES.length; r++) {
      let total = 0;
      for (let b = 0; b < width; b++) total += this.counts[r * width + b];
      if (total === 0) continue;
      const route = ROUTES[r];
      let cumulative = 0;
      for (let b = 0; b < width; b++) {
        cumulative += this.counts[r * width + b];
        const le = b < LATENCY_BUCKETS.length ? LATENCY_BUCKETS[b] : '+Inf';
        values.push({ labels: { le, route }, value: cumulative, metricName: `${this.metricName}_bucket` });
      }
      values.push({ labels: { route }, value: this.sums[r], metricName: `${this.metricName}_sum` });
      values.push({ labels: { route }, value: total, metricName: `${this.metricName}_count` });
    }
    // The shape Histogram#get returns; `type` is the string prom-client writes in # TYPE.
    return { name: this.metricName, help: this.helpText, type: 'histogram', aggregator: 'sum', values } as unknown as MetricObjectWithValues<MetricValueWithName<string>>;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    return this.snapshot();
  }

  /** What Registry#metrics() reads when present (prom-client 15); the same snapshot. */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    return this.snapshot();
  }
}

/** What the server records per request; read at scrape time. */
export interface RequestMetrics {
  readonly registry: Registry;
  /** Marks a request started; pass the result to `done`. */
  start(): number;
  /** Records a finished request: its route (index into ROUTES), status and `start()` mark. */
  done(route: number, status: number, started: number): void;
  /**
   * Records a request answered the moment it was read, outside the app (a CONNECT, a request
   * the parser refused): counted as `done` counts, with a latency of 0 (its access record's
   * `ms`), and never in flight.
   */
  answeredAtOnce(route: number, status: number): void;
  /** Records a connection refused with 503 at the `--max-connections` cap, before any request. */
  refused(): void;
}

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** Process metrics (CPU, memory, handles, event-loop lag); once per process. */
  processMetrics?: boolean;
  /** The rate limit store's state, shown as store gauges and counters. */
  store?: StoreHealth;
}

/** Builds the metrics of one serving process in a registry of its own. */
export function createMetrics(options: MetricsOptions = {}): RequestMetrics {
  const registry = new Registry();
  const counts = new Float64Array(ROUTES.length * STATUSES);
  let inFlight = 0;

  new Counter({
    name: 'crossclock_http_requests_total',
    help: 'Requests answered, by route and status.',
    labelNames: ['route', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (let i = 0; i < counts.length; i++) {
        if (counts[i]) this.inc({ route: ROUTES[Math.floor(i / STATUSES)], status: String(i % STATUSES) }, counts[i]);
      }
    },
  });
  new Counter({
    name: 'crossclock_rate_limited_total',
    help: 'Requests refused with 429 by the per-client rate limit, by route.',
    labelNames: ['route'],
    registers: [registry],
    collect() {
      this.reset();
      for (let r = 0; r < ROUTES.length; r++) {
        const n = counts[r * STATUSES + 429];
        if (n) this.inc({ route: ROUTES[r] }, n);
      }
    },
  });
  let refused = 0;
  new Counter({
    name: 'crossclock_connections_refused_total',
    help: 'Connections answered 503 and closed at the --max-connections cap, before any request was read.',
    registers: [registry],
    collect() {
      this.reset();
      if (refused) this.inc(refused);
    },
  });
  new Gauge({
    name: 'crossclock_http_requests_in_flight',
    help: 'Requests received and not yet answered.',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  const latency = new RouteHistogram(
    'crossclock_http_request_duration_seconds',
    'Time from receiving a request to handing its answer to the socket, by route.',
    registry,
  );

  const store = options.store;
  if (store) {
    new Gauge({
      name: 'crossclock_rate_limit_store_up',
      help: '1 while the rate limit store counts; 0 while it fails and requests pass uncounted (fail open). Across workers: the lowest.',
      registers: [registry],
      aggregator: 'min',
      collect() {
        this.set(store.up ? 1 : 0);
      },
    });
    new Counter({
      name: 'crossclock_rate_limit_store_errors_total',
      help: 'Rate limit store failures: commands that failed (unreachable, timed out, error reply) and failed reconnects.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(store.errors);
      },
    });
    new Counter({
      name: 'crossclock_rate_limit_passed_uncounted_total',
      help: 'Requests let through without counting because the rate limit store failed.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(store.passedUncounted);
      },
    });
  }
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  const count = (route: number, status: number, seconds: number) => {
    counts[route * STATUSES + (status > 0 && status < STATUSES ? status : 0)]++;
    latency.record(route, seconds);
  };

  return {
    registry,
    start() {
      inFlight++;
      return performance.now();
    },
    done(route, status, started) {
      inFlight--;
      count(route, status, (performance.now() - started) / 1000);
    },
    answeredAtOnce(route, status) {
      count(route, status, 0);
    },
    refused() {
      refused++;
    },
  };
}

/**
 * The listener of the private metrics port: `GET /metrics` answers `scrape()` in Prometheus
 * text format; nothing else is served there.
 */
export function metricsListener(scrape: () => Promise<string>, contentType: string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return plain(res, 404, 'Not found: metrics are at /metrics.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed.\n');
    }
    scrape().then(
      (text) => {
        res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      // A worker that dies mid-scrape leaves the aggregation waiting: the scraper retries later.
      (err) => plain(res, 503, `Metrics unavailable: ${(err as Error).message}\n`),
    );
  };
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
