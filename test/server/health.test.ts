import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withServer } from './fixtures.js';
import { request } from './request.js';

describe('health probes', () => {
  it('/healthz says the process is alive', async () => {
    const res = await withServer({}, (srv) => request(srv.url, '/healthz'));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { ok: true });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('/readyz is 200 until shutdown starts, then 503 with Connection: close', async () => {
    const drain = { draining: false };
    await withServer({ drain }, async (srv) => {
      assert.equal((await request(srv.url, '/readyz')).status, 200);
      drain.draining = true;
      const res = await request(srv.url, '/readyz');
      assert.equal(res.status, 503);
      assert.deepEqual(JSON.parse(res.text), { ready: false });
      assert.equal(res.headers.connection, 'close');
      assert.equal((await request(srv.url, '/healthz')).status, 200);
    });
  });

  it('refuse other methods with 405', async () => {
    await withServer({}, async (srv) => {
      for (const path of ['/healthz', '/readyz']) assert.equal((await request(srv.url, path, { method: 'DELETE' })).status, 405);
    });
  });
});
