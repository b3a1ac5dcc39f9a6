/**
 * A service worker as many sites deploy one, built with Workbox from npm (as Workbox's docs
 * show): every script request answered from the cache first, whatever its `Cache-Control`,
 * cross-origin (opaque) answers kept. Our time answers are scripts, so such a worker is what
 * a badge meets on those sites. Shared by the Playwright specs and the cross-engine suite.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The Workbox modules the worker uses: `workbox-<name>.prod.js`, loaded by workbox-sw. */
const MODULES = ['core', 'routing', 'strategies', 'cacheable-response'];

/** Workbox's files by the path the worker loads them from (`/wb/…`), read from node_modules. */
export function workboxFiles(): Map<string, string> {
  const files = new Map([['/wb/workbox-sw.js', readFileSync(require.resolve('workbox-sw/build/workbox-sw.js'), 'utf8')]]);
  for (const name of MODULES) {
    const file = `workbox-${name}.prod.js`;
    files.set('/wb/' + file, readFileSync(require.resolve(`workbox-${name}/build/${file}`), 'utf8'));
  }
  return files;
}

/** The cache the worker keeps scripts in. */
export const CACHE_NAME = 'scripts';

/**
 * The worker's source. It takes control of open pages at once. With `ignoreSearch`, a cached
 * answer also matches a request whatever its query string, as some sites configure it.
 */
export function cachingWorker(ignoreSearch = false): string {
  return `importScripts('/wb/workbox-sw.js');
workbox.setConfig({ modulePathPrefix: '/wb/', debug: false });
workbox.core.skipWaiting();
workbox.core.clientsClaim();
workbox.routing.registerRoute(
  ({ request }) => request.destination === 'script',
  new workbox.strategies.CacheFirst({
    cacheName: '${CACHE_NAME}',${ignoreSearch ? '\n    matchOptions: { ignoreSearch: true },' : ''}
    plugins: [new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [0, 200] })],
  }),
);
`;
}

/** In the page: how many `/v1/time` answers the worker holds in its cache. */
export async function cachedTimeAnswers(cacheName: string): Promise<number> {
  const keys = await (await caches.open(cacheName)).keys();
  return keys.filter((r) => r.url.includes('/v1/time')).length;
}
