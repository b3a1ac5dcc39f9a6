import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Router } from 'express';
import express from 'express';

/** A built file held in memory with the validator it is served under. */
interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function loadAsset(dir: string, name: string, type: string): Asset | null {
  let body: Buffer;
  try {
    body = readFileSync(join(dir, name));
  } catch {
    return null;
  }
  const etag = '"' + createHash('sha256').update(body).digest('base64url').slice(0, 22) + '"';
  return { body, type, etag };
}

/** How long browsers and CDNs may reuse the unversioned bundle before revalidating. */
export const BUNDLE_MAX_AGE = 300;

/**
 * Serves the built widget: `/v1/crossclock.js` and its source map. Files are read once,
 * at start-up, from `widgetDir` (normally `dist/widget`).
 */
export function cdnRouter(widgetDir: string): Router {
  const assets: Record<string, Asset | null> = {
    '/v1/crossclock.js': loadAsset(widgetDir, 'crossclock.js', 'text/javascript; charset=utf-8'),
    '/v1/crossclock.js.map': loadAsset(widgetDir, 'crossclock.js.map', 'application/json; charset=utf-8'),
  };
  const router = express.Router();
  router.get(Object.keys(assets), (req: Request, res: Response) => {
    const asset = assets[req.path];
    if (!asset) {
      res.status(503).json({ error: { code: 'not_built', message: 'The widget has not been built: run npm run build.' } });
      return;
    }
    res.set({
      'content-type': asset.type,
      'cache-control': `public, max-age=${BUNDLE_MAX_AGE}`,
      etag: asset.etag,
      'x-content-type-options': 'nosniff',
      // Any page may load the bundle, also with `integrity=` (which needs CORS) and under COEP.
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.send(asset.body);
  });
  return router;
}
