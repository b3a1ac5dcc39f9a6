// Builds the browser files into dist/widget/: the bundle (crossclock.js, an IIFE), the
// copy-paste snippet body (snippet.js), the JSONP client alone (jsonp.mjs) and the hosts'
// type declarations (crossclock.d.ts). Prints raw, gzip and brotli sizes on every build;
// test/unit/size.test.ts enforces the budgets. dist/variants/ holds builds that are never
// served, only measured: the bundle without countdown badges, whose difference from the real
// one is what countdowns cost (the bench prints it).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

// `booleans_as_integers` writes `true` as `1` (and `x === true` as `x == 1`): every boolean
// the widget hands the DOM goes through WebIDL's conversion, so 1 is as good as true, and it
// saves a few bytes gzipped. `inline: 1` keeps a function called with an argument from being
// inlined as a hoisted `var` (parseInstant), a few bytes more. Measured with the other unsafe
// or aggressive options, which saved nothing (see docs/performance.md).
// `ascii_only` keeps the source's `\u26a0` escape: as the bundle's one non-ASCII character,
// its three UTF-8 bytes would each need a Huffman code of their own in the gzip stream (6 B;
// 3 B without countdowns).
const terserOptions = (defs = {}) => ({
  ecma: 2022,
  toplevel: true,
  compress: { passes: 3, unsafe_arrows: true, booleans_as_integers: true, inline: 1, global_defs: { DEBUG: false, COUNTDOWN: true, ...defs } },
  format: { comments: false, ascii_only: true },
});

/** Prints each emitted file's sizes, so every build shows what it costs a host page. */
function sizes() {
  return {
    name: 'sizes',
    writeBundle(options, bundle) {
      for (const [name, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const raw = Buffer.from(chunk.code);
        const gzip = gzipSync(raw, { level: 9 }).length;
        const brotli = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
        console.log(`${name.padEnd(16)} ${String(raw.length).padStart(6)} B raw  ${String(gzip).padStart(5)} B gzip  ${String(brotli).padStart(5)} B brotli`);
      }
    },
  };
}

/** Emits a source file unchanged next to the bundle. */
function copy(from, fileName) {
  return {
    name: 'copy',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source: readFileSync(from) });
    },
  };
}

const plugins = (...extra) => variant({}, ...extra);
/** The plugins with terser's `global_defs` overridden by `defs`; `outDir` must hold the output file. */
const variant = (defs, ...extra) => [
  typescript({ tsconfig: 'widget/tsconfig.json', noEmitOnError: true, ...(Object.keys(defs).length && { outDir: 'dist/variants' }) }),
  terser(terserOptions(defs)),
  sizes(),
  ...extra,
];

export default [
  {
    input: 'widget/src/crossclock.ts',
    // Not `strict`: the bundle is valid strict code anyway, and the directive costs bytes.
    // `compact`: no newline after the code, a character found nowhere else in it, which gzip
    // would give a Huffman code of its own (3 B).
    output: { file: 'dist/widget/crossclock.js', format: 'iife', sourcemap: 'hidden', strict: false, compact: true },
    plugins: plugins(copy('widget/crossclock.d.ts', 'crossclock.d.ts')),
  },
  {
    input: 'widget/src/crossclock.ts',
    output: { file: 'dist/variants/crossclock-no-countdown.js', format: 'iife', strict: false, compact: true },
    plugins: variant({ COUNTDOWN: false }),
  },
  {
    input: 'widget/src/snippet-entry.ts',
    // `es` adds no wrapper; terser inlines the single call so nothing leaks into the host's scope.
    output: { file: 'dist/widget/snippet.js', format: 'es' },
    plugins: plugins(),
  },
  {
    input: 'widget/src/jsonp.ts',
    output: { file: 'dist/widget/jsonp.mjs', format: 'es' },
    plugins: plugins(),
  },
];
