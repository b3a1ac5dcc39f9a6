import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';
import { request } from './request.js';

// A fixed server clock: 2026-03-29 00:59:59.500 UTC, half a second before Europe/London's DST switch.
const NOW = Date.UTC(2026, 2, 29, 0, 59, 59, 500);

let srv: Served;
let clock = NOW;
before(async () => {
  srv = await serve(createApp({ now: () => clock }));
});
after(() => srv.close());

const get = (path: string, init?: RequestInit) => fetch(srv.url + path, init);
const payload = (body: string, cb = 'cb') => JSON.parse(new RegExp(`^/\\*\\*/ typeof ${cb} === 'function' && ${cb}\\((.*)\\);$`).exec(body)![1]);

describe("GET /getTime (the seed article's route)", () => {
  it("answers a jQuery-generated callback with the seed's {strTime} shape", async () => {
    const res = await get('/getTime?callback=jQuery36005211_1732550000000&_=1732550000001');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(payload(await res.text(), 'jQuery36005211_1732550000000').strTime, new Date(NOW).toString());
  });

  it("ignores jQuery's cache-buster wherever it sits in the query", async () => {
    const res = await get('/getTime?_=1732550000001&callback=jQuery1_2');
    assert.equal(payload(await res.text(), 'jQuery1_2').epochMs, NOW);
  });

  it('gives a new strTime once the clock passes into the next second', async () => {
    const before = payload(await (await get('/getTime?callback=cb')).text()).strTime;
    clock = NOW + 500;
    try {
      const later = payload(await (await get('/getTime?callback=cb')).text()).strTime;
      assert.equal(later, new Date(NOW + 500).toString());
      assert.notEqual(later, before);
    } finally {
      clock = NOW;
    }
  });

  it("answers plain JSON to jQuery 4's $.getJSON with callback=? left in place (a CORS request, not JSONP)", async () => {
    for (const path of ['/getTime?callback=?', '/getTime?callback=%3F&_=1732550000001']) {
      const res = await get(path, { headers: { origin: 'http://news.test' } });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8', path);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
      assert.equal((await res.json()).strTime, new Date(NOW).toString(), path);
    }
  });

  it('answers plain JSON, which cannot run as a script, without a callback', async () => {
    const res = await get('/getTime');
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await res.json()).strTime, new Date(NOW).toString());
  });
});

describe("GET /v1/time (the widget's feed)", () => {
  it('gives epoch ms, the canonical zone and its current offset', async () => {
    const body = await (await get('/v1/time?callback=cb&tz=Asia/Tokyo&id=r1')).text();
    assert.equal(body, `/**/ typeof cb === 'function' && cb({"t":${NOW},"tz":"Asia/Tokyo","offset":540,"id":"r1"});`);
  });

  it('defaults to UTC without tz', async () => {
    assert.deepEqual(payload(await (await get('/v1/time?callback=cb')).text()), { t: NOW, tz: 'UTC', offset: 0 });
  });

  it('gives the offset in force at that instant, across a DST switch', async () => {
    assert.equal(payload(await (await get('/v1/time?callback=cb&tz=Europe/London')).text()).offset, 0);
    clock = NOW + 500;
    try {
      assert.equal(payload(await (await get('/v1/time?callback=cb&tz=Europe/London')).text()).offset, 60);
    } finally {
      clock = NOW;
    }
  });

  it('answers an unknown zone through the callback with invalid_tz', async () => {
    const data = payload(await (await get('/v1/time?callback=cb&tz=Mars/Olympus&id=r2')).text());
    assert.equal(data.error.code, 'invalid_tz');
    assert.equal(data.id, 'r2');
  });

  it('answers a malformed request id through the callback with invalid_id, not echoing it', async () => {
    const res = await get('/v1/time?callback=cb&id=' + encodeURIComponent('<img src=x>'));
    const text = await res.text();
    assert.equal(payload(text).error.code, 'invalid_id');
    assert.ok(!text.includes('img'));
  });

  it('answers a bad zone or id without a callback as a 400 JSON error, echoing only a valid id', async () => {
    for (const [query, code, id] of [['tz=Mars/Olympus&id=r3', 'invalid_tz', 'r3'], ['id=%3Cimg%3E', 'invalid_id', undefined]] as const) {
      const res = await get('/v1/time?' + query);
      assert.equal(res.status, 400, query);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const data = await res.json();
      assert.equal(data.error.code, code);
      assert.equal(data.id, id);
    }
  });

  it('counts callback=? as no callback beside a real one, as jQuery sends data {callback: "?"} after its own', async () => {
    const res = await get('/v1/time?callback=jQuery1_2&callback=%3F&tz=UTC');
    assert.equal(res.status, 200);
    assert.equal(payload(await res.text(), 'jQuery1_2').t, NOW);
  });

  it('decodes percent-encoded and plus-encoded values like a browser form', async () => {
    assert.equal(payload(await (await get('/v1/time?callback=cb&tz=America%2FNew_York')).text()).tz, 'America/New_York');
  });
});

describe('JSONP answers', () => {
  it('should include the security prologue and the typeof guard', async () => {
    assert.match(await (await get('/v1/time?callback=cb')).text(), /^\/\*\*\/ typeof cb === 'function' && cb\(\{.*\}\);$/);
  });

  it('should be text/javascript with nosniff, no-store and a cross-origin resource policy', async () => {
    const res = await get('/v1/time?callback=cb');
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
  });

  it('should carry no ETag, no cookie and no X-Powered-By, even when sent cookies', async () => {
    const res = await get('/getTime?callback=cb', { headers: { cookie: 'session=abc' } });
    assert.equal(res.headers.get('etag'), null);
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal(res.headers.get('x-powered-by'), null);
  });

  it('should ignore unknown query parameters', async () => {
    const plain = await (await get('/v1/time?callback=cb&tz=UTC')).text();
    const noisy = await (await get('/v1/time?utm_source=x&callback=cb&tz=UTC&__proto__=1&cb=2&tz2=Asia/Tokyo')).text();
    assert.equal(noisy, plain);
  });

  it('should answer HEAD with the headers and no body', async () => {
    const res = await request(srv.url, '/v1/time?callback=cb', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.body.length, 0);
  });

  it('should refuse other methods with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/getTime', '/v1/time']) {
        const res = await request(srv.url, path + '?callback=cb', { method });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.allow, 'GET, HEAD');
      }
    }
  });

  it('should refuse an oversized query with 414, without echoing it', async () => {
    const res = await request(srv.url, '/v1/time?callback=cb&pad=' + 'A'.repeat(4000));
    assert.equal(res.status, 414);
    assert.ok(!res.text.includes('AAAA'));
  });
});
