// What a client cannot do to the edge (server/deploy/nginx.conf, rendered as in production):
// turn the instances' own answers against them, trickle a request, or exceed its budget.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startInstance, type Instance } from '../support/instance.js';
import { serve } from '../support/http.js';
import { findNginx, NO_NGINX, pollUntil, startEdge, startTopology, type Edge, type EdgeOptions, type Topology } from '../support/nginx.js';
import { ODD_PATHS } from '../support/odd-paths.js';
import { assertSafeAnswer } from './safe-answer.js';

const NGINX = findNginx(process.env);
const skip = NGINX ? false : NO_NGINX;
const BEHIND_NGINX = ['--trust-proxy', '1', '--rate-limit', '0'];
// A failed instance stays out for a minute: long enough that a test would see it gone.
const UNLIMITED: EdgeOptions = { failTimeout: '60s', limitReqRate: 'off', limitConn: 0 };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** GET (or another method) from a chosen loopback source address, over a fresh connection. */
function get(url: string, localAddress = '127.0.0.1', method = 'GET'): Promise<Answer> {
  // Split by hand: `new URL` would normalise or refuse the odd targets sent as they are.
  const m = /^http:\/\/([^/:]+):(\d+)(.*)$/.exec(url)!;
  return new Promise((resolve, reject) => {
    const req = request({ host: m[1], port: m[2], path: m[3], localAddress, method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function withTopology(count: number, edge: EdgeOptions, body: (t: Topology) => Promise<void>): Promise<void> {
  const t = await startTopology(NGINX!, count, BEHIND_NGINX, edge);
  try {
    await body(t);
  } catch (err) {
    if (t.edge.errors()) console.error(t.edge.errors());
    throw err;
  } finally {
    await t.stop();
  }
}

/** Asserts every instance still serves through the edge: the pool was not emptied. */
async function assertPoolWhole(t: { edge: Edge; instances: Instance[] }, tag: string): Promise<void> {
  for (const path of ['/healthz', '/v1/crossclock.js']) assert.equal((await get(t.edge.url + path)).status, 200, path);
  // In a row: the balancer's round robin then gives each instance in the pool its turn. (Other
  // requests in between would shift the turns: with two instances and one request of another
  // route after each, every time request would meet the same instance.)
  for (let i = 0; i < 4 * t.instances.length; i++) {
    const path = `/v1/time?id=${tag}${i}`;
    assert.equal((await get(t.edge.url + path)).status, 200, path);
  }
  const log = await t.edge.waitForLog((l) => l.filter((e) => e.target.includes(`id=${tag}`)).length === 4 * t.instances.length);
  const served = new Set(log.filter((e) => e.target.includes(`id=${tag}`)).map((e) => e.upstreams.at(-1)));
  assert.deepEqual([...served].sort(), t.instances.map((i) => i.address).sort(), 'every instance still takes its share');
}

describe('the two requests that once took a whole deployment down', { skip }, () => {
  it('are 404 through the edge, and the time, the bundle and health keep answering on every instance', async () => {
    await withTopology(2, UNLIMITED, async (t) => {
      for (let round = 0; round < 3; round++) {
        for (const path of ['/CONFIGURATOR/configurator.js', '/configurator/configurator.js/']) {
          const res = await get(t.edge.url + path);
          assert.equal(res.status, 404, path);
          assertSafeAnswer(res, path);
        }
      }
      await assertPoolWhole(t, 'outage');
    });
  });
});

/** A copy of this build without the configurator's files: its `/` answers 503 not_installed. */
function buildWithoutConfigurator(): { main: string; remove(): void } {
  const dist = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'crossclock-broken-'));
  cpSync(join(dist, 'server'), join(dir, 'server'), { recursive: true });
  cpSync(join(dist, 'widget'), join(dir, 'widget'), { recursive: true });
  rmSync(join(dir, 'server', 'configurator'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(dist, '..', 'node_modules'), join(dir, 'node_modules'));
  return { main: join(dir, 'server', 'main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('an application answer of 503, asked for again and again', { skip }, () => {
  it('reaches the client as it is and never takes an instance out of the pool', async () => {
    const broken = buildWithoutConfigurator();
    const instances = await Promise.all([0, 1].map(() => startInstance(BEHIND_NGINX, 0, broken.main)));
    let edge: Edge | undefined;
    try {
      edge = await startEdge(NGINX!, instances.map((i) => i.address), UNLIMITED);
      for (let i = 0; i < 10; i++) {
        const res = await get(`${edge.url}/?n=${i}`);
        assert.equal(res.status, 503);
        assert.equal(JSON.parse(res.text).error.code, 'not_installed');
      }
      const log = await edge.waitForLog((l) => l.filter((e) => e.target.startsWith('/?n=')).length === 10);
      for (const e of log.filter((x) => x.target.startsWith('/?n='))) {
        assert.deepEqual(e.upstreamStatuses, ['503'], 'answered once, not retried on another instance');
      }
      await assertPoolWhole({ edge, instances }, 'after503');
    } finally {
      await edge?.stop();
      await Promise.all(instances.map((i) => i.stop()));
      broken.remove();
    }
  });
});

describe(`${ODD_PATHS.length} odd request targets through the edge`, { skip }, () => {
  it('get no 5xx, name no file, and leave every instance serving', async () => {
    await withTopology(2, UNLIMITED, async (t) => {
      for (const path of ODD_PATHS) {
        const res = await get(t.edge.url + path);
        assertSafeAnswer(res, path);
      }
      // Nothing an odd target does is an error of the edge's: an operator's alerts stay quiet.
      assert.doesNotMatch(t.edge.errors(), /\[(error|crit|alert|emerg)\]/);
      for (const method of ['OPTIONS', 'POST', 'DELETE']) {
        for (const path of ['/', '/v1/time', '/configurator/configurator.js']) {
          const res = await get(t.edge.url + path, '127.0.0.1', method);
          assert.equal(res.status, 405, `${method} ${path}`);
          assert.equal(res.headers.allow, 'GET, HEAD');
        }
      }
      await assertPoolWhole(t, 'fuzz');
    });
  });
});

describe('limit_req at the edge', { skip }, () => {
  it('answers 429 JSON with Retry-After past a client\'s burst, and only to that client', async () => {
    await withTopology(2, { limitReqRate: '1r/s', limitReqBurst: 3 }, async (t) => {
      const statuses: number[] = [];
      let refused: Answer | undefined;
      const start = Date.now();
      for (let i = 0; i < 10; i++) {
        const res = await get(`${t.edge.url}/v1/time?id=burst${i}`, '127.0.0.9');
        statuses.push(res.status);
        if (res.status === 429) refused ??= res;
      }
      const seconds = (Date.now() - start) / 1000;
      // One request plus a burst of three go through at once, then one more per second elapsed.
      assert.deepEqual(statuses.slice(0, 4), [200, 200, 200, 200]);
      const allowed = statuses.filter((s) => s === 200).length;
      assert.ok(allowed <= 4 + Math.ceil(seconds), `${allowed} allowed in ${seconds} s: ${statuses.join(' ')}`);
      assert.ok(statuses.includes(429), statuses.join(' '));
      assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(' '));
      assert.equal(refused!.headers['retry-after'], '1');
      assert.equal(refused!.headers['content-type'], 'application/json');
      assert.equal(JSON.parse(refused!.text).error.code, 'rate_limited');
      assert.equal((await get(`${t.edge.url}/v1/time`, '127.0.0.10')).status, 200, 'another address is not limited');
      const log = await t.edge.waitForLog((l) => l.filter((e) => e.target.includes('id=burst')).length === 10);
      for (const e of log.filter((x) => x.target.includes('id=burst') && x.status === 429)) {
        assert.deepEqual(e.upstreams, [], 'a refused request never reaches an instance');
      }
    });
  });
});

describe('a client trickling its request headers to the edge', { skip }, () => {
  it('is cut after the client timeout', async () => {
    await withTopology(1, { ...UNLIMITED, clientTimeout: '1s' }, async (t) => {
      const { port } = new URL(t.edge.url);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      const start = Date.now();
      socket.write('GET /v1/time HTTP/1.1\r\nHost: x\r\n');
      socket.resume();
      // nginx resets a timed-out connection (reset_timedout_connection): an error is a cut too.
      const cut = new Promise<void>((resolve) => {
        socket.once('error', () => resolve());
        socket.once('close', () => resolve());
      });
      // Keep trickling a byte now and then, as such a client does, until the edge gives up.
      const trickle = setInterval(() => socket.writable && socket.write('X'), 200);
      try {
        await cut;
      } finally {
        clearInterval(trickle);
        socket.destroy();
      }
      assert.ok(Date.now() - start >= 900, 'not before the timeout');
    });
  });
});

describe('limit_conn at the edge', { skip }, () => {
  it('answers 429 at once to a client holding its limit of requests in progress, and only to that client', async () => {
    // An upstream that holds each time request until told to answer, so they stay in
    // progress; the edge's own start-up probes are answered at once.
    const held: (() => void)[] = [];
    const upstream = await serve((req, res) => {
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (req.url?.startsWith('/v1/time')) held.push(answer);
      else answer();
    });
    let edge: Edge | undefined;
    try {
      // Inside the try: an edge that fails to start must not leave the upstream open, which
      // would keep the test process alive after the failure is reported.
      edge = await startEdge(NGINX!, [upstream.url.slice('http://'.length)], { limitReqRate: 'off', limitConn: 2 });
      const first = [get(`${edge.url}/v1/time?id=c1`, '127.0.0.11'), get(`${edge.url}/v1/time?id=c2`, '127.0.0.11')];
      await pollUntil(() => (held.length === 2 ? true : undefined), 10_000, 'two requests held at the upstream');
      // Refused at once: without the limit it would be held like the others and never answer.
      const refused = await Promise.race([
        get(`${edge.url}/v1/time?id=c3`, '127.0.0.11'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the third request was not refused at once')), 5000).unref()),
      ]);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(JSON.parse(refused.text).error.code, 'rate_limited');
      assert.equal(held.length, 2, 'the refused request never reached the upstream');
      // Another address has its own allowance.
      const other = get(`${edge.url}/v1/time?id=c4`, '127.0.0.12');
      await pollUntil(() => (held.length === 3 ? true : undefined), 10_000, 'another address reaching the upstream');
      held.forEach((answer) => answer());
      assert.deepEqual((await Promise.all([...first, other])).map((r) => r.status), [200, 200, 200]);
      // Its requests finished, the first client is served again.
      const again = get(`${edge.url}/v1/time?id=c5`, '127.0.0.11');
      await pollUntil(() => (held.length === 4 ? true : undefined), 10_000, 'the first client served again');
      held[3]();
      assert.equal((await again).status, 200);
    } finally {
      await edge?.stop();
      await upstream.close();
    }
  });
});
