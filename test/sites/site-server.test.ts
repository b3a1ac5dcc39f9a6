import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { saleEnds, strictPolicy } from '../../sites/catalog.js';
import { createSiteServer } from '../../sites/site-server.js';
import { serve, type Served } from '../support/http.js';
import { request } from '../server/request.js';

let dir: string;
let srv: Served;
let responses = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossclock-site-'));
  await mkdir(join(dir, 'site'));
  await writeFile(join(dir, 'site', 'index.html'), '<script nonce="{{NONCE}}" src="{{WIDGET_URL}}/v1/crossclock.js"></script><i>{{EACH}}</i>{{UNKNOWN}}');
  await writeFile(join(dir, 'site', 'plain.js'), 'var x = "{{WIDGET_URL}}";');
  await writeFile(join(dir, 'secret.txt'), 'outside the site folder');
  await writeFile(join(dir, 'vendor.js'), 'vendor();');
  const listener = createSiteServer(join(dir, 'site'), { WIDGET_URL: 'http://widget.test:1' }, {
    files: { '/vendor.js': join(dir, 'vendor.js') },
    csp: (path, nonce) => (path === '/' ? `script-src 'nonce-${nonce}'` : undefined),
    vars: () => ({ EACH: String(++responses) }),
  });
  srv = await serve(listener);
});
after(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a demo site server', () => {
  it('fills {{NAME}} in pages with the start-up values and leaves unknown names alone', async () => {
    const res = await request(srv.url, '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(res.text, /src="http:\/\/widget\.test:1\/v1\/crossclock\.js"/);
    assert.match(res.text, /\{\{UNKNOWN\}\}$/);
  });

  it('works out per-response values for every page served', async () => {
    const [a, b] = [await request(srv.url, '/'), await request(srv.url, '/')];
    const each = (text: string) => Number(/<i>(\d+)<\/i>/.exec(text)![1]);
    assert.equal(each(b.text), each(a.text) + 1);
  });

  it('puts the same fresh nonce in the policy and the page, a new one on every response', async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await request(srv.url, '/');
      const inHeader = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
      assert.ok(inHeader && inHeader.length >= 16);
      assert.ok(res.text.includes(`nonce="${inHeader}"`));
      nonces.push(inHeader);
    }
    assert.notEqual(nonces[0], nonces[1]);
  });

  it('sends a policy only where the site asks for one, and fills nothing outside pages', async () => {
    const res = await request(srv.url, '/plain.js');
    assert.equal(res.headers['content-security-policy'], undefined);
    assert.equal(res.text, 'var x = "{{WIDGET_URL}}";');
  });

  it('serves the extra files at their fixed paths', async () => {
    assert.equal((await request(srv.url, '/vendor.js')).text, 'vendor();');
  });

  it('never serves a file outside its folder, however the path is spelled', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt']) {
      const res = await request(srv.url, path);
      assert.ok(res.status === 404 || res.status === 400, `${path} answered ${res.status}`);
      assert.ok(!res.text.includes('outside the site folder'), path);
    }
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    const res = await request(srv.url, '/', { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET, HEAD');
  });
});

describe('the strict site’s policies', () => {
  it('allow scripts on / only by nonce, trusted onward with strict-dynamic', () => {
    assert.match(strictPolicy('/', 'abc', 'http://w.test:1'), /script-src 'nonce-abc' 'strict-dynamic';/);
  });

  it('allow scripts on /allowlist.html only from the widget origin, and no inline style', () => {
    const policy = strictPolicy('/allowlist.html', 'abc', 'http://w.test:1');
    assert.match(policy, /default-src 'none'; script-src http:\/\/w\.test:1; style-src 'self';/);
    assert.ok(!policy.includes('nonce'));
  });
});

describe('the shop’s sale deadline', () => {
  it('is the next midnight UTC, never the current instant', () => {
    assert.equal(saleEnds(Date.UTC(2026, 10, 26, 15, 4, 5)), '2026-11-27T00:00:00.000Z');
    assert.equal(saleEnds(Date.UTC(2026, 11, 31, 0, 0, 0)), '2027-01-01T00:00:00.000Z');
  });
});
