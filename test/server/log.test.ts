import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { jsonLines, rawRequestId, type LogEntry } from '../../server/log.js';
import { readDoc, tableRows } from '../support/docs.js';
import { withServer } from './fixtures.js';
import { request } from './request.js';

const failingClock = (message: string) => () => {
  throw new Error(message);
};

describe('access log', () => {
  it('is off by default', async () => {
    const entries: LogEntry[] = [];
    await withServer({ log: (e) => entries.push(e) }, async (srv) => {
      await request(srv.url, '/v1/time');
      await request(srv.url, '/healthz');
    });
    assert.deepEqual(entries, []);
  });

  it('writes one record per request, without the query, when on', async () => {
    const entries: LogEntry[] = [];
    await withServer({ accessLog: true, log: (e) => entries.push(e) }, async (srv) => {
      await request(srv.url, '/v1/time?callback=alert(1)', { headers: { 'x-request-id': 'lb-42' } });
      await request(srv.url, '/nope');
    });
    assert.deepEqual(
      entries.map(({ level, id, method, path, status }) => ({ level, method, path, status, upstream: id === 'lb-42' })),
      [
        { level: 'access', method: 'GET', path: '/v1/time', status: 400, upstream: true },
        { level: 'access', method: 'GET', path: '/nope', status: 404, upstream: false },
      ],
    );
    assert.ok(!JSON.stringify(entries).includes('alert'));
  });

  it('records the body length of time-route answers as well as of Express answers', async () => {
    const entries: LogEntry[] = [];
    const bodies: Record<string, number> = {};
    await withServer({ accessLog: true, log: (e) => entries.push(e) }, async (srv) => {
      for (const path of ['/v1/time?callback=cb', '/getTime', '/healthz', '/nope']) {
        bodies[path.split('?')[0]] = (await request(srv.url, path)).body.length;
      }
    });
    assert.ok(Object.values(bodies).every((n) => n > 0));
    assert.deepEqual(Object.fromEntries(entries.map((e) => [e.path, e.bytes])), bodies);
  });

  it('has the fields docs/server.md lists for --access-log, and no others', async () => {
    const entries: LogEntry[] = [];
    await withServer({ accessLog: true, log: (e) => entries.push(e) }, (srv) => request(srv.url, '/v1/time'));
    const [, , , meaning] = tableRows(readDoc('docs/server.md'), '| flag |').find(([flag]) => flag.startsWith('`--access-log`'))!;
    const listed = [...meaning.split('on stdout')[1].matchAll(/`(\w+)`/g)].map((m) => m[1]);
    assert.deepEqual(Object.keys(entries[0]).filter((key) => key !== 'level').sort(), listed.sort());
  });
});

describe('JSON lines', () => {
  it('show a client\'s control characters as escapes, never raw, so a terminal showing the log runs none', () => {
    const out = new PassThrough();
    const err = new PassThrough();
    // What a request path may carry: C0 controls, DEL, and the C1 controls (U+009B is CSI,
    // ESC [ in one character), written here as node:http reads the bytes, one char per byte.
    const path = '/a\x1b[2J\r\n\x7f\x9b2J\x9d0;title\x07\x85\u00a0é';
    jsonLines(out, err)({ level: 'access', path });
    jsonLines(out, err)({ level: 'error', message: path });
    for (const stream of [out, err]) {
      const text = String(stream.read());
      assert.equal(text.indexOf('\n'), text.length - 1, 'one line');
      assert.doesNotMatch(text.slice(0, -1), /[\x00-\x1f\x7f-\x9f]/);
      const record = JSON.parse(text) as LogEntry;
      assert.equal(record.path ?? record.message, path, 'the same text once parsed');
    }
  });
});

describe('errors', () => {
  it('are logged with a request id that the 500 answer also names, never with the error text', async () => {
    const entries: LogEntry[] = [];
    const res = await withServer({ now: failingClock('clock unplugged'), log: (e) => entries.push(e) }, (srv) =>
      request(srv.url, '/v1/time?callback=cb'),
    );
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

  it('of a request the HTTP parser refused take its well-formed X-Request-Id, not a hostile one nor the next request\'s', () => {
    const raw = (text: string) => Buffer.from(text, 'latin1');
    assert.equal(rawRequestId(raw('GET / HTTP/1.1\r\nHost: x\r\nx-REQUEST-id: lb-42\r\nX: a\x01b\r\n\r\n')), 'lb-42');
    for (const text of [
      'GET / HTTP/1.1\r\nHost: x\r\nX-Request-Id: "><script>\r\nX: a\x01b\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX-Request-Id: lb-42 x\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\nGET / HTTP/1.1\r\nX-Request-Id: lb-43\r\n\r\n',
    ]) {
      assert.match(rawRequestId(raw(text)), /^[0-9a-f-]{36}$/, JSON.stringify(text));
    }
    assert.match(rawRequestId(undefined), /^[0-9a-f-]{36}$/);
  });

  it('reuse a well-formed upstream X-Request-Id and ignore a hostile one', async () => {
    const entries: LogEntry[] = [];
    await withServer({ now: failingClock('x'), log: (e) => entries.push(e) }, async (srv) => {
      await request(srv.url, '/v1/time', { headers: { 'x-request-id': 'abc-123' } });
      await request(srv.url, '/v1/time', { headers: { 'x-request-id': '"><script>' } });
    });
    assert.equal(entries[0].id, 'abc-123');
    assert.match(String(entries[1].id), /^[0-9a-f-]{36}$/);
  });
});
