// The production topology for real: several `node dist/server/main.js` instances behind
// Debian's nginx, configured by the repository's template (server/deploy/nginx.conf).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '../support/http.js';
import { runLoad } from '../support/load.js';
import { startInstance, type Instance } from '../support/instance.js';
import { findNginx, NO_NGINX, pollUntil, startEdge, startTopology, type Edge, type EdgeLogEntry, type Topology } from '../support/nginx.js';
import { request, type RawResponse } from './request.js';

const NGINX = findNginx(process.env);
const skip = NGINX ? false : NO_NGINX;

// Short enough to see expiry within a test, long enough that two back-to-back requests on a
// slow machine still fall inside it. The test client stands in for a crowd, so the edge's
// per-address limits are off here; nginx-limits.test.ts tests them.
const EDGE = { loaderEdgeTtl: '2s', failTimeout: '1s', limitReqRate: 'off', limitConn: 0 };
// How instances run behind one nginx: its X-Forwarded-For entry names the client.
const BEHIND_NGINX = ['--trust-proxy', '1'];
// The load comes from one test client standing in for a crowd, so it must not be rate limited.
const UNLIMITED = [...BEHIND_NGINX, '--rate-limit', '0'];

/** GET from a chosen loopback source address, so nginx and the instances see distinct clients. */
function getFrom(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { origin, pathname, search } = new URL(url);
  return request(origin, pathname + search, { localAddress, headers });
}

/** The `integrity=` value of some bytes, as a browser checks it. */
const sri = (bytes: Buffer) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

/** The `integrity=` value of an answer's body once its Content-Encoding is undone. */
function sriOf(answer: RawResponse): string {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return sri(brotliDecompressSync(answer.body));
  if (encoding === 'gzip') return sri(gunzipSync(answer.body));
  assert.equal(encoding, undefined, 'only br and gzip are ever sent');
  return sri(answer.body);
}

/** The instance that finally answered a logged request. */
const servedBy = (entry: { upstreams: string[] }) => entry.upstreams.at(-1);

async function withTopology(count: number, args: string[], body: (t: Topology) => Promise<void>): Promise<void> {
  const topology = await startTopology(NGINX!, count, args, EDGE);
  try {
    await body(topology);
  } catch (err) {
    // nginx's error log says which upstream failed and why: the first thing to read.
    if (topology.edge.errors()) console.error(topology.edge.errors());
    throw err;
  } finally {
    await topology.stop();
  }
}

describe('three instances behind nginx', { skip }, () => {
  let topology: Topology;
  let edge: string;
  before(async () => {
    topology = await startTopology(NGINX!, 3, [...BEHIND_NGINX, '--access-log'], EDGE);
    edge = topology.edge.url;
  });
  after(() => topology?.stop());

  it('spreads requests over every instance, each logging the client\'s own address', async () => {
    const client = '127.0.0.7';
    for (let i = 0; i < 30; i++) {
      assert.equal((await getFrom(`${edge}/v1/time?id=spread${i}`, client)).status, 200);
    }
    const isSpread = (e: EdgeLogEntry) => e.target.includes('id=spread');
    const edgeLog = (await topology.edge.waitForLog((l) => l.filter(isSpread).length === 30)).filter(isSpread);
    const servedByEdge = new Set(edgeLog.map(servedBy));
    assert.deepEqual([...servedByEdge].sort(), topology.instances.map((i) => i.address).sort());

    // Each instance's own access log, matched to nginx's by the request id nginx forwarded.
    const ids = new Set(edgeLog.map((e) => e.id));
    const own = (i: Instance) => i.accessLog().filter((r) => ids.has(r.id as string));
    await pollUntil(() => (topology.instances.reduce((n, i) => n + own(i).length, 0) === 30 ? true : undefined), 5000, 'the instances\' access logs');
    for (const instance of topology.instances) {
      const records = own(instance);
      assert.deepEqual(
        records.map((r) => r.id).sort(),
        edgeLog.filter((e) => servedBy(e) === instance.address).map((e) => e.id).sort(),
        `${instance.address} logged exactly the requests nginx sent it`,
      );
      assert.ok(records.length > 0);
      for (const r of records) assert.equal(r.ip, client, 'the instance sees the client, not nginx');
    }
  });

  describe('/v1/time and /getTime', () => {
    for (const path of ['/v1/time?tz=UTC&id=fresh', '/getTime?callback=jQuery3600_1']) {
      it(`never caches ${path.split('?')[0]}: every answer carries the time at that moment`, async () => {
        const route = path.split('?')[0];
        for (let i = 0; i < 3; i++) {
          const before = Date.now();
          const res = await fetch(edge + path);
          const text = await res.text();
          const after = Date.now();
          assert.equal(res.status, 200);
          assert.equal(res.headers.get('cache-control'), 'no-store');
          assert.equal(res.headers.get('x-cache-status'), null, 'the cache is not even consulted');
          const data = JSON.parse(/^\/\*\*\/ typeof \S+ === 'function' && \S+?\((.*)\);$/.exec(text)?.[1] ?? text);
          const t = route === '/getTime' ? data.epochMs : data.t;
          assert.ok(t >= before && t <= after, `${t} is within [${before}, ${after}]`);
          // A cached answer would now be in the past: make sure the clock has moved on.
          await pollUntil(() => (Date.now() > after ? true : undefined), 1000, 'the clock to tick');
        }
        const log = await topology.edge.waitForLog((l) => l.filter((e) => e.target === path).length === 3);
        for (const entry of log.filter((e) => e.target === path)) {
          assert.equal(entry.cache, null);
          assert.equal(entry.upstreamStatuses.at(-1), '200', 'answered by an instance');
        }
      });
    }
  });

  it("passes JSONP clients' queries to the instances as sent: brackets raw or encoded, jQuery's callback=?, trailing &", async () => {
    // [request target, the callback the answer calls (null: plain JSON)]
    const shapes: [string, string | null][] = [
      ['/v1/time?tz=UTC&callback=YAHOO.util.ScriptNodeDataSource.callbacks[0]', 'YAHOO.util.ScriptNodeDataSource.callbacks[0]'],
      ['/v1/time?callback=qx.bom.request.Jsonp%5B1732550000000123%5D.callback', 'qx.bom.request.Jsonp[1732550000000123].callback'],
      ['/getTime?_1732550000000=&callback=_jqjsp', '_jqjsp'],
      ['/getTime?callback=zcb&_=1732550000000&', 'zcb'],
      ['/v1/time?tz=Europe/Paris&callback=?', null],
    ];
    for (const [path, callback] of shapes) {
      const res = await request(edge, path);
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      if (callback === null) {
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', path);
        assert.equal(JSON.parse(res.text).tz, 'Europe/Paris');
      } else {
        assert.ok(res.text.startsWith('/**/ ') && res.text.includes(`typeof ${callback} === 'function' && ${callback}(`), `${path}: ${res.text}`);
      }
    }
  });

  describe('/v1/crossclock.js (the unversioned loader URL)', () => {
    it('is kept by the edge for its lifetime, then revalidated with the instances\' ETag', async () => {
      const first = await fetch(edge + '/v1/crossclock.js');
      const body = await first.text();
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-cache-status'), 'MISS');
      const second = await fetch(edge + '/v1/crossclock.js');
      assert.equal(second.headers.get('x-cache-status'), 'HIT');
      assert.equal(await second.text(), body);
      // Browsers still get the instances' own lifetime and validator.
      assert.match(second.headers.get('cache-control') ?? '', /max-age=\d+/);
      assert.equal(second.headers.get('etag'), first.headers.get('etag'));

      const seen: string[] = [];
      await pollUntil(async () => {
        const res = await fetch(edge + '/v1/crossclock.js');
        assert.equal(await res.text(), body);
        const status = res.headers.get('x-cache-status') ?? 'none';
        seen.push(status);
        return status === 'REVALIDATED' ? status : undefined;
      }, 15_000, 'the edge to revalidate the loader');
      assert.deepEqual([...new Set(seen.slice(0, -1))], ['HIT'], 'served from the cache until it expired');
      const log = await topology.edge.waitForLog((l) => l.some((e) => e.target === '/v1/crossclock.js' && e.cache === 'REVALIDATED'));
      const revalidation = log.find((e) => e.target === '/v1/crossclock.js' && e.cache === 'REVALIDATED')!;
      assert.deepEqual(revalidation.upstreamStatuses, ['304'], 'the instance answered the conditional request without a body');
      assert.equal((await fetch(edge + '/v1/crossclock.js')).headers.get('x-cache-status'), 'HIT');
    });

    it('is one cached copy whatever the query string, so junk queries cannot fill the cache', async () => {
      const body = await (await fetch(edge + '/v1/crossclock.js')).text();
      for (const query of ['?x=1', '?x=2&y', '?' + 'a'.repeat(500)]) {
        const res = await fetch(edge + '/v1/crossclock.js' + query);
        assert.equal(await res.text(), body);
        // A MISS would be a new cache entry; the lifetime is short here, so the copy may be revalidated.
        assert.notEqual(res.headers.get('x-cache-status'), 'MISS', query);
      }
    });
  });

  describe('/v1/crossclock.<hash>.js (the immutable bundle)', () => {
    it('is a cache HIT after the first request, byte for byte what the manifest\'s integrity names', async () => {
      const manifestRes = await fetch(edge + '/v1/manifest.json');
      assert.equal(manifestRes.status, 200, 'the instances serve /v1/manifest.json');
      const manifest = (await manifestRes.json()) as { bundle: string; integrity: string };
      assert.match(manifest.bundle, /^\/v1\/crossclock\.[\w-]+\.js$/);
      const statuses: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(edge + manifest.bundle);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('cache-control') ?? '', /immutable/);
        assert.equal(sri(Buffer.from(await res.arrayBuffer())), manifest.integrity);
        statuses.push(res.headers.get('x-cache-status'));
      }
      assert.deepEqual(statuses, ['MISS', 'HIT', 'HIT']);
      const log = await topology.edge.waitForLog((l) => l.filter((e) => e.target === manifest.bundle).length === 3);
      assert.equal(log.filter((e) => e.target === manifest.bundle && e.upstreams.length > 0).length, 1, 'only the first reached an instance');
    });

    it('is one cached copy whatever the query string: junk queries are HITs that reach no instance', async () => {
      const { bundle, integrity } = (await (await fetch(edge + '/v1/manifest.json')).json()) as { bundle: string; integrity: string };
      await fetch(edge + bundle);
      const targets = ['?x=1', '?x=2&y', '?v=' + Date.now()].map((q) => bundle + q);
      for (const target of targets) {
        const res = await fetch(edge + target);
        assert.equal(res.headers.get('x-cache-status'), 'HIT', target);
        assert.equal(sri(Buffer.from(await res.arrayBuffer())), integrity);
      }
      const log = await topology.edge.waitForLog((l) => targets.every((t) => l.some((e) => e.target === t)));
      assert.deepEqual(log.filter((e) => targets.includes(e.target) && e.upstreams.length > 0), []);
    });

    it('keeps one cached copy per encoding and gives each client only an encoding it accepts', async () => {
      const { bundle, integrity } = (await (await fetch(edge + '/v1/manifest.json')).json()) as { bundle: string; integrity: string };
      const cases: [string, string | undefined][] = [
        ['br', 'br'],
        ['gzip, deflate', 'gzip'],
        ['gzip, deflate, br', 'br'],
        ['gzip, br;q=0', 'gzip'],
        ['identity', undefined],
        ['', undefined],
      ];
      for (const [accept, expected] of cases) {
        const res = await getFrom(edge + bundle, '127.0.0.1', { 'accept-encoding': accept });
        assert.equal(res.headers['content-encoding'], expected, `Accept-Encoding: "${accept}"`);
        assert.equal(sriOf(res), integrity, `Accept-Encoding: "${accept}"`);
      }
    });
  });
});

describe('what the edge tells the instances, on every route', { skip }, () => {
  it('names the client and the request id, keeps the connection alive, and normalises Accept-Encoding, cached routes included', async () => {
    // An upstream that records what reaches it and lets nothing be cached, so every request does.
    const seen: { url: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const upstream = await serve((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      res.writeHead(200, { 'cache-control': 'no-store', 'content-type': 'text/plain' }).end('ok');
    });
    let edge: Edge | undefined;
    try {
      edge = await startEdge(NGINX!, [upstream.url.slice('http://'.length)], EDGE);
      // One route of each location in the template.
      const paths = ['/v1/time', '/getTime', '/v1/crossclock.0123456789abcdef.js', '/v1/crossclock.js', '/v1/manifest.json', '/v1/snippet', '/healthz'];
      for (const path of paths) {
        const res = await getFrom(`${edge.url}${path}?hdr=1`, '127.0.0.13', { 'accept-encoding': 'gzip, deflate, br', 'x-forwarded-for': '198.51.100.1' });
        assert.equal(res.status, 200, path);
      }
      const log = await edge.waitForLog((l) => l.filter((e) => e.target.endsWith('?hdr=1')).length === paths.length);
      for (const path of paths) {
        const got = seen.find((r) => r.url === `${path}?hdr=1`);
        assert.ok(got, `${path} reached the upstream`);
        // What an instance with --trust-proxy 1 takes as the client is the last entry.
        assert.equal(got.headers['x-forwarded-for'], '198.51.100.1, 127.0.0.13', `${path}: X-Forwarded-For`);
        assert.equal(got.headers['x-request-id'], log.find((e) => e.target === `${path}?hdr=1`)!.id, `${path}: the id in nginx's log`);
        // nginx sends `Connection: close` unless told otherwise, which ends every kept-alive connection.
        assert.equal(got.headers.connection, undefined, `${path}: Connection`);
      }
      // The cached routes key on the normalised value, so it is the one their instance must see.
      for (const path of paths.filter((p) => p.startsWith('/v1/crossclock') || p === '/v1/manifest.json')) {
        assert.equal(seen.find((r) => r.url === `${path}?hdr=1`)!.headers['accept-encoding'], 'br', `${path}: Accept-Encoding`);
      }
    } finally {
      await edge?.stop();
      await upstream.close();
    }
  });
});

describe('a request the edge passes on and an instance\'s parser refuses', { skip }, () => {
  it('is logged by the instance under the request id in nginx\'s log, as every other request is', async () => {
    await withTopology(1, [...BEHIND_NGINX, '--access-log'], async (t) => {
      // nginx passes a control character in a header value on; node:http refuses it. A long
      // Host, which nginx repeats as X-Forwarded-Host, puts the id kB into the request.
      for (const host of ['x', 'h'.repeat(4000)]) {
        const target = `/v1/time?refused=${host.length}`;
        const earlier = t.instances[0].accessLog().length;
        const socket = connect(Number(new URL(t.edge.url).port), '127.0.0.1');
        socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nX-A: a\x01b\r\nConnection: close\r\n\r\n`, 'latin1');
        let answer = '';
        for await (const chunk of socket) answer += chunk;
        assert.match(answer, /^HTTP\/1\.1 400 /);
        const [entry] = (await t.edge.waitForLog((l) => l.some((e) => e.target === target))).filter((e) => e.target === target);
        const record = await pollUntil(() => t.instances[0].accessLog().slice(earlier).find((r) => r.status === 400), 5000, 'the instance\'s record');
        assert.equal(record.path, '/v1/time');
        assert.equal(record.id, entry.id, `with a Host of ${host.length} bytes`);
      }
    });
  });
});

describe('when every instance is down', { skip }, () => {
  it('keeps serving the cached loader, marked STALE, after its edge lifetime', async () => {
    await withTopology(1, BEHIND_NGINX, async (t) => {
      const first = await fetch(t.edge.url + '/v1/crossclock.js');
      const body = await first.text();
      assert.equal(first.headers.get('x-cache-status'), 'MISS');
      assert.equal(await t.instances[0].stop(), 0);
      await pollUntil(async () => {
        const res = await fetch(t.edge.url + '/v1/crossclock.js');
        assert.equal(res.status, 200);
        assert.equal(await res.text(), body);
        return res.headers.get('x-cache-status') === 'STALE' ? true : undefined;
      }, 15_000, 'the loader to expire at the edge');
      assert.equal((await fetch(t.edge.url + '/v1/time')).status, 502, 'the time itself cannot come from a cache');
    });
  });
});

/** A copy of this build whose bundle differs by one comment: the next widget release. */
function buildNextRelease(): { main: string; remove(): void } {
  const dist = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'crossclock-release-'));
  cpSync(join(dist, 'server'), join(dir, 'server'), { recursive: true });
  cpSync(join(dist, 'widget'), join(dir, 'widget'), { recursive: true });
  appendFileSync(join(dir, 'widget', 'crossclock.js'), '\n/* the next release */\n');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(dist, '..', 'node_modules'), join(dir, 'node_modules'));
  return { main: join(dir, 'server', 'main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('while a new widget release rolls out', { skip }, () => {
  type Manifest = { bundle: string; integrity: string };
  let release: { main: string; remove(): void };
  let instances: Instance[];
  let edge: Edge;
  let old: Manifest;
  let next: Manifest;
  before(async () => {
    release = buildNextRelease();
    // The new release on one instance of four: a request for its bundle may have to ask all
    // four (a fixed proxy_next_upstream_tries of 3 answered 404 with that one left unasked).
    instances = await Promise.all([
      startInstance(BEHIND_NGINX),
      startInstance(BEHIND_NGINX),
      startInstance(BEHIND_NGINX),
      startInstance(BEHIND_NGINX, 0, release.main),
    ]);
    edge = await startEdge(NGINX!, instances.map((i) => i.address), EDGE);
    const manifestOf = async (i: Instance) => (await (await fetch(i.url + '/v1/manifest.json')).json()) as Manifest;
    [old, next] = [await manifestOf(instances[0]), await manifestOf(instances[3])];
  });
  after(async () => {
    await edge?.stop();
    await Promise.all((instances ?? []).map((i) => i.stop()));
    release?.remove();
  });

  it('serves both the old and the new hashed bundle, whichever instance a request reaches first', async () => {
    assert.notEqual(old.bundle, next.bundle, 'the two releases have different hashes');
    // Each encoding is its own cache entry, so each of these first requests reaches an instance.
    // The new release first, while round robin starts at the first instance: each request for
    // it then reaches at least three instances without it before the one that has it.
    for (const { bundle, integrity } of [next, old]) {
      for (const accept of ['br', 'gzip', 'identity']) {
        const res = await getFrom(edge.url + bundle, '127.0.0.1', { 'accept-encoding': accept });
        assert.equal(res.status, 200, `${bundle} (${accept})`);
        assert.equal(sriOf(res), integrity);
      }
    }
    const log = await edge.waitForLog((l) => l.filter((e) => e.target.startsWith('/v1/crossclock.')).length === 6);
    assert.ok(
      log.some((e) => e.upstreamStatuses.length > 1 && e.upstreamStatuses[0] === '404'),
      'some request first reached an instance of the other release and was retried',
    );
  });

  it('limitation: once no instance runs the old release, its hashed bundle lives only in caches', async () => {
    const pinned = () => getFrom(edge.url + old.bundle, '127.0.0.1', { 'accept-encoding': 'br' });
    assert.equal((await pinned()).status, 200);
    await Promise.all(instances.slice(0, 3).map((i) => i.stop()));
    const cached = await pinned();
    assert.equal(cached.status, 200);
    assert.equal(cached.headers['x-cache-status'], 'HIT');
    // A new edge node (or a purged cache) has only the instances to ask: archive old releases.
    const fresh = await startEdge(NGINX!, [instances[3].address], EDGE);
    try {
      assert.equal((await getFrom(fresh.url + old.bundle, '127.0.0.1')).status, 404);
      assert.equal((await getFrom(fresh.url + next.bundle, '127.0.0.1')).status, 200);
    } finally {
      await fresh.stop();
    }
  });
});

describe('when instances go away under load', { skip }, () => {
  const load = (t: Topology, extra: { requests: number; onCompleted?: (n: number) => void; signal?: AbortSignal }) =>
    runLoad({ url: t.edge.url, path: (i) => `/v1/time?id=load${i}`, connections: 20, ...extra });

  it('loses no request when one of three instances is killed during 2,000 requests over 20 connections', async () => {
    await withTopology(3, UNLIMITED, async (t) => {
      const victim = t.instances[1];
      let killed: Promise<void> | undefined;
      let completed = 0;
      let completedAtDeath = Infinity;
      const result = await load(t, {
        requests: 2000,
        onCompleted: (n) => {
          completed = n;
          if (n === 400) killed = victim.kill().then(() => void (completedAtDeath = completed));
        },
      });
      await killed;
      assert.deepEqual(result.failures, []);
      assert.equal(result.ok, 2000);
      assert.ok(completedAtDeath < 1900, `the instance died while the load was still running (at ${completedAtDeath})`);
      const log = await t.edge.waitForLog((l) => l.filter((e) => e.target.includes('id=load')).length === 2000);
      const entries = log.filter((e) => e.target.includes('id=load'));
      assert.ok(entries.some((e) => servedBy(e) === victim.address), 'the killed instance had taken its share before');
      assert.ok(
        entries.some((e) => e.upstreams.length > 1 && e.upstreams[0] === victim.address),
        'nginx retried a request meant for the dead instance on another one',
      );
    });
  });

  it('loses no request while every instance is restarted in turn (SIGTERM, then started again)', async () => {
    await withTopology(3, UNLIMITED, async (t) => {
      const stopLoad = new AbortController();
      let completed = 0;
      // Far more than a rollout takes even on a fast machine: the load must outlast it.
      const CAP = 200_000;
      const running = load(t, { requests: CAP, signal: stopLoad.signal, onCompleted: (n) => (completed = n) });
      try {
        await pollUntil(() => (completed >= 100 ? true : undefined), 10_000, 'the load to start');
        for (let i = 0; i < t.instances.length; i++) {
          assert.equal(await t.instances[i].stop(), 0, 'the instance shut down gracefully');
          t.instances[i] = await t.instances[i].restart();
          // Like a real rollout, take the next one down only once this one serves again.
          const mark = t.edge.log().length;
          await t.edge.waitForLog((l) => l.slice(mark).some((e) => servedBy(e) === t.instances[i].address && e.status === 200), 30_000);
        }
      } finally {
        stopLoad.abort();
      }
      const result = await running;
      assert.ok(result.sent < CAP, 'the load ran for the whole rollout');
      assert.deepEqual(result.failures, []);
      assert.equal(result.ok, result.sent);
    });
  });
});

describe('rate limiting behind nginx (--trust-proxy 1)', { skip }, () => {
  const LIMIT = 5;
  let topology: Topology;
  before(async () => {
    topology = await startTopology(NGINX!, 2, [...BEHIND_NGINX, '--rate-limit', String(LIMIT)], EDGE);
  });
  after(() => topology?.stop());

  /** Requests from `client` through the edge until one is refused: that answer, and how many were allowed. */
  async function exhaust(client: string, headers: (i: number) => Record<string, string> = () => ({})): Promise<{ refused: RawResponse; allowed: number }> {
    // With the default memory store each instance counts on its own: up to LIMIT per instance.
    for (let i = 0; i < LIMIT * topology.instances.length + 2; i++) {
      const res = await getFrom(`${topology.edge.url}/v1/time?id=rl${i}`, client, headers(i));
      if (res.status === 429) return { refused: res, allowed: i };
      assert.equal(res.status, 200);
    }
    throw new Error(`${client} was never limited`);
  }

  it('counts each client by its own address, not by the address of nginx', async () => {
    const { refused } = await exhaust('127.0.0.2');
    assert.ok(refused.headers['retry-after'], 'a 429 says when to retry');
    const other = await getFrom(`${topology.edge.url}/v1/time?id=other`, '127.0.0.3');
    assert.equal(other.status, 200, 'another client behind the same nginx is not limited');
  });

  it('ignores an X-Forwarded-For the client sends: nginx appends the real address', async () => {
    // Each request forges another address: were one believed, no client would ever be limited.
    const { allowed } = await exhaust('127.0.0.4', (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` }));
    assert.equal(allowed, LIMIT * topology.instances.length, 'the forged addresses count as the one real client');
  });

  it('limitation: the default memory store counts per instance, so a client gets the limit once per instance', async () => {
    // Round robin alternates a lone client's requests over both instances. One budget for the
    // fleet takes --rate-limit-store redis://… (test/server/fleet-rate-limit.test.ts).
    const { allowed } = await exhaust('127.0.0.8');
    assert.equal(allowed, LIMIT * topology.instances.length);
  });
});

describe('rate limiting on a direct connection (default --trust-proxy 0)', { skip }, () => {
  it('ignores a forged X-Forwarded-For and counts the connection\'s address', async () => {
    const LIMIT = 5;
    const instance = await startInstance(['--rate-limit', String(LIMIT)]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 1; i++) {
        const res = await getFrom(`${instance.url}/v1/time`, '127.0.0.5', { 'x-forwarded-for': `203.0.113.${i + 1}` });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [...Array(LIMIT).fill(200), 429]);
      assert.equal((await getFrom(`${instance.url}/v1/time`, '127.0.0.6')).status, 200, 'another address is not limited');
    } finally {
      await instance.stop();
    }
  });
});
