import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipKeyGenerator } from 'express-rate-limit';
import type { LogEntry } from '../../server/log.js';
import { clientKey } from '../../server/rate-limit.js';
import { MemoryCounter } from '../../server/rate-limit-store.js';
import { withServer } from './fixtures.js';
import { request } from './request.js';

const from = (xff: string) => ({ headers: { 'x-forwarded-for': xff } });

describe('rate limiting on the time routes', () => {
  it('answers 429 JSON with Retry-After once a client is over its budget', async () => {
    await withServer({ rateLimit: { windowMs: 60_000, max: 2 } }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time?callback=cb')).status, 200);
      assert.equal((await request(srv.url, '/getTime?callback=cb')).status, 200);
      const res = await request(srv.url, '/v1/time?callback=cb');
      assert.equal(res.status, 429);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(JSON.parse(res.text).error.code, 'rate_limited');
      const retry = Number(res.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, String(res.headers['retry-after']));
      // docs/troubleshooting.md tells the edge's 429 from this one by other means for this reason.
      assert.equal(res.headers.ratelimit, undefined, 'no RateLimit header on the time routes');
    });
  });

  it('accepts a number as requests per minute', async () => {
    await withServer({ rateLimit: 1 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time')).status, 200);
      assert.equal((await request(srv.url, '/v1/time')).status, 429);
    });
  });

  it('is off with 0', async () => {
    await withServer({ rateLimit: 0 }, async (srv) => {
      for (let i = 0; i < 5; i++) assert.equal((await request(srv.url, '/v1/time')).status, 200);
    });
  });

  it('ignores X-Forwarded-For without trusted proxies, so a client cannot dodge its budget', async () => {
    await withServer({ rateLimit: 1 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time', from('10.0.0.1'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('10.0.0.2'))).status, 429);
    });
  });

  it('counts clients apart behind the configured number of proxies', async () => {
    await withServer({ rateLimit: 1, trustProxy: 1 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time', from('10.0.0.1'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('10.0.0.2'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('10.0.0.1'))).status, 429);
    });
  });

  it('believes only the entry the trusted proxy appended, not what the client wrote before it', async () => {
    await withServer({ rateLimit: 1, trustProxy: 1 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time', from('1.1.1.1, 10.0.0.9'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('2.2.2.2, 10.0.0.9'))).status, 429);
    });
  });

  it('counts the IPv6 clients of one /56 as one, and a client of another /56 apart', async () => {
    await withServer({ rateLimit: 1, trustProxy: 1 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time', from('2001:db8:0:1::1'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('2001:db8:0:2::7'))).status, 429);
      assert.equal((await request(srv.url, '/v1/time', from('2001:db8:0:100::1'))).status, 200);
    });
  });

  it('counts an IPv4 client written as an IPv4-mapped IPv6 address as the same client', async () => {
    await withServer({ rateLimit: 1, trustProxy: 1 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time', from('10.0.0.1'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('::ffff:10.0.0.1'))).status, 429);
    });
  });

  it('takes an entry longer than any address for a client\'s own writing, and counts the address the next proxy saw', async () => {
    // With --trust-proxy 2 for a CDN in front of the edge, a client that reaches the edge
    // directly writes the entry believed. Taken as it was, each request kept its own key of up
    // to 32 kB for a minute (and its own budget), and wrote it into every access record.
    const records: LogEntry[] = [];
    await withServer({ rateLimit: 1, trustProxy: 2, accessLog: true, log: (r) => records.push(r) }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time', from(`${'x'.repeat(5000)}, 192.168.0.1`))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from(`${'y'.repeat(5000)}, 192.168.0.1`))).status, 429);
      // The longest address a proxy writes, with a port, is still that entry.
      const longest = '[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535';
      assert.equal((await request(srv.url, '/v1/time', from(`${longest}, 192.168.0.1`))).status, 200);
    });
    assert.deepEqual(records.filter((r) => r.level === 'access').map((r) => r.ip), ['192.168.0.1', '192.168.0.1', '[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535']);
  });

  it('walks back as many entries as there are trusted proxies', async () => {
    await withServer({ rateLimit: 1, trustProxy: 2 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/time', from('6.6.6.6, 10.0.0.1, 192.168.0.1'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('7.7.7.7, 10.0.0.2, 192.168.0.1'))).status, 200);
      assert.equal((await request(srv.url, '/v1/time', from('8.8.8.8, 10.0.0.1, 192.168.0.1'))).status, 429);
    });
  });
});

describe('rate limiting on the Express routes', () => {
  it('answers 429 JSON with Retry-After, the same way', async () => {
    await withServer({ rateLimit: 1 }, async (srv) => {
      assert.equal((await request(srv.url, '/v1/snippet')).status === 429, false);
      const res = await request(srv.url, '/v1/snippet');
      assert.equal(res.status, 429);
      assert.equal(JSON.parse(res.text).error.code, 'rate_limited');
      assert.ok(Number(res.headers['retry-after']) >= 1);
    });
  });

  it('puts no client\'s count on an answer a shared cache keeps, only on that client\'s 429', async () => {
    // The edge keeps the hashed bundle a year and the loader and manifest for minutes: a count
    // on them would be one client's, handed to every client after it (remaining=0 included).
    await withServer({ rateLimit: 4 }, async (srv) => {
      const { bundle } = JSON.parse((await request(srv.url, '/v1/manifest.json')).text);
      for (const path of ['/v1/crossclock.js', bundle, '/v1/crossclock.js.map']) {
        const res = await request(srv.url, path);
        assert.equal(res.status, 200, path);
        assert.match(String(res.headers['cache-control']), /^public, /, path);
        assert.equal(res.headers.ratelimit, undefined, path);
        assert.equal(res.headers['ratelimit-policy'], undefined, path);
      }
      const refused = await request(srv.url, '/v1/crossclock.js');
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['cache-control'], 'no-store');
      assert.equal(refused.headers['ratelimit-policy'], '4;w=60');
      assert.match(String(refused.headers.ratelimit), /^limit=4, remaining=0, reset=\d+$/);
    });
  });

  it('counts an entry longer than any address as the time routes do', async () => {
    await withServer({ rateLimit: 1, trustProxy: 2 }, async (srv) => {
      assert.notEqual((await request(srv.url, '/v1/manifest.json', from(`${'x'.repeat(5000)}, 192.168.0.1`))).status, 429);
      assert.equal((await request(srv.url, '/v1/manifest.json', from(`${'y'.repeat(5000)}, 192.168.0.1`))).status, 429);
    });
  });

  it('picks the same client address as the time routes behind proxies', async () => {
    await withServer({ rateLimit: 1, trustProxy: 1 }, async (srv) => {
      assert.notEqual((await request(srv.url, '/v1/manifest.json', from('1.1.1.1, 10.0.0.1'))).status, 429);
      assert.notEqual((await request(srv.url, '/v1/manifest.json', from('1.1.1.1, 10.0.0.2'))).status, 429);
      assert.equal((await request(srv.url, '/v1/manifest.json', from('2.2.2.2, 10.0.0.1'))).status, 429);
    });
  });

  it('logs nothing when a client sends X-Forwarded-For or Forwarded straight to it: that is the client\'s choice, not a misconfiguration', async () => {
    // The library checks each header once, on the first request it counts: a fresh process each.
    for (const headers of [{ 'x-forwarded-for': '1.2.3.4' }, { forwarded: 'for=1.2.3.4' }] as Record<string, string>[]) {
      const records: LogEntry[] = [];
      await withServer({ rateLimit: 10, log: (r) => records.push(r) }, async (srv) => {
        assert.equal((await request(srv.url, '/v1/manifest.json', { headers })).status, 200);
      });
      assert.deepEqual(records, [], Object.keys(headers)[0]);
    }
  });

  it('never limits the health probes', async () => {
    await withServer({ rateLimit: 1 }, async (srv) => {
      for (let i = 0; i < 4; i++) {
        assert.equal((await request(srv.url, '/healthz')).status, 200);
        assert.equal((await request(srv.url, '/readyz')).status, 200);
      }
    });
  });
});

describe('the rate limit key and the in-memory count', () => {
  it('keys every address as express-rate-limit does', () => {
    const addresses = ['127.0.0.1', '10.1.2.3', '::1', '::ffff:10.0.0.1', '::10.0.0.1', '2001:db8::1', '2001:db8:0:1:2:3:4:5', 'fe80::1%eth0', '', 'not-an-address'];
    for (const address of addresses) assert.equal(clientKey(address), ipKeyGenerator(address), address);
  });

  it('answers the same count at once as the store reports through its promise', async () => {
    const store = new MemoryCounter();
    store.init({ windowMs: 60_000 } as Parameters<MemoryCounter['init']>[0]);
    try {
      const now = (key: string) => {
        const counted = store.incrementNow(key);
        assert.ok(!('then' in counted), 'counted at once, not through a promise');
        return counted.totalHits;
      };
      assert.equal(now('a'), 1);
      assert.equal(now('a'), 2);
      assert.equal((await store.increment('a')).totalHits, 3);
      assert.equal((await store.get('a'))?.totalHits, 3);
      assert.equal(now('b'), 1);
      // The store's periodic sweep moves every client to its `previous` map; one that comes
      // back is counted on from there.
      (store as unknown as { clearExpired(): void }).clearExpired();
      assert.equal(now('a'), 4);
    } finally {
      store.shutdown();
    }
  });
});
