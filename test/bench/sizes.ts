/**
 * Sizes a host page pays: the snippet it pastes and the bundle it downloads, against the
 * budgets and against the JSONP clients people use instead, minified the same way.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minify, type MinifyOptions } from 'terser';
import type { Figures } from './report.js';

/** Bytes of one file, raw and compressed the way a CDN would serve it. */
export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

/** Raw, gzip -9 and brotli 11 byte counts of `code`. */
export function sizesOf(code: string): Sizes {
  const raw = Buffer.from(code);
  return {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The placeholder the server replaces with its own URL; the host pays for that URL, not for it. */
export const URL_PLACEHOLDER = 'CROSSCLOCK_URL';

/** Bytes of the minified snippet body, without the URL placeholder and trailing whitespace. */
export function snippetBytes(snippet: string): number {
  return Buffer.byteLength(snippet.trimEnd().split(URL_PLACEHOLDER).join(''));
}

// The terser settings of rollup.config.mjs, so the reference clients get the same treatment
// as our bundle, but for the two tuned to our code alone: `booleans_as_integers` (safe only
// where every boolean goes to the DOM, as ours do) and `inline: 1`. `toplevel` is left off:
// these are scripts whose globals are their API.
const TERSER: MinifyOptions = {
  ecma: 2022,
  compress: { passes: 3, unsafe_arrows: true },
  format: { comments: false, ascii_only: true },
};

const require = createRequire(import.meta.url);

/** The reference JSONP clients, by figure name, with the file a bundler would take. */
const REFERENCES: Record<string, string> = {
  jsonp: 'jsonp', // its `debug` dependency is left out, which flatters it
  fetch_jsonp: 'fetch-jsonp',
  jquery: 'jquery', // the full build: the slim one has no $.ajax, which the seed calls
};

/** Google Analytics' copy-paste snippet (see the fixture's header), and the URL it loads. */
const GA_SNIPPET = new URL('../../../test/bench/fixtures/google-analytics-snippet.js', import.meta.url);
const GA_URL = 'https://www.google-analytics.com/analytics.js';

/**
 * Bytes of Google Analytics' snippet minified like ours and, like ours, without its URL:
 * the size a loader is usually measured against.
 */
export async function gaSnippetBytes(file: URL = GA_SNIPPET): Promise<number> {
  const { code } = await minify(await readFile(file, 'utf8'), TERSER);
  if (!code?.includes(GA_URL)) throw new Error(`terser lost the URL of ${file}`);
  return Buffer.byteLength(code.split(GA_URL).join(''));
}

/**
 * Measures snippet, bundle and reference clients. `widgetDir` holds the built widget;
 * `variantsDir` the bundle built without countdown badges (terser's `COUNTDOWN: false`).
 */
export async function benchSizes(widgetDir: string, variantsDir: string): Promise<Figures> {
  const snippet = await readFile(`${widgetDir}/snippet.js`, 'utf8');
  // The bundle as served, what a browser downloads (its source map is named by a header, not a comment).
  const bundle = sizesOf(await readFile(`${widgetDir}/crossclock.js`, 'utf8'));
  const figures: Figures = {
    'sizes.snippet_min': snippetBytes(snippet),
    'sizes.ga_snippet_min': await gaSnippetBytes(),
    'sizes.bundle_raw': bundle.raw,
    'sizes.bundle_gzip': bundle.gzip,
    'sizes.bundle_brotli': bundle.brotli,
  };
  // What countdown badges cost: everything else is the same source, minified the same way.
  const noCountdown = await readFile(`${variantsDir}/crossclock-no-countdown.js`, 'utf8').catch(() => null);
  figures['sizes.no_countdown_gzip'] = noCountdown === null ? null : sizesOf(noCountdown).gzip;
  figures['sizes.countdown_gzip'] = noCountdown === null ? null : bundle.gzip - sizesOf(noCountdown).gzip;
  // Our JSONP client alone, the like-for-like comparison with the reference clients.
  const client = await readFile(`${widgetDir}/jsonp.mjs`, 'utf8').catch(() => null);
  figures['sizes.client_gzip'] = client === null ? null : sizesOf(client).gzip;
  for (const [name, pkg] of Object.entries(REFERENCES)) {
    const source = await readFile(require.resolve(pkg), 'utf8');
    const { code } = await minify(source, TERSER);
    if (!code) throw new Error(`terser produced nothing for ${pkg}`);
    const s = sizesOf(code);
    figures[`sizes.${name}_min`] = s.raw;
    figures[`sizes.${name}_gzip`] = s.gzip;
  }
  return figures;
}
