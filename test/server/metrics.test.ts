import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { createMetrics, LATENCY_BUCKETS, metricsListener } from '../../server/metrics.js';
import { serve } from '../support/http.js';
import { startInstance } from '../support/instance.js';
import { pollUntil } from '../support/nginx.js';
import { parsePrometheus, scrape, valueOf, type PromSample } from '../support/prometheus.js';
import { rawExchange, request } from './request.js';

/** An app recording into fresh metrics, the metrics served on a listener of their own. */
async function withMetrics(rateLimit: number, body: (app: string, read: () => Promise<PromSample[]>, url: string) => Promise<void>): Promise<void> {
  const metrics = createMetrics();
  const app = await serve(createApp({ rateLimit, metrics }));
  const port = await serve(metricsListener(() => metrics.registry.metrics(), metrics.registry.contentType));
  try {
    await body(app.url, () => scrape(port.url + '/metrics'), port.url + '/metrics');
  } finally {
    await Promise.all([app.close(), port.close()]);
  }
}

describe('/metrics after known traffic', () => {
  it('counts requests by route and status, and the rate-limited ones apart', async () => {
    await withMetrics(4, async (app, read) => {
      for (let i = 0; i < 5; i++) await request(app, `/v1/time?id=m${i}`);
      await request(app, '/getTime?callback=cb');
      await request(app, '/v1/time?callback=1bad');
      await request(app, '/nope');
      await request(app, '/healthz');
      const m = await read();
      // The limit (4) counts /getTime and /v1/time together: four answered, the rest refused.
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'time', status: '200' }), 4);
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'time', status: '429' }), 2);
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'gettime', status: '429' }), 1);
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'other', status: '404' }), 1);
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'health', status: '200' }), 1);
      assert.equal(valueOf(m, 'crossclock_rate_limited_total', { route: 'time' }), 2);
      assert.equal(valueOf(m, 'crossclock_rate_limited_total', { route: 'gettime' }), 1);
      assert.equal(valueOf(m, 'crossclock_http_requests_in_flight'), 0);
    });
  });

  it('leaves no request in flight when a pipelining client resets its socket at once', async () => {
    await withMetrics(0, async (app, read) => {
      const { hostname, port } = new URL(app);
      for (let i = 0; i < 20; i++) {
        const socket = connect(Number(port), hostname);
        socket.on('error', () => {});
        await once(socket, 'connect');
        // Four requests in one write, then a reset: the answers queued behind the first are
        // never sent, and Node never closes them.
        socket.write('GET /nope HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(4));
        socket.resetAndDestroy();
      }
      const settled = await pollUntil(async () => {
        const m = await read();
        return valueOf(m, 'crossclock_http_requests_in_flight') === 0 ? m : undefined;
      }, 5000, 'no request left in flight');
      // Every request the server saw is counted, queued ones included.
      assert.ok((valueOf(settled, 'crossclock_http_requests_total', { route: 'other', status: '404' }) ?? 0) > 0);
    });
  });

  it('records each answered request once in the latency histogram of its route', async () => {
    await withMetrics(0, async (app, read) => {
      for (let i = 0; i < 7; i++) await request(app, '/v1/time');
      await request(app, '/v1/manifest.json');
      const m = await read();
      assert.equal(valueOf(m, 'crossclock_http_request_duration_seconds_count', { route: 'time' }), 7);
      assert.equal(valueOf(m, 'crossclock_http_request_duration_seconds_count', { route: 'cdn' }), 1);
      assert.equal(valueOf(m, 'crossclock_http_request_duration_seconds_bucket', { route: 'time', le: '+Inf' }), 7);
      // Buckets are cumulative: never decreasing, ending at the count.
      const buckets = LATENCY_BUCKETS.map((le) => valueOf(m, 'crossclock_http_request_duration_seconds_bucket', { route: 'time', le: String(le) })!);
      assert.deepEqual([...buckets].sort((a, b) => a - b), buckets);
      assert.ok(valueOf(m, 'crossclock_http_request_duration_seconds_sum', { route: 'time' })! > 0);
    });
  });

  it('never makes a label of a URL: two hundred distinct paths add no series', async () => {
    await withMetrics(0, async (app, read) => {
      await request(app, '/first-unknown');
      const before = (await read()).length;
      for (let i = 0; i < 200; i++) await request(app, `/unknown-${i}?x=${i}`);
      const after = await read();
      assert.equal(after.length, before);
      assert.equal(valueOf(after, 'crossclock_http_requests_total', { route: 'other', status: '404' }), 201);
    });
  });

  it('reads as valid Prometheus text with HELP and TYPE for every metric', async () => {
    await withMetrics(0, async (app, _read, url) => {
      await request(app, '/v1/time');
      const res = await fetch(url);
      assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      for (const name of ['crossclock_http_requests_total', 'crossclock_rate_limited_total', 'crossclock_http_requests_in_flight', 'crossclock_http_request_duration_seconds']) {
        assert.match(text, new RegExp(`^# HELP ${name} `, 'm'));
        assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
      }
      assert.doesNotThrow(() => parsePrometheus(text));
    });
  });
});

/** The request metrics of route `route`: each status's count, and the latency histogram's count. */
function routeCounts(m: PromSample[], route: string): { statuses: Record<string, number>; timed: number | undefined } {
  const statuses: Record<string, number> = {};
  for (const s of m) if (s.name === 'crossclock_http_requests_total' && s.labels.route === route) statuses[s.labels.status] = s.value;
  return { statuses, timed: valueOf(m, 'crossclock_http_request_duration_seconds_count', { route }) };
}

describe('requests answered before any route saw them (--metrics-port)', () => {
  // A short headers timeout, so the slow client below is answered 408 within a second.
  const FLAGS = ['--metrics-port', '0', '--rate-limit', '0', '--headers-timeout', '500'];

  it('an unknown method, two Content-Lengths, a control character in a header, bytes that are no HTTP, oversized headers and a slow-header timeout each count once under route "refused" with their status', async () => {
    const instance = await startInstance(FLAGS);
    try {
      const refusals: [name: string, request: string | Buffer, status: number, stillSending?: boolean][] = [
        ['an unknown method', 'FOO /v1/time HTTP/1.1\r\nHost: x\r\n\r\n', 405],
        ['two Content-Lengths', 'GET /v1/time HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400],
        ['a control character in a header value', Buffer.from('GET /v1/time HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n', 'latin1'), 400],
        ['no HTTP at all (a TLS handshake)', '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03', 400],
        ['headers past 64 kB', `GET /v1/time HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(70_000)}\r\n\r\n`, 431],
        // Headers never finished: the server answers once --headers-timeout has passed.
        ['a slow-header timeout', 'GET /v1/time HTTP/1.1\r\nHost: x\r\nX-A: b\r\n', 408, true],
      ];
      for (const [name, request, status, stillSending] of refusals) {
        assert.match(await rawExchange(instance.url, request, { halfClose: !stillSending }), new RegExp(`^HTTP/1\\.1 ${status} `), name);
      }
      const m = await scrape(instance.metricsUrl!);
      // Before, none of them was in any request metric, though each had its access record.
      assert.deepEqual(routeCounts(m, 'refused'), { statuses: { 405: 1, 400: 3, 431: 1, 408: 1 }, timed: refusals.length });
      // Under that one label only: no route's series, and nothing left in flight.
      for (const route of ['time', 'gettime', 'cdn', 'snippet', 'configurator', 'health', 'other']) assert.deepEqual(routeCounts(m, route), { statuses: {}, timed: undefined }, route);
      assert.equal(valueOf(m, 'crossclock_http_requests_in_flight'), 0);
    } finally {
      await instance.stop();
    }
  });

  it('a CONNECT counts once under route "refused" with its 405, whatever its target', async () => {
    const instance = await startInstance(FLAGS);
    try {
      for (const target of ['/v1/time', 'widget.example:443']) {
        assert.match(await rawExchange(instance.url, `CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`), /^HTTP\/1\.1 405 /, target);
      }
      const m = await scrape(instance.metricsUrl!);
      assert.deepEqual(routeCounts(m, 'refused'), { statuses: { 405: 2 }, timed: 2 });
      assert.deepEqual(routeCounts(m, 'time'), { statuses: {}, timed: undefined });
    } finally {
      await instance.stop();
    }
  });

  it('a connection its client resets before its request is whole is no answered request: it counts nowhere and has no access record', async () => {
    const instance = await startInstance([...FLAGS, '--access-log']);
    try {
      const reset = connect(instance.port, '127.0.0.1');
      reset.on('error', () => {});
      await once(reset, 'connect');
      reset.write('GET /v1/time HTTP/1.1\r\nHost: x\r\n');
      reset.resetAndDestroy();
      await once(reset, 'close');
      // One refusal after it, which must count: the reset must not count beside it.
      assert.match(await rawExchange(instance.url, 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.1 405 /);
      const m = await scrape(instance.metricsUrl!);
      // node:http reads such a reset as the request's end: the 400 it was answered with never
      // reached the client, and was counted and logged as if it had.
      assert.deepEqual(routeCounts(m, 'refused'), { statuses: { 405: 1 }, timed: 1 });
      assert.deepEqual(routeCounts(m, 'time'), { statuses: {}, timed: undefined });
      await pollUntil(() => (instance.accessLog().length >= 1 ? true : undefined), 5000, 'the access record');
      assert.deepEqual(instance.accessLog().map((r) => [r.method, r.status]), [['FOO', 405]]);
    } finally {
      await instance.stop();
    }
  });
});

describe('the metrics port (--metrics-port)', () => {
  it('is a separate listener on loopback: the public port answers 404 for /metrics', async () => {
    const instance = await startInstance(['--metrics-port', '0', '--rate-limit', '2']);
    try {
      assert.ok(instance.metricsUrl, 'the metrics URL is announced');
      assert.match(instance.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      assert.notEqual(new URL(instance.metricsUrl).port, String(instance.port));
      assert.equal((await request(instance.url, '/metrics')).status, 404);
    } finally {
      await instance.stop();
    }
  });

  it('is not rate limited, and shows process metrics and event-loop lag', async () => {
    const instance = await startInstance(['--metrics-port', '0', '--rate-limit', '2']);
    try {
      for (let i = 0; i < 5; i++) assert.equal((await fetch(instance.metricsUrl!)).status, 200);
      const m = await scrape(instance.metricsUrl!);
      assert.ok(valueOf(m, 'process_cpu_user_seconds_total')! > 0);
      assert.ok(valueOf(m, 'process_resident_memory_bytes')! > 0);
      assert.notEqual(valueOf(m, 'nodejs_eventloop_lag_seconds'), undefined);
    } finally {
      await instance.stop();
    }
  });

  it('answers 405 with Allow to other methods, and 404 beside /metrics', async () => {
    const instance = await startInstance(['--metrics-port', '0']);
    try {
      const base = new URL(instance.metricsUrl!).origin;
      const post = await request(base, '/metrics', { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.allow, 'GET, HEAD');
      assert.equal((await request(base, '/')).status, 404);
    } finally {
      await instance.stop();
    }
  });

  it('is off by default: no metrics listener is announced', async () => {
    const instance = await startInstance([]);
    try {
      assert.equal(instance.metricsUrl, null);
    } finally {
      await instance.stop();
    }
  });
});

describe('/metrics with --workers 2', () => {
  it('sums the counts of both workers in one scrape', async () => {
    const instance = await startInstance(['--workers', '2', '--metrics-port', '0', '--rate-limit', '0']);
    try {
      // A fresh connection per request: the cluster's round robin spreads them over both
      // workers, so a scrape of one worker alone would show about half.
      const N = 40;
      for (let i = 0; i < N; i++) assert.equal((await request(instance.url, '/v1/time')).status, 200);
      for (let i = 0; i < 3; i++) assert.equal((await request(instance.url, '/nope')).status, 404);
      const m = await scrape(instance.metricsUrl!);
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'time', status: '200' }), N);
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'other', status: '404' }), 3);
      assert.equal(valueOf(m, 'crossclock_http_request_duration_seconds_count', { route: 'time' }), N);
      // Each worker reports its own process metrics; both are summed.
      assert.ok(valueOf(m, 'nodejs_active_handles_total')! >= 2);
    } finally {
      assert.equal(await instance.stop(), 0);
    }
  });
});
