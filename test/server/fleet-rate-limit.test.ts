// One rate limit for the whole fleet: instances behind Debian's nginx counting in one real
// redis-server (--rate-limit-store), and what happens when that Redis goes away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { createInterface } from 'node:readline';
import { startInstance } from '../support/instance.js';
import { runLoad } from '../support/load.js';
import { findNginx, NO_NGINX, pollUntil, startTopology, type Topology } from '../support/nginx.js';
import { scrape, valueOf } from '../support/prometheus.js';
import { findRedis, NO_REDIS, redisSkip, startRedis, type RedisServer } from '../support/redis.js';
import { freePort } from '../support/system.js';
import { Redis } from 'ioredis';
import { builtPath } from '../support/built.js';
import type { LogEntry } from '../../server/log.js';
import { REDIS_DEFAULTS, redisStores, StoreUnavailable } from '../../server/rate-limit-store.js';
import { rawExchange, request } from './request.js';

const NGINX = findNginx(process.env);
const REDIS = findRedis(process.env);
const skip = redisSkip(REDIS, process.env) || (NGINX ? false : NO_NGINX);
// The edge's own per-address limits are off: these tests are about the instances' shared budget
// (nginx-limits.test.ts tests the edge's).
const EDGE = { loaderEdgeTtl: '2s', failTimeout: '1s', limitReqRate: 'off', limitConn: 0 };

/** GET from a chosen loopback source address, so nginx and the instances see distinct clients. */
async function getFrom(url: string, localAddress: string): Promise<number> {
  const { origin, pathname, search } = new URL(url);
  return (await request(origin, pathname + search, { localAddress })).status;
}

/** Requests from `client` until one is refused; the number allowed before it. */
async function allowedBefore429(base: string, path: string, client: string, cap: number): Promise<number> {
  for (let i = 0; i < cap; i++) {
    const status = await getFrom(`${base}${path}${path.includes('?') ? '&' : '?'}n=${i}`, client);
    if (status === 429) return i;
    assert.equal(status, 200, `request ${i} from ${client}`);
  }
  throw new Error(`${client} was never limited in ${cap} requests`);
}

function requireRedis(): string {
  // Under CI=true the tests run without redis-server and fail here, saying how to get it.
  if (!REDIS) throw new Error(NO_REDIS);
  return REDIS;
}

describe('three instances behind nginx sharing one Redis store', { skip }, () => {
  const LIMIT = 6;
  let redis: RedisServer;
  let topology: Topology;
  before(async () => {
    redis = await startRedis(requireRedis());
    topology = await startTopology(NGINX!, 3, ['--trust-proxy', '1', '--rate-limit', String(LIMIT), '--rate-limit-store', redis.url], EDGE);
  });
  after(async () => {
    await topology?.stop();
    await redis?.stop();
  });

  it('gives a client one budget across all instances: the request after the limit is 429', async () => {
    const mark = topology.edge.log().length;
    assert.equal(await allowedBefore429(topology.edge.url, '/v1/time', '127.0.0.21', LIMIT * 3 + 2), LIMIT);
    const log = await topology.edge.waitForLog((l) => l.length >= mark + LIMIT + 1);
    const servedBy = new Set(log.slice(mark).map((e) => e.upstreams.at(-1)));
    assert.equal(servedBy.size, 3, 'round robin spread the budget over all three instances');
  });

  it('shares the budget of the other routes the same way', async () => {
    assert.equal(await allowedBefore429(topology.edge.url, '/v1/manifest.json', '127.0.0.22', LIMIT * 3 + 2), LIMIT);
  });

  it('still counts each client apart', async () => {
    await allowedBefore429(topology.edge.url, '/v1/time', '127.0.0.23', LIMIT * 3 + 2);
    assert.equal(await getFrom(`${topology.edge.url}/v1/time`, '127.0.0.24'), 200);
  });
});

describe('when Redis goes away under load', { skip }, () => {
  it('loses no request, logs the outage once, shows it in metrics, and counts again once Redis is back', async () => {
    const LIMIT = 600;
    const redis = await startRedis(requireRedis());
    const topology = await startTopology(NGINX!, 3,
      ['--trust-proxy', '1', '--rate-limit', String(LIMIT), '--rate-limit-store', redis.url, '--metrics-port', '0'], EDGE);
    const events = (name: string) => topology.instances.map((i) => i.errorLog().filter((r) => r.event === name).length);
    try {
      let killed: Promise<void> | undefined;
      let completed = 0;
      let completedAtDeath = Infinity;
      // One load client, under its budget until Redis dies; uncounted (fail open) after.
      const result = await runLoad({
        url: topology.edge.url,
        path: (i) => `/v1/time?id=outage${i}`,
        requests: 1200,
        connections: 20,
        onCompleted: (n) => {
          completed = n;
          if (n === 200) killed = redis.kill().then(() => void (completedAtDeath = completed));
        },
      });
      await killed;
      assert.deepEqual(result.failures, [], 'every request answered 200: no 5xx, no 429, no connection error');
      assert.equal(result.ok, 1200);
      assert.ok(completedAtDeath < 1000, `Redis died while the load was still running (at ${completedAtDeath})`);

      // Every instance noticed (its client's reconnects fail even without traffic) and said so once.
      await pollUntil(() => (events('rate-limit-store-down').every((n) => n >= 1) ? true : undefined), 10_000, 'each instance to log the outage');
      assert.deepEqual(events('rate-limit-store-down'), [1, 1, 1]);
      const during = await scrape(topology.instances[0].metricsUrl!);
      assert.equal(valueOf(during, 'crossclock_rate_limit_store_up'), 0);
      assert.ok(valueOf(during, 'crossclock_rate_limit_store_errors_total')! >= 1);
      const uncounted = await Promise.all(topology.instances.map(async (i) => valueOf(await scrape(i.metricsUrl!), 'crossclock_rate_limit_passed_uncounted_total')!));
      assert.ok(uncounted.reduce((a, b) => a + b, 0) > 0, 'requests passed uncounted during the outage');

      await redis.restart();
      await pollUntil(() => (events('rate-limit-store-up').every((n) => n >= 1) ? true : undefined), 15_000, 'each instance to reconnect');
      // Each outage is logged once and ended once. A restarted Redis that is slow to answer its
      // first commands on a loaded machine (over the 250 ms command timeout) is a second, real
      // outage with a line of its own, so only the pairing is exact here; the outage above
      // showed that a long one is one line however many reconnects fail.
      await pollUntil(() => {
        const [down, up] = [events('rate-limit-store-down'), events('rate-limit-store-up')];
        return down.every((n, i) => n === up[i]) ? true : undefined;
      }, 15_000, 'every outage to be ended by one up line');
      assert.equal(valueOf(await scrape(topology.instances[0].metricsUrl!), 'crossclock_rate_limit_store_up'), 1);
      // The restarted Redis is empty: a new client gets exactly one shared budget again.
      assert.equal(await allowedBefore429(topology.edge.url, '/v1/time', '127.0.0.31', LIMIT + 5), LIMIT);
    } finally {
      await topology.stop();
      await redis.stop();
    }
  });

  it('starts and serves while Redis is down, and counts once it comes up', async () => {
    const redis = await startRedis(requireRedis());
    await redis.kill();
    const instance = await startInstance(['--rate-limit', '3', '--rate-limit-store', redis.url]);
    try {
      for (let i = 0; i < 6; i++) assert.equal(await getFrom(`${instance.url}/v1/time`, '127.0.0.41'), 200);
      assert.equal(instance.errorLog().filter((r) => r.event === 'rate-limit-store-down').length, 1);
      await redis.restart();
      await pollUntil(() => (instance.errorLog().some((r) => r.event === 'rate-limit-store-up') ? true : undefined), 15_000, 'the reconnect');
      assert.equal(await allowedBefore429(instance.url, '/v1/time', '127.0.0.42', 10), 3);
    } finally {
      await instance.stop();
      await redis.stop();
    }
  });

  it('answers while Redis hangs: a frozen Redis costs a bounded wait, not a stalled feed', async () => {
    const redis = await startRedis(requireRedis());
    const instance = await startInstance(['--rate-limit', '100', '--rate-limit-store', redis.url, '--metrics-port', '0']);
    try {
      assert.equal(await getFrom(`${instance.url}/v1/time`, '127.0.0.51'), 200);
      redis.freeze();
      // Without a command timeout these would wait for Redis forever; the load's own 10 s
      // per-request limit would then report them as failures.
      const result = await runLoad({ url: instance.url, path: (i) => `/v1/time?id=hung${i}`, requests: 100, connections: 10, timeoutMs: 5000 });
      assert.deepEqual(result.failures, []);
      assert.equal(valueOf(await scrape(instance.metricsUrl!), 'crossclock_rate_limit_store_up'), 0);
      redis.thaw();
      await pollUntil(async () => {
        // While failing, a request per second probes the store; one that succeeds ends the outage.
        await getFrom(`${instance.url}/v1/time`, '127.0.0.52');
        return valueOf(await scrape(instance.metricsUrl!), 'crossclock_rate_limit_store_up') === 1 ? true : undefined;
      }, 15_000, 'counting to resume');
      assert.deepEqual(instance.errorLog().filter((r) => /^rate-limit-store-/.test(String(r.event))).map((r) => r.event), ['rate-limit-store-down', 'rate-limit-store-up']);
    } finally {
      redis.thaw();
      await instance.stop();
      await redis.stop();
    }
  });
});

describe('with a Redis store, a client that half-closes after sending its requests', { skip: redisSkip(REDIS, process.env) }, () => {
  /** Sends `raw`, then ends its side (FIN) at once, and resolves with all it reads until the server ends too. */
  // Bounded: a server that keeps the connection open without answering fails the test.
  const halfClose = (port: number, raw: string) => rawExchange(`http://127.0.0.1:${port}`, raw, { timeoutMs: 10_000 });

  it('still gets every answer, though the store answers only after the FIN arrived', async () => {
    // `printf 'GET … HTTP/1.0' | nc -N`, some health checkers and HTTP/1.0 tools: the request,
    // then the client's FIN. Node ended our side at the FIN, before Redis had answered.
    const redis = await startRedis(requireRedis());
    const instance = await startInstance(['--rate-limit', '100', '--rate-limit-store', redis.url]);
    try {
      const one = await halfClose(instance.port, 'GET /v1/time?callback=cb&id=7 HTTP/1.0\r\n\r\n');
      assert.match(one, /^HTTP\/1\.1 200 [^]*\r\n\r\n\/\*\*\/ ?typeof cb === 'function' && cb\(\{[^]*"id":"7"/);
      const two = await halfClose(instance.port, 'GET /v1/time?callback=a&id=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /getTime?callback=b HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal(two.match(/HTTP\/1\.1 200 /g)?.length, 2, two);
      assert.match(two, /a\(\{[^]*b\(\{"strTime"/);
    } finally {
      await instance.stop();
      await redis.stop();
    }
  });
});

describe('with a database number the Redis does not have (/99 where it has 16)', { skip: redisSkip(REDIS, process.env) }, () => {
  // Redis refuses only the SELECT; a client that carried on would count in database 0, among
  // whatever else lives there, while the operator believes the counts are in their own database.
  it('counts nothing, in database 0 or anywhere, and says why at start', async () => {
    const redis = await startRedis(requireRedis());
    // Probing on every request: each increment tries Redis unless the store knows it cannot count.
    const stores = redisStores(`${redis.url}/99`, () => {}, { probeIntervalMs: 0 });
    const look = new Redis(redis.url);
    try {
      const refused = await stores.ready();
      const store = stores.create('time');
      store.init?.({ windowMs: 60_000 } as Parameters<NonNullable<typeof store.init>>[0]);
      // Until its connection is up an attempt fails on the socket ("…: Stream isn't writeable");
      // then it is counted (wrongly, in database 0) or passed uncounted without an attempt.
      const outcome = await pollUntil(async () => {
        try {
          await store.increment('127.0.0.41');
          return 'counted';
        } catch (err) {
          assert.ok(err instanceof StoreUnavailable);
          return err.message === 'rate limit store unavailable' ? 'passed uncounted' : undefined;
        }
      }, 10_000, 'the store to count or to give up');
      assert.equal(outcome, 'passed uncounted');
      assert.equal(await look.dbsize(), 0, 'nothing written to database 0');
      assert.equal(stores.health.up, false);
      assert.match(String(refused), /DB index is out of range/);
    } finally {
      look.disconnect();
      await stores.close();
      await redis.stop();
    }
  });

  it('logs why once Redis answers after an outage at start, not only the outage it began with', async () => {
    const redis = await startRedis(requireRedis());
    await redis.kill();
    const records: LogEntry[] = [];
    const stores = redisStores(`${redis.url}/99`, (r) => records.push(r));
    try {
      // Redis down at start: the server starts, counting nothing, and logs that outage.
      assert.equal(await stores.ready(), null);
      await redis.restart();
      // Redis is back, but refuses the database: the operator must be told that, not left with
      // "connection refused" while `redis-cli ping` answers PONG.
      await pollUntil(() => (records.some((r) => /DB index is out of range/.test(String(r.message))) ? true : undefined), 10_000, 'the refusal in the log')
        .catch((err: Error) => assert.fail(`${err.message}: ${JSON.stringify(records)}`));
      assert.equal(stores.health.up, false);
    } finally {
      await stores.close();
      await redis.stop();
    }
  });

  it('stops the server at start with one message and exit code 2, before it listens', async () => {
    const redis = await startRedis(requireRedis());
    const child = spawn(process.execPath, [builtPath('server/main.js'), '--port', '0', '--rate-limit-store', `${redis.url}/99`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    try {
      // Whichever comes first: the exit, or (the fault) a "listening on" line.
      const first = await Promise.race([
        once(child, 'close').then(([code]) => ({ code })),
        once(createInterface({ input: child.stdout }), 'line').then(([line]) => ({ line })),
      ]);
      assert.deepEqual(first, { code: 2 });
      assert.equal(err, `crossclock: the rate limit store ${redis.url}/99 cannot be used: ERR DB index is out of range\n`);
    } finally {
      child.kill();
      await redis.stop();
    }
  });
});

describe('with a Redis URL where nothing answers (no redis-server needed)', () => {
  it('starts, serves every route uncounted, logs the outage once and shows it in metrics', async () => {
    // A port that was free a moment ago: connections to it are refused.
    const port = await freePort();
    const instance = await startInstance(['--rate-limit', '2', '--rate-limit-store', `redis://127.0.0.1:${port}`, '--metrics-port', '0']);
    try {
      for (let i = 0; i < 5; i++) {
        assert.equal(await getFrom(`${instance.url}/v1/time`, '127.0.0.61'), 200);
        assert.equal(await getFrom(`${instance.url}/v1/manifest.json`, '127.0.0.61'), 200);
      }
      const m = await scrape(instance.metricsUrl!);
      assert.equal(valueOf(m, 'crossclock_rate_limit_store_up'), 0);
      assert.equal(valueOf(m, 'crossclock_rate_limit_passed_uncounted_total'), 10);
      assert.equal(valueOf(m, 'crossclock_http_requests_total', { route: 'time', status: '200' }), 5);
      assert.equal(instance.errorLog().filter((r) => r.event === 'rate-limit-store-down').length, 1);
      assert.equal(instance.errorLog().filter((r) => r.level === 'error').length, 1, 'no per-request error lines');
    } finally {
      assert.equal(await instance.stop(), 0);
    }
  });
});

// docs/server.md ("When Redis is unreachable") states these; the behaviour tests above rely on them.
describe('numbers the Redis store docs state', () => {
  it('waits at most 250 ms on a command, probes a failing Redis once a second, reconnects within 2 s', () => {
    assert.deepEqual(REDIS_DEFAULTS, { commandTimeoutMs: 250, probeIntervalMs: 1000, maxReconnectDelayMs: 2000, connectTimeoutMs: 2000 });
  });
});
