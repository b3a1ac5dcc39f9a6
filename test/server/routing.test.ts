import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';
import { ODD_PATHS, SERVED_PATHS } from '../support/odd-paths.js';
import { request } from './request.js';
import { assertSafeAnswer } from './safe-answer.js';

let srv: Served;
before(async () => {
  srv = await serve(createApp({ log: () => {} }));
});
after(() => srv.close());

describe('each route', () => {
  it('matches one spelling only: another case or a trailing slash is 404 JSON', async () => {
    for (const path of SERVED_PATHS.filter((p) => p !== '/')) {
      for (const variant of [path.toUpperCase(), path + '/', '/' + path]) {
        const res = await request(srv.url, variant);
        assert.equal(res.status, 404, variant);
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', variant);
        assert.equal(JSON.parse(res.text).error.code, 'not_found', variant);
      }
    }
  });

  it('answers the two requests that once took a whole deployment down with 404', async () => {
    for (const path of ['/CONFIGURATOR/configurator.js', '/configurator/configurator.js/']) {
      const res = await request(srv.url, path);
      assert.equal(res.status, 404, path);
      assertSafeAnswer(res, path);
    }
  });

  it('refuses every method but GET and HEAD with 405 and Allow, the configurator and unknown paths included', async () => {
    for (const path of [...SERVED_PATHS, '/nope']) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']) {
        const res = await request(srv.url, path, { method });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.allow, 'GET, HEAD', `${method} ${path}`);
        assert.equal(JSON.parse(res.text).error.code, 'method_not_allowed', `${method} ${path}`);
      }
    }
  });
});

describe('a request target in absolute form (RFC 9112 3.2.2)', () => {
  it('is answered as its path: the time routes, the bundle and the 404 alike', async () => {
    const time = await request(srv.url, 'http://widget.example/v1/time?callback=cb');
    assert.equal(time.status, 200);
    assert.match(time.text, /^\/\*\*\/ typeof cb === 'function' && cb\(\{"t":\d+/);
    const seed = await request(srv.url, 'HTTP://widget.example:3000/getTime');
    assert.equal(seed.status, 200);
    assert.ok(JSON.parse(seed.text).strTime);
    const bundle = await request(srv.url, 'https://widget.example/v1/crossclock.js');
    assert.equal(bundle.status, 200);
    assert.equal(bundle.text, (await request(srv.url, '/v1/crossclock.js')).text);
    // No path at all is the root.
    assert.equal((await request(srv.url, 'http://widget.example')).status, (await request(srv.url, '/')).status);
    const missing = await request(srv.url, 'http://widget.example/v1/nope');
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.text).error.code, 'not_found');
  });
});

describe('a request target in absolute form with another scheme', () => {
  it('is answered as its path by the time routes too, as by every other route and the edge', async () => {
    for (const scheme of ['ftp', 'ws', 'wss']) {
      const time = await request(srv.url, `${scheme}://widget.example/v1/time?callback=cb`);
      assert.equal(time.status, 200, scheme);
      assert.match(time.text, /^\/\*\*\/ typeof cb === 'function' && cb\(\{"t":\d+/, scheme);
      assert.equal((await request(srv.url, `${scheme}://widget.example/getTime`)).status, 200, scheme);
      assert.equal((await request(srv.url, `${scheme}://widget.example/healthz`)).status, 200, scheme);
    }
  });
});

describe(`${ODD_PATHS.length} odd request targets`, () => {
  it('get no 5xx and no answer naming a file on the server, in GET and HEAD', async () => {
    for (const path of ODD_PATHS) {
      assertSafeAnswer(await request(srv.url, path), path);
      assertSafeAnswer(await request(srv.url, path, { method: 'HEAD' }), `HEAD ${path}`);
    }
  });

  it('leave the server answering the time, the bundle and its health', async () => {
    for (const path of ['/v1/time', '/v1/crossclock.js', '/healthz', '/configurator/configurator.js']) {
      assert.equal((await request(srv.url, path)).status, 200, path);
    }
  });
});
