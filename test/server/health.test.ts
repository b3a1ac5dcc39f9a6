import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { serve } from '../support/http.js';
import { request } from './request.js';

describe('health probes', () => {
  it('/healthz says the process is alive', async () => {
    const srv = await serve(createApp());
    try {
      const res = await request(srv.url, '/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.text), { ok: true });
      assert.equal(res.headers['cache-control'], 'no-store');
    } finally {
      await srv.close();
    }
  });

  it('/readyz is 200 until shutdown starts, then 503 with Connection: close', async () => {
    const drain = { draining: false };
    const srv = await serve(createApp({ drain }));
    try {
      assert.equal((await request(srv.url, '/readyz')).status, 200);
      drain.draining = true;
      const res = await request(srv.url, '/readyz');
      assert.equal(res.status, 503);
      assert.deepEqual(JSON.parse(res.text), { ready: false });
      assert.equal(res.headers.connection, 'close');
      assert.equal((await request(srv.url, '/healthz')).status, 200);
    } finally {
      await srv.close();
    }
  });

  it('refuse other methods with 405', async () => {
    const srv = await serve(createApp());
    try {
      for (const path of ['/healthz', '/readyz']) assert.equal((await request(srv.url, path, { method: 'DELETE' })).status, 405);
    } finally {
      await srv.close();
    }
  });
});
