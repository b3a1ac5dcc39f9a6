import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULTS, parseConfig, type ServerConfig } from '../../server/config.js';
import { BODY_GRACE_MS, MAX_HEADER_BYTES, timeoutOptions } from '../../server/connections.js';
import { CLOSE_WAITING_EVERY_MS } from '../../server/shutdown.js';
import { readDoc, tableRows } from '../support/docs.js';

describe('parseConfig', () => {
  it('has production defaults: one process, no trusted proxy, keep-alive above a balancer\'s 60 s', () => {
    assert.deepEqual(parseConfig([], {}), {
      port: 3000,
      host: '127.0.0.1',
      publicUrl: null,
      workers: 1,
      trustProxy: 0,
      rateLimit: 1200,
      keepAliveTimeout: 65_000,
      headersTimeout: 5_000,
      sendTimeout: 10_000,
      maxConnections: 10_000,
      maxWorkerDeaths: 10,
      shutdownTimeout: 10_000,
      accessLog: false,
      rateLimitStore: null,
      metricsPort: null,
      metricsHost: '127.0.0.1',
    });
  });

  it('reads every flag, in both spellings', () => {
    const c = parseConfig(
      ['--workers', '4', '--trust-proxy=2', '--rate-limit', '0', '--keep-alive-timeout', '75000',
        '--headers-timeout=80000', '--send-timeout', '20000', '--max-connections', '500', '--shutdown-timeout', '5000', '--access-log', '--public-url', 'https://c.example.com/'],
      {},
    );
    assert.equal(c.workers, 4);
    assert.equal(c.trustProxy, 2);
    assert.equal(c.rateLimit, 0);
    assert.equal(c.keepAliveTimeout, 75_000);
    assert.equal(c.headersTimeout, 80_000);
    assert.equal(c.sendTimeout, 20_000);
    assert.equal(c.maxConnections, 500);
    assert.equal(c.shutdownTimeout, 5000);
    assert.equal(c.accessLog, true);
    assert.equal(c.publicUrl, 'https://c.example.com');
  });

  it('reads the environment when a flag is absent, and prefers the flag', () => {
    const env = { WORKERS: '2', TRUST_PROXY: '1', RATE_LIMIT: '60', ACCESS_LOG: 'true', SHUTDOWN_TIMEOUT: '3000', SEND_TIMEOUT: '4000' };
    const c = parseConfig(['--workers', '3'], env);
    assert.deepEqual([c.workers, c.trustProxy, c.rateLimit, c.accessLog, c.shutdownTimeout, c.sendTimeout], [3, 1, 60, true, 3000, 4000]);
  });

  it('keeps of the public URL only its origin and path: no query, fragment or credentials end up in snippets', () => {
    assert.equal(parseConfig(['--public-url', 'https://user:pw@c.example.com/clock/?v=1#x'], {}).publicUrl, 'https://c.example.com/clock');
  });

  it('bounds the headers to a few seconds whatever the keep-alive timeout', () => {
    assert.equal(parseConfig(['--keep-alive-timeout', '120000'], {}).headersTimeout, 5_000);
    assert.equal(parseConfig([], { HEADERS_TIMEOUT: '2000', MAX_CONNECTIONS: '64' }).headersTimeout, 2_000);
    assert.equal(parseConfig([], { MAX_CONNECTIONS: '64' }).maxConnections, 64);
  });

  it('accepts each stated maximum itself, and refuses one more', () => {
    assert.equal(parseConfig(['--rate-limit', '1000000000'], {}).rateLimit, 1_000_000_000);
    assert.throws(() => parseConfig(['--rate-limit', '1000000001'], {}), /--rate-limit must be requests per minute from 0 to 1000000000/);
  });

  it('refuses values out of range with the flag named', () => {
    for (const [argv, message] of [
      [['--workers', '0'], /--workers must be a number of processes from 1 to 64/],
      [['--max-worker-deaths', '1'], /--max-worker-deaths must be a number of deaths from 2 to 1000/],
      [['--max-connections', '0'], /--max-connections must be a number of connections from 1 to 1000000/],
      [['--trust-proxy', '-1'], /--trust-proxy must be/],
      [['--rate-limit', 'lots'], /--rate-limit must be requests per minute/],
      [['--access-log=maybe'], /--access-log must be true or false/],
      [['--colour', 'red'], /unknown flag --colour/],
    ] as const) {
      assert.throws(() => parseConfig(argv, {}), (err: Error) => err instanceof ConfigError && message.test(err.message));
    }
  });

  it('takes a Redis URL as the rate limit store, from the flag or RATE_LIMIT_STORE', () => {
    assert.equal(parseConfig(['--rate-limit-store', 'redis://10.0.0.5:6379/2'], {}).rateLimitStore, 'redis://10.0.0.5:6379/2');
    assert.equal(parseConfig([], { RATE_LIMIT_STORE: 'rediss://:secret@cache.internal' }).rateLimitStore, 'rediss://:secret@cache.internal');
    assert.equal(parseConfig(['--rate-limit-store=memory'], { RATE_LIMIT_STORE: 'redis://x' }).rateLimitStore, null);
  });

  it('refuses a store URL it cannot use, at start, naming the accepted forms', () => {
    for (const bad of ['redis:/nohost', 'http://cache:6379', 'cache:6379', 'redis://cache:6379/db', 'redis://cache/1?x=1', 'memcached://cache', 'Memory']) {
      assert.throws(
        () => parseConfig(['--rate-limit-store', bad], {}),
        (err: Error) => err instanceof ConfigError && err.message.startsWith('--rate-limit-store must be "memory" or a redis://') && err.message.includes(bad),
        bad,
      );
    }
  });

  it('opens a metrics port only when asked, on loopback unless told otherwise', () => {
    const c = parseConfig(['--metrics-port', '9464'], {});
    assert.deepEqual([c.metricsPort, c.metricsHost], [9464, '127.0.0.1']);
    const e = parseConfig([], { METRICS_PORT: '9100', METRICS_HOST: '10.0.0.7' });
    assert.deepEqual([e.metricsPort, e.metricsHost], [9100, '10.0.0.7']);
  });

  it('refuses an empty --host or --metrics-host, which Node would take as every interface', () => {
    for (const argv of [['--host='], ['--host', ''], ['--metrics-port', '9464', '--metrics-host=']]) {
      const flag = argv.find((a) => a.includes('host'))!.replace(/=$/, '');
      assert.throws(
        () => parseConfig(argv, {}),
        (err: Error) => err instanceof ConfigError && err.message === `${flag} must be an address or host name, got ""`,
        argv.join(' '),
      );
    }
  });

  it('refuses to serve metrics on the public port', () => {
    assert.throws(() => parseConfig(['--port', '8080', '--metrics-port', '8080'], {}), /--metrics-port must differ from the serving port/);
    assert.throws(() => parseConfig(['--metrics-port', 'x'], {}), /--metrics-port must be a port number/);
  });
});

// docs/server.md states these; the behaviour tests use the constants, this pins their values so
// a change cannot leave the docs behind.
describe('numbers docs/server.md states about timeouts', () => {
  it('gives the rest of a request 2 s after its headers, which stays within the default shutdown timeout (5 s + 2 s against 10 s)', () => {
    assert.equal(BODY_GRACE_MS, 2000);
    const { headersTimeout, requestTimeout } = timeoutOptions(DEFAULTS.headersTimeout);
    assert.deepEqual([headersTimeout, requestTimeout, DEFAULTS.shutdownTimeout], [5000, 7000, 10_000]);
  });

  it('checks the header and request timeouts every quarter of the timeout, at most every second', () => {
    assert.equal(timeoutOptions(5000).connectionsCheckingInterval, 1000);
    assert.equal(timeoutOptions(2000).connectionsCheckingInterval, 500);
  });

  it('closes the connections owed nothing every 250 ms while shutting down', () => {
    assert.equal(CLOSE_WAITING_EVERY_MS, 250);
  });

  it('takes 64 kB of request headers, at most 640 MB over the default 10,000 connections', () => {
    assert.equal(MAX_HEADER_BYTES, 64 * 1024);
    // In kB, as the doc counts: 64 kB × 10,000.
    assert.equal((MAX_HEADER_BYTES / 1024) * DEFAULTS.maxConnections, 640_000);
  });
});

// An operator reads the flags in docs/server.md: each one there must be one the server takes,
// under the variable and with the default the table gives, and each one it takes must be there.
describe('the flags table of docs/server.md', () => {
  const rows = tableRows(readDoc('docs/server.md'), '| flag | env | default | meaning |').map(([flag, env, fallback]) => ({
    flag: /^`(--[a-z-]+)/.exec(flag)?.[1] ?? flag,
    env: /^`([A-Z_]+)/.exec(env)?.[1] ?? env,
    fallback: fallback.replaceAll('`', ''),
  }));
  const setting = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof ServerConfig;
  const defaults = parseConfig([], {});
  /** The settings a value gives, or the message refusing it with its source written as `SOURCE`. */
  const outcome = (source: string, read: () => ServerConfig) => {
    try {
      return read();
    } catch (err) {
      return (err as Error).message.replace(source, 'SOURCE');
    }
  };

  it('has one row per setting of the server', () => {
    assert.deepEqual(rows.map((r) => setting(r.flag)).sort(), Object.keys(defaults).sort());
  });

  it('names the variable that sets what each flag sets', () => {
    for (const { flag, env } of rows) {
      // '7' is a value every flag takes or refuses, and no default, so it shows what was read.
      const byFlag = outcome(flag, () => parseConfig([`${flag}=7`], {}));
      assert.notDeepEqual(byFlag, defaults, `${flag}=7 changes something`);
      assert.deepEqual(outcome(env, () => parseConfig([], { [env]: '7' })), byFlag, `${env}=7 as ${flag}=7`);
    }
  });

  it('gives the default of each flag', () => {
    for (const { flag, fallback } of rows) {
      const value = defaults[setting(flag)];
      if (value === null || value === false) assert.match(fallback, /^(none|off|memory)$/, flag);
      else assert.equal(fallback, String(value), flag);
    }
  });
});
