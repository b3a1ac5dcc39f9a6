import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';
import { widgetDir } from './fixtures.js';
import { request } from './request.js';

const BUNDLE = 'window.crossclock=function(){};\n';
const HASH = createHash('sha256').update(BUNDLE).digest('hex').slice(0, 16);
const SRI = 'sha384-' + createHash('sha384').update(BUNDLE).digest('base64');
// The shape of the built loader: the literal CROSSCLOCK_URL is where the server's URL goes.
const LOADER = '(function(){var s=document.createElement("script");s.src="CROSSCLOCK_URL"+"/v1/crossclock.js"})();\n';

const widget = widgetDir({ 'crossclock.js': BUNDLE, 'snippet.js': LOADER });
let configured: Served;
let unconfigured: Served;
before(async () => {
  configured = await serve(createApp({ widgetDir: widget.dir, publicUrl: 'https://clock.example.com' }));
  unconfigured = await serve(createApp({ widgetDir: widget.dir }));
});
after(async () => {
  await configured.close();
  await unconfigured.close();
  widget.remove();
});

const snippet = (srv: Served, query = '', headers: Record<string, string> = {}) =>
  request(srv.url, '/v1/snippet' + query, { headers });

describe('GET /v1/snippet', () => {
  it('gives all three embed forms under comment headings, as plain text', async () => {
    const res = await snippet(configured);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.text.match(/<!-- .+ -->/g)?.length, 3);
    assert.ok(res.text.includes('<script>(function(){'));
    assert.ok(res.text.includes('<script async src="https://clock.example.com/v1/crossclock.js"></script>'));
    assert.ok(res.text.includes(`integrity="${SRI}"`));
  });

  it('gives the loader alone, with the public URL in place of CROSSCLOCK_URL', async () => {
    const res = await snippet(configured, '?form=loader');
    assert.equal(
      res.text,
      '<span data-crossclock></span>\n<script>(function(){var s=document.createElement("script");s.src="https://clock.example.com"+"/v1/crossclock.js"})();</script>\n',
    );
  });

  it('gives the async tag alone', async () => {
    const res = await snippet(configured, '?form=tag');
    assert.equal(res.text, '<span data-crossclock></span>\n<script async src="https://clock.example.com/v1/crossclock.js"></script>\n');
    // With a public URL the text changes only on deploy: a CDN may keep it a while.
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
  });

  it('gives the SRI-pinned tag alone, on the versioned bundle, with crossorigin', async () => {
    const res = await snippet(configured, '?form=sri');
    assert.equal(
      res.text,
      `<span data-crossclock></span>\n<script async src="https://clock.example.com/v1/crossclock.${HASH}.js" integrity="${SRI}" crossorigin="anonymous"></script>\n`,
    );
  });

  it('refuses an unknown form with 400, without echoing it', async () => {
    const res = await snippet(configured, '?form=%3Cscript%3E');
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.text).error.code, 'invalid_form');
    assert.ok(!res.text.includes('script'));
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('answers 503 not_built, never cached, while the widget is not built', async () => {
    const empty = widgetDir({});
    const bare = await serve(createApp({ widgetDir: empty.dir, publicUrl: 'https://clock.example.com' }));
    try {
      const res = await snippet(bare, '?form=sri');
      assert.equal(res.status, 503);
      assert.equal(JSON.parse(res.text).error.code, 'not_built');
      assert.equal(res.headers['cache-control'], 'no-store');
    } finally {
      await bare.close();
      empty.remove();
    }
  });

  it('ignores the Host header when a public URL is configured', async () => {
    const res = await snippet(configured, '?form=tag', { host: 'evil.example' });
    assert.ok(!res.text.includes('evil'));
    assert.ok(res.text.includes('https://clock.example.com/'));
  });

  it('uses the address the request arrived at when no public URL is configured, never the Host header', async () => {
    const res = await snippet(unconfigured, '?form=tag', { host: 'evil.example' });
    assert.ok(!res.text.includes('evil'));
    assert.ok(res.text.includes(`src="${unconfigured.url}/v1/crossclock.js"`), res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('refuses other methods with 405', async () => {
    const res = await request(configured.url, '/v1/snippet', { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET, HEAD');
  });
});
