import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Request, Response, Router } from 'express';
import { bakeBundle } from './bake.js';
import { sendError } from './jsonp.js';
import { methodNotAllowed } from './methods.js';
import { exactRouter } from './router.js';

/** One encoding of a file, with the strong validator of exactly these bytes. */
interface Variant {
  body: Buffer;
  etag: string;
}

/** A file held in memory in all the encodings we serve, read and compressed once at start-up. */
interface Asset {
  type: string;
  cacheControl: string;
  identity: Variant;
  br: Variant;
  gzip: Variant;
}

/** What `/v1/manifest.json` says: where the versioned bundle is and how to pin it. */
export interface Manifest {
  bundle: string;
  integrity: string;
  unversioned: string;
}

/** The built widget as the server serves it. */
export interface WidgetFiles {
  /** Served files by URL path. */
  assets: Map<string, Asset>;
  /** `null` when `crossclock.js` has not been built. */
  manifest: Manifest | null;
  /** The copy-paste loader body (`snippet.js`), with the literal `CROSSCLOCK_URL` in it. */
  snippet: string | null;
}

/** How long browsers and CDNs may reuse the unversioned bundle before revalidating. */
export const BUNDLE_MAX_AGE = 300;
// `no-transform`: a proxy that rewrites what it passes on (a carrier's "optimising" proxy on
// plain http minifies or re-encodes scripts) would break every `integrity=` pin on the bundle.
const SHORT = `public, max-age=${BUNDLE_MAX_AGE}, no-transform`;
const IMMUTABLE = 'public, max-age=31536000, immutable, no-transform';
const JS = 'text/javascript; charset=utf-8';
const MAP_PATH = '/v1/crossclock.js.map';

function variant(body: Buffer, tag: string, suffix: string): Variant {
  // Each encoding is a different representation, so each needs its own strong ETag.
  return { body, etag: `"${tag}${suffix}"` };
}

function asset(body: Buffer, type: string, cacheControl: string): Asset {
  const tag = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return {
    type,
    cacheControl,
    identity: variant(body, tag, ''),
    br: variant(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), tag, '-br'),
    gzip: variant(gzipSync(body, { level: 9 }), tag, '-gz'),
  };
}

function read(dir: string, name: string): Buffer | null {
  try {
    return readFileSync(join(dir, name));
  } catch {
    return null;
  }
}

/**
 * Reads the built widget from `widgetDir` (normally `dist/widget`) once: the bundle under its
 * unversioned name and under a name carrying its content hash, its map, its type
 * declarations and a manifest with the bundle's SRI hash. The bundle gets `publicUrl` baked
 * in first (see bake.ts), so hashes describe the served bytes. Missing files are simply not served.
 */
export function loadWidgetFiles(widgetDir: string, publicUrl: string | null = null): WidgetFiles {
  const assets = new Map<string, Asset>();
  const built = read(widgetDir, 'crossclock.js');
  const builtMap = read(widgetDir, 'crossclock.js.map');
  const baked = built && bakeBundle(built.toString('utf8'), builtMap && builtMap.toString('utf8'), publicUrl);
  const bundle = baked && Buffer.from(baked.bundle);
  let manifest: Manifest | null = null;
  if (bundle) {
    // 16 lowercase hex digits: the edge (server/deploy/nginx.conf) retries a 404 on other
    // instances only for names of this shape, so change both together.
    const hash = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
    manifest = {
      bundle: `/v1/crossclock.${hash}.js`,
      integrity: 'sha384-' + createHash('sha384').update(bundle).digest('base64'),
      unversioned: '/v1/crossclock.js',
    };
    assets.set(manifest.unversioned, asset(bundle, JS, SHORT));
    assets.set(manifest.bundle, asset(bundle, JS, IMMUTABLE));
    assets.set('/v1/manifest.json', asset(Buffer.from(JSON.stringify(manifest)), 'application/json; charset=utf-8', SHORT));
  }
  const map = baked ? baked.map && Buffer.from(baked.map) : builtMap;
  if (map) assets.set(MAP_PATH, asset(map, 'application/json; charset=utf-8', SHORT));
  const types = read(widgetDir, 'crossclock.d.ts');
  // text/plain so a browser shows the declarations instead of downloading them.
  if (types) assets.set('/v1/crossclock.d.ts', asset(types, 'text/plain; charset=utf-8', SHORT));
  const snippet = read(widgetDir, 'snippet.js');
  return { assets, manifest, snippet: snippet ? snippet.toString('utf8').trim() : null };
}

// Paths a build would serve: answered 503 rather than 404 when the build is missing, so a
// broken deployment is told apart from a wrong URL. Only when the bundle itself is: a build
// may make no map (a 404, then), and a 5xx for it would page an operator for nothing.
const BUILT_PATHS = new Set(['/v1/crossclock.js', '/v1/manifest.json', MAP_PATH]);

function pick(req: Request, a: Asset): { variant: Variant; encoding: string | null } {
  // Whether the client accepts an encoding at all (q-values, `*`, `br;q=0`) is Express's
  // negotiator's call; among the accepted ones we choose the smallest, brotli, because
  // browsers list `gzip` first ("gzip, deflate, br") without preferring it.
  if (req.acceptsEncodings('br')) return { variant: a.br, encoding: 'br' };
  if (req.acceptsEncodings('gzip')) return { variant: a.gzip, encoding: 'gzip' };
  return { variant: a.identity, encoding: null };
}

/**
 * Serves the built widget files, pre-compressed, to any origin. The versioned bundle is
 * immutable; everything else may be reused for BUNDLE_MAX_AGE seconds, then revalidated.
 */
export function cdnRouter(files: WidgetFiles): Router {
  const router = exactRouter();
  router.use((req: Request, res: Response, next) => {
    const a = files.assets.get(req.path);
    if (!a && (files.manifest || !BUILT_PATHS.has(req.path))) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, req.method);
    if (!a) {
      sendError(res, 503, 'not_built', 'The widget has not been built: run npm run build.', req.method === 'HEAD');
      return;
    }
    const { variant: v, encoding } = pick(req, a);
    res.set({
      'content-type': a.type,
      'cache-control': a.cacheControl,
      etag: v.etag,
      // Caches must key on Accept-Encoding, or a brotli body could reach a client without brotli.
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
      // Any page may load the bundle, also with `integrity=` (which needs CORS) and under COEP.
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
    if (encoding) res.set('content-encoding', encoding);
    // The bundle names its map by header rather than by a trailing comment, which would
    // cost every host page bytes of the 2 KB budget.
    if (a.type === JS && files.assets.has(MAP_PATH)) res.set('sourcemap', MAP_PATH);
    // res.send answers 304 itself when If-None-Match matches the ETag set above.
    res.send(v.body);
  });
  return router;
}
