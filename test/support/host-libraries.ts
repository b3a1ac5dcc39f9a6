import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Old libraries still on many live pages, that replace globals the widget could otherwise
 * rely on. Each is a list of `[path, source]` to serve and load, in order, in a page's head.
 */
export interface HostLibrary {
  name: string;
  /** One line saying how to install it, or null when it is here. */
  missing: string | null;
  scripts(): [string, string][];
}

/**
 * The jQuery releases a host page may still load, as `[version, npm package]`: 1.12 (the seed
 * article's era, on countless old pages), 3 (the seed demo site's) and 4 (the current release,
 * which rewrote parts of its script transport).
 */
export const JQUERIES = [
  ['1.12.4', 'jquery-1'],
  ['3', 'jquery'],
  ['4.0.0', 'jquery-4'],
] as const;

/** A jQuery package's minified build, the file a page loads, beside its main file (jQuery 4's `exports` hide its path). */
export const jquerySource = (pkg: string) => readFileSync(join(dirname(require.resolve(pkg)), 'jquery.min.js'), 'utf8');

/** The one line printed when MooTools is missing. */
export const NO_MOOTOOLS =
  'crossclock: no MooTools found: install it (Debian: apt-get install -y libjs-mootools, as .ci/run does) or set MOOTOOLS_DIR';
const MOOTOOLS_FILES = ['mootools-core.min.js', 'mootools-more.min.js'];

/** The directory holding MooTools Core and More: `MOOTOOLS_DIR`, else Debian's libjs-mootools; null when they are not there. */
export function findMooTools(env: Record<string, string | undefined>, exists: (path: string) => boolean = existsSync): string | null {
  const dirs = [env.MOOTOOLS_DIR, '/usr/share/javascript/mootools'].filter((d): d is string => !!d);
  return dirs.find((dir) => MOOTOOLS_FILES.every((f) => exists(join(dir, f)))) ?? null;
}

const mooToolsDir = findMooTools(process.env);

/**
 * MooTools 1.4.5 Core and More (Debian's libjs-mootools), the MooTools Joomla 1.6 to 3
 * shipped: Core replaces the `Document` global with a class of its own, More replaces
 * `Date.parse`.
 */
export const mooTools: HostLibrary = {
  name: 'MooTools',
  missing: mooToolsDir ? null : NO_MOOTOOLS,
  scripts: () => MOOTOOLS_FILES.map((f) => ['/lib/' + f, readFileSync(join(mooToolsDir!, f), 'utf8')]),
};

/** Datejs 1.0 Alpha-1 (npm `datejs`, the en-US build datejs.com offered): its `Date.now` answers a Date, its `Date.parse` null for ISO instants. */
export const datejs: HostLibrary = {
  name: 'Datejs',
  missing: null,
  scripts: () => [['/lib/date.js', readFileSync(require.resolve('datejs/lib/date-en-US.js'), 'utf8')]],
};

/**
 * SES (npm `ses`, the hardened JavaScript of Agoric, MetaMask Snaps and LavaMoat) with
 * `lockdown()` run on the page: every JavaScript built-in is frozen (`Object.prototype`,
 * `Function.prototype`, `Promise`, `Date`, …), so assigning to a property a frozen prototype
 * defines throws, and some intrinsics are removed. `reporting: 'none'` keeps its own notes
 * about the removed ones off the console, where they would read as the widget's.
 */
export const ses: HostLibrary = {
  name: 'SES',
  missing: null,
  scripts: () => [
    ['/lib/ses.umd.min.js', readFileSync(join(dirname(require.resolve('ses/package.json')), 'dist/ses.umd.min.js'), 'utf8')],
    ['/lib/lockdown.js', "lockdown({ reporting: 'none' });"],
  ],
};

/**
 * htmx 2 with its idiomorph extension (`hx-ext="morph"`), which swaps a response in by
 * morphing: a badge element the response also has is kept and given the response's
 * attributes, so any attribute the response lacks (the widget's `data-state`) is removed.
 */
export const htmxMorph: HostLibrary = {
  name: 'htmx 2 with idiomorph',
  missing: null,
  scripts: () => [
    ['/lib/htmx.min.js', readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8')],
    ['/lib/idiomorph-ext.min.js', readFileSync(require.resolve('idiomorph/dist/idiomorph-ext.min.js'), 'utf8')],
  ],
};

/**
 * Turbo 8 (its UMD build, which starts itself): with `<meta name="turbo-refresh-method"
 * content="morph">` a visit to the same page morphs the new body into the old one (with the
 * idiomorph it bundles), as a page refresh broadcast by the server does.
 */
export const turbo: HostLibrary = {
  name: 'Turbo 8',
  missing: null,
  scripts: () => [['/lib/turbo.es2017-umd.js', readFileSync(require.resolve('@hotwired/turbo/dist/turbo.es2017-umd.js'), 'utf8')]],
};
