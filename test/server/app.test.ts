import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';
import { request } from './request.js';

let srv: Served;
before(async () => {
  srv = await serve(createApp());
});
after(() => srv.close());

describe('other paths', () => {
  it('are 404 JSON without an X-Powered-By header', async () => {
    const res = await request(srv.url, '/nope');
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  it('are 405 for a method other than GET and HEAD, like every route', async () => {
    assert.equal((await request(srv.url, '/nope', { method: 'POST' })).status, 405);
  });
});

describe('paths near the time routes', () => {
  it('are not mistaken for them', async () => {
    for (const path of ['/getTime/', '/gettime', '/v1/times', '/v1/time/x', '/getTim']) {
      assert.equal((await request(srv.url, path)).status, 404, path);
    }
  });
});

describe('oversized URLs', () => {
  it('are served up to 2048 characters and refused from 2049', async () => {
    const at = (n: number) => '/v1/time?pad=' + 'x'.repeat(n - '/v1/time?pad='.length);
    assert.equal((await request(srv.url, at(2048))).status, 200);
    assert.equal((await request(srv.url, at(2049))).status, 414);
  });

  it('are refused with 414 on every route', async () => {
    for (const path of ['/v1/snippet', '/healthz', '/v1/crossclock.js', '/nope']) {
      assert.equal((await request(srv.url, `${path}?q=${'x'.repeat(3000)}`)).status, 414, path);
    }
  });
});
