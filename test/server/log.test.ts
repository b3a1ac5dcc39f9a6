import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import type { LogEntry } from '../../server/log.js';
import { serve } from '../support/http.js';
import { request } from './request.js';

describe('access log', () => {
  it('is off by default', async () => {
    const entries: LogEntry[] = [];
    const srv = await serve(createApp({ log: (e) => entries.push(e) }));
    try {
      await request(srv.url, '/v1/time');
      await request(srv.url, '/healthz');
    } finally {
      await srv.close();
    }
    assert.deepEqual(entries, []);
  });

  it('writes one record per request, without the query, when on', async () => {
    const entries: LogEntry[] = [];
    const srv = await serve(createApp({ accessLog: true, log: (e) => entries.push(e) }));
    try {
      await request(srv.url, '/v1/time?callback=alert(1)', { headers: { 'x-request-id': 'lb-42' } });
      await request(srv.url, '/nope');
    } finally {
      await srv.close();
    }
    assert.equal(entries.length, 2);
    assert.deepEqual(
      entries.map(({ level, id, method, path, status }) => ({ level, method, path, status, upstream: id === 'lb-42' })),
      [
        { level: 'access', method: 'GET', path: '/v1/time', status: 400, upstream: true },
        { level: 'access', method: 'GET', path: '/nope', status: 404, upstream: false },
      ],
    );
    assert.ok(!JSON.stringify(entries).includes('alert'));
  });
});

describe('errors', () => {
  it('are logged with a request id that the 500 answer also names, never with the error text', async () => {
    const entries: LogEntry[] = [];
    const srv = await serve(createApp({ now: () => { throw new Error('clock unplugged'); }, log: (e) => entries.push(e) }));
    let res;
    try {
      res = await request(srv.url, '/v1/time?callback=cb');
    } finally {
      await srv.close();
    }
    assert.equal(res.status, 500);
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.equal(entry.level, 'error');
    assert.equal(entry.message, 'clock unplugged');
    assert.match(String(entry.id), /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['x-request-id'], entry.id);
    assert.ok(res.text.includes(String(entry.id)));
    assert.ok(!res.text.includes('unplugged'));
  });

  it('reuse a well-formed upstream X-Request-Id and ignore a hostile one', async () => {
    const entries: LogEntry[] = [];
    const srv = await serve(createApp({ now: () => { throw new Error('x'); }, log: (e) => entries.push(e) }));
    try {
      await request(srv.url, '/v1/time', { headers: { 'x-request-id': 'abc-123' } });
      await request(srv.url, '/v1/time', { headers: { 'x-request-id': '"><script>' } });
    } finally {
      await srv.close();
    }
    assert.equal(entries[0].id, 'abc-123');
    assert.match(String(entries[1].id), /^[0-9a-f-]{36}$/);
  });
});
