import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createApp } from '../../server/app.js';
import { configuratorCsp, configuratorRouter } from '../../server/configurator.js';
import { serve, type Served } from '../support/http.js';
import { request } from './request.js';

let srv: Served;
before(async () => {
  srv = await serve(createApp());
});
after(() => srv.close());

describe('the configurator at /', () => {
  it('is an HTML page under its own strict policy, loading the widget from this server', async () => {
    const res = await request(srv.url, '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['content-security-policy'], configuratorCsp());
    // Relative, so the page also works behind a proxy that adds a path prefix.
    assert.match(res.text, /<script async id="widget" src="v1\/crossclock\.js"><\/script>/);
    for (const [, path] of res.text.matchAll(/(?:src|href)="([^"]+)"/g)) assert.ok(!path.startsWith('/'), `${path} is relative`);
  });

  it('allows no inline script or style', () => {
    assert.match(configuratorCsp(), /script-src 'self';/);
    assert.match(configuratorCsp(), /style-src 'self';/);
    assert.ok(!configuratorCsp().includes('unsafe'));
  });

  it("lets the public URL's origin serve scripts too: the preview's bundle asks it for the time wherever the page was opened", async () => {
    const app = await serve(createApp({ publicUrl: 'https://clock.example.com/edge' }));
    try {
      const res = await request(app.url, '/');
      assert.match(res.headers['content-security-policy'] as string, /script-src 'self' https:\/\/clock\.example\.com;/);
      assert.match(res.headers['content-security-policy'] as string, /style-src 'self';/);
    } finally {
      await app.close();
    }
  });

  it('serves its scripts and stylesheet with their types', async () => {
    for (const path of ['/configurator/configurator.js', '/configurator/zoned.js']) {
      const js = await request(srv.url, path);
      assert.equal(js.status, 200, path);
      assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(js.headers['x-content-type-options'], 'nosniff');
    }
    const css = await request(srv.url, '/configurator/configurator.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  });

  describe('when its files are missing', () => {
    it('says so with 503 instead of a blank page, without naming the folder', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'crossclock-configurator-'));
      const app = express().use(configuratorRouter(empty));
      const bare = await serve(app);
      try {
        const res = await request(bare.url, '/');
        assert.equal(res.status, 503);
        assert.equal(JSON.parse(res.text).error.code, 'not_installed');
        assert.ok(!res.text.includes(empty), 'the answer does not name the folder');
        // As every error: JSON that cannot run, and never cached for everyone.
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['cache-control'], 'no-store');
      } finally {
        await bare.close();
        await rm(empty, { recursive: true, force: true });
      }
    });
  });
});
