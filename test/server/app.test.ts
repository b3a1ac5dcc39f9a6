import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';

// A fixed server clock: 2026-03-29 00:59:59.500 UTC, half a second before Europe/London's DST switch.
const NOW = Date.UTC(2026, 2, 29, 0, 59, 59, 500);

let srv: Served;
before(async () => {
  srv = await serve(createApp({ now: () => NOW }));
});
after(() => srv.close());

const get = (path: string, init?: RequestInit) => fetch(srv.url + path, init);

describe('GET /getTime (the seed article\'s route)', () => {
  it('answers a jQuery-generated callback with the seed\'s {strTime} shape', async () => {
    const res = await get('/getTime?callback=jQuery36005211_1732550000000&_=1732550000001');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const body = await res.text();
    const m = /^\/\*\*\/ typeof jQuery36005211_1732550000000 === 'function' && jQuery36005211_1732550000000\((.*)\);$/.exec(body);
    assert.ok(m, body);
    const data = JSON.parse(m[1]);
    assert.equal(data.strTime, new Date(NOW).toString());
  });

  it('answers plain JSON, which cannot run as a script, without a callback', async () => {
    const res = await get('/getTime');
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await res.json()).strTime, new Date(NOW).toString());
  });

  it('rejects a callback that is not a plain name, without echoing it', async () => {
    const res = await get('/getTime?callback=' + encodeURIComponent('();alert(1)//'));
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.ok(!(await res.text()).includes('alert'));
  });
});

describe('GET /v1/time (the widget\'s feed)', () => {
  it('gives epoch ms, the canonical zone and its current offset', async () => {
    const body = await (await get('/v1/time?callback=cb&tz=Asia/Tokyo&id=r1')).text();
    assert.equal(body, `/**/ typeof cb === 'function' && cb({"t":${NOW},"tz":"Asia/Tokyo","offset":540,"id":"r1"});`);
  });

  it('answers an unknown zone through the callback with invalid_tz', async () => {
    const body = await (await get('/v1/time?callback=cb&tz=Mars/Olympus')).text();
    const data = JSON.parse(/cb\((.*)\);$/.exec(body)![1]);
    assert.equal(data.error.code, 'invalid_tz');
  });
});

describe('GET /v1/crossclock.js', () => {
  it('serves the built bundle to any origin with a revalidation tag', async () => {
    const res = await get('/v1/crossclock.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(await res.text(), /crossclock/);
    const etag = res.headers.get('etag');
    assert.ok(etag);
    const again = await get('/v1/crossclock.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });
});

describe('GET /healthz', () => {
  it('says the process is alive', async () => {
    const res = await get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  });
});

describe('other paths', () => {
  it('are 404 JSON without an X-Powered-By header', async () => {
    const res = await get('/nope');
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-powered-by'), null);
  });
});
