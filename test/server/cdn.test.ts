import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createApp } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';
import { widgetDir, withServer } from './fixtures.js';
import { request } from './request.js';

// A stand-in build, so the expected bytes and hashes are known here.
const BUNDLE = '(()=>{window.crossclock=function(){};/* padding that compresses well */' + ' '.repeat(2000) + '})();\n';
const MAP = '{"version":3,"sources":[],"mappings":""}';
const TYPES = 'export declare function crossclock(command: string): void;\n';

const widget = widgetDir({ 'crossclock.js': BUNDLE, 'crossclock.js.map': MAP, 'crossclock.d.ts': TYPES });
let srv: Served;
let bare: Served;
before(async () => {
  srv = await serve(createApp({ widgetDir: widget.dir }));
  bare = await serve(createApp({ widgetDir: join(widget.dir, 'missing') }));
});
after(async () => {
  await srv.close();
  await bare.close();
  widget.remove();
});

const manifest = async () => JSON.parse((await request(srv.url, '/v1/manifest.json')).text);

describe('GET /v1/manifest.json', () => {
  it('names the bundle by its content hash and gives its SRI sha384', async () => {
    const m = await manifest();
    const sha256 = createHash('sha256').update(BUNDLE).digest('hex');
    assert.equal(m.bundle, `/v1/crossclock.${sha256.slice(0, 16)}.js`);
    assert.equal(m.integrity, 'sha384-' + createHash('sha384').update(BUNDLE).digest('base64'));
    assert.equal(m.unversioned, '/v1/crossclock.js');
  });

  it('is readable from any origin', async () => {
    assert.equal((await request(srv.url, '/v1/manifest.json')).headers['access-control-allow-origin'], '*');
  });
});

describe('GET /v1/crossclock.js (the unversioned bundle)', () => {
  it('serves the bundle as JavaScript with nosniff', async () => {
    const res = await request(srv.url, '/v1/crossclock.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.text, BUNDLE);
  });

  it('may be reused for a short time, then revalidated, and never rewritten by a proxy', async () => {
    assert.equal((await request(srv.url, '/v1/crossclock.js')).headers['cache-control'], 'public, max-age=300, no-transform');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const { headers } = await request(srv.url, '/v1/crossclock.js');
    assert.ok(headers.etag);
    const again = await request(srv.url, '/v1/crossclock.js', { headers: { 'if-none-match': headers.etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  it('answers 200 to a stale If-None-Match', async () => {
    const res = await request(srv.url, '/v1/crossclock.js', { headers: { 'if-none-match': '"old"' } });
    assert.equal(res.status, 200);
  });

  it('can be loaded by any origin, also with integrity= and under COEP', async () => {
    const res = await request(srv.url, '/v1/crossclock.js');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
  });
});

describe('GET /v1/crossclock.<hash>.js (the versioned bundle)', () => {
  it('serves the same bytes as immutable for a year, never rewritten by a proxy', async () => {
    const res = await request(srv.url, (await manifest()).bundle);
    assert.equal(res.status, 200);
    assert.equal(res.text, BUNDLE);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable, no-transform');
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
  });

  it('matches the integrity the manifest gives', async () => {
    const m = await manifest();
    const res = await request(srv.url, m.bundle);
    assert.equal('sha384-' + createHash('sha384').update(res.body).digest('base64'), m.integrity);
  });

  it('is 404 under any other hash', async () => {
    assert.equal((await request(srv.url, '/v1/crossclock.0000000000000000.js')).status, 404);
  });
});

describe('compression', () => {
  it('sends brotli when the client accepts it, even listed after gzip', async () => {
    const res = await request(srv.url, '/v1/crossclock.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(res.body).toString(), BUNDLE);
    assert.ok(res.body.length < BUNDLE.length);
  });

  it('sends gzip when the client accepts only gzip', async () => {
    const res = await request(srv.url, '/v1/crossclock.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(res.body).toString(), BUNDLE);
  });

  it('sends identity when brotli and gzip are refused or nothing is accepted', async () => {
    for (const accept of [undefined, 'br;q=0, gzip;q=0', 'deflate']) {
      const res = await request(srv.url, '/v1/crossclock.js', { headers: accept ? { 'accept-encoding': accept } : {} });
      assert.equal(res.headers['content-encoding'], undefined, String(accept));
      assert.equal(res.text, BUNDLE);
    }
  });

  it('declares Vary: Accept-Encoding and a distinct ETag per encoding', async () => {
    const br = await request(srv.url, '/v1/crossclock.js', { headers: { 'accept-encoding': 'br' } });
    const plain = await request(srv.url, '/v1/crossclock.js');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.notEqual(br.headers.etag, plain.headers.etag);
  });

  it('compresses the versioned bundle too', async () => {
    const res = await request(srv.url, (await manifest()).bundle, { headers: { 'accept-encoding': 'br' } });
    assert.equal(brotliDecompressSync(res.body).toString(), BUNDLE);
  });
});

describe('the map and the type declarations', () => {
  it('serves /v1/crossclock.js.map as JSON', async () => {
    const res = await request(srv.url, '/v1/crossclock.js.map');
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(res.text, MAP);
  });

  it('names the map in a SourceMap header on both bundle URLs', async () => {
    for (const path of ['/v1/crossclock.js', (await manifest()).bundle]) {
      assert.equal((await request(srv.url, path)).headers.sourcemap, '/v1/crossclock.js.map');
    }
  });

  it('names no map when the build made none', async () => {
    const mapless = widgetDir({ 'crossclock.js': BUNDLE });
    try {
      const res = await withServer({ widgetDir: mapless.dir }, (s) => request(s.url, '/v1/crossclock.js'));
      assert.equal(res.status, 200);
      assert.equal(res.headers.sourcemap, undefined);
    } finally {
      mapless.remove();
    }
  });

  it('is 404 for the map of a build that made none: the widget is built, so no 503 not_built', async () => {
    const mapless = widgetDir({ 'crossclock.js': BUNDLE });
    try {
      const res = await withServer({ widgetDir: mapless.dir }, (s) => request(s.url, '/v1/crossclock.js.map'));
      assert.equal(res.status, 404);
      assert.equal(JSON.parse(res.text).error.code, 'not_found');
    } finally {
      mapless.remove();
    }
  });

  it('serves /v1/crossclock.d.ts when the build made it', async () => {
    const res = await request(srv.url, '/v1/crossclock.d.ts');
    assert.equal(res.status, 200);
    assert.equal(res.text, TYPES);
  });

  it('is 404 for /v1/crossclock.d.ts when the build did not make it', async () => {
    assert.equal((await request(bare.url, '/v1/crossclock.d.ts')).status, 404);
  });
});

describe('when the widget has not been built', () => {
  it('answers 503 not_built for the bundle and the manifest', async () => {
    for (const path of ['/v1/crossclock.js', '/v1/manifest.json']) {
      const res = await request(bare.url, path);
      assert.equal(res.status, 503, path);
      assert.equal(JSON.parse(res.text).error.code, 'not_built');
    }
  });

  it('answers it as every error is answered: JSON with nosniff, never cached', async () => {
    // A cache must not keep one broken instance's answer for everyone.
    for (const path of ['/v1/crossclock.js', '/v1/manifest.json', '/v1/crossclock.js.map']) {
      const res = await request(bare.url, path);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['cache-control'], 'no-store', path);
      const head = await request(bare.url, path, { method: 'HEAD' });
      assert.equal(head.status, 503, `HEAD ${path}`);
      assert.equal(head.headers['content-length'], String(Buffer.byteLength(res.text)), `HEAD ${path}`);
    }
  });
});

describe('methods', () => {
  it('should refuse anything but GET and HEAD with 405', async () => {
    for (const path of ['/v1/crossclock.js', '/v1/manifest.json', (await manifest()).bundle]) {
      const res = await request(srv.url, path, { method: 'POST' });
      assert.equal(res.status, 405, path);
      assert.equal(res.headers.allow, 'GET, HEAD');
    }
  });

  it('should answer HEAD with the length and no body', async () => {
    const res = await request(srv.url, '/v1/crossclock.js', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String(Buffer.byteLength(BUNDLE)));
    assert.equal(res.body.length, 0);
  });
});

describe('the real build', () => {
  it('is what createApp serves by default', async () => {
    const res = await withServer({}, (real) => request(real.url, '/v1/crossclock.js'));
    assert.equal(res.status, 200);
    assert.match(res.text, /crossclock/);
    // The map travels by header, so no bytes of the bundle are spent naming it.
    assert.doesNotMatch(res.text, /sourceMappingURL/);
  });
});

describe('with --public-url', () => {
  const baked = widgetDir({ 'crossclock.js': '(()=>{go(CROSSCLOCK_URL)})();\n' });
  after(() => baked.remove());

  it('serves the bundle with the public URL written in, and hashes the bytes it serves', async () => {
    const srv = await serve(createApp({ widgetDir: baked.dir, publicUrl: 'https://clock.example' }));
    try {
      const res = await request(srv.url, '/v1/crossclock.js');
      assert.equal(res.text, '(()=>{go("https://clock.example/v1/")})();\n');
      const m = JSON.parse((await request(srv.url, '/v1/manifest.json')).text);
      assert.equal(m.integrity, 'sha384-' + createHash('sha384').update(res.text).digest('base64'));
      assert.equal((await request(srv.url, m.bundle)).text, res.text);
    } finally {
      await srv.close();
    }
  });

  it('without one, writes an empty URL: the bundle then trusts only its own verified tag', async () => {
    const srv = await serve(createApp({ widgetDir: baked.dir }));
    try {
      assert.equal((await request(srv.url, '/v1/crossclock.js')).text, '(()=>{go("")})();\n');
    } finally {
      await srv.close();
    }
  });
});
