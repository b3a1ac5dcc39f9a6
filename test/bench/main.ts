/**
 * `npm run bench`: measures speed, size, latency, accuracy and leaks against baselines and
 * prints one table (`--json FILE` also writes the figures). Loopback only; every part is
 * bounded in count and time. Exits non-zero only when a part broke, never for a slow figure.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { loadWidgetFiles } from '../../server/cdn.js';
import { BURST } from '../../widget/src/sync.js';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER, playwrightChromium } from '../support/browser.js';
import { findNginx, NO_NGINX } from '../support/nginx.js';
import { parseArgs, USAGE, UsageError, type Part } from './args.js';
import { benchClock } from './clock-accuracy.js';
import { benchCountdown } from './countdown.js';
import { benchFirstBadge } from './first-badge.js';
import { benchIdle } from './idle.js';
import { benchLeaks } from './leaks.js';
import { benchEdge } from './nginx-row.js';
import { startHostSite, type HostSite } from './pages.js';
import { formatTable, toJson, type Figures } from './report.js';
import { benchSizes } from './sizes.js';
import { benchThroughput } from './throughput.js';

/** A part that cannot run on this checkout (not built, no browser): its figures stay null. */
class Unavailable extends Error {}

/** The whole run may not take longer than this, whatever hangs. */
const DEADLINE_MS = 8 * 60_000;
/** The delay added to every widget-server response for the first-badge part. */
const DELAY_MS = 200;
/** Delay each way for the clock part: symmetric, so Cristian's midpoint is right on average. */
const CLOCK_DELAY_MS = 50;

const WIDGET_DIR = fileURLToPath(new URL('../../widget/', import.meta.url));
const VARIANTS_DIR = fileURLToPath(new URL('../../variants/', import.meta.url));
const log = (line: string) => console.error(`bench: ${line}`);

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`bench: ${err.message}\n${USAGE}`);
  process.exit(2);
}
const { parts, rounds, seconds } = args;

/** Why `file` cannot be written, or null: checked before minutes of measuring, not after. */
function unwritable(file: string): string | null {
  const path = resolve(file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return 'it is a folder';
  if (!stat && !existsSync(dirname(path))) return 'its folder does not exist';
  try {
    accessSync(stat ? path : dirname(path), constants.W_OK);
  } catch (err) {
    return (err as Error).message;
  }
  return null;
}
const jsonProblem = args.json && unwritable(args.json);
if (jsonProblem) {
  console.error(`bench: --json cannot write ${args.json}: ${jsonProblem}`);
  process.exit(2);
}

const watchdog = setTimeout(() => {
  console.error(`bench: broken run: still going after ${DEADLINE_MS / 60_000} minutes`);
  process.exit(1);
}, DEADLINE_MS);
watchdog.unref();

let browser: Browser | null = null;
let host: HostSite | null = null;
/** The shared browser and host site, started on first use by a browser part. */
async function inBrowser(): Promise<{ browser: Browser; host: HostSite }> {
  if (!browser) {
    const executablePath = findChromium(process.env, playwrightChromium());
    if (!executablePath) throw new Unavailable(NO_BROWSER);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  }
  host ??= await startHostSite();
  return { browser, host };
}

const runners: Record<Part, () => Promise<Figures>> = {
  sizes: () => benchSizes(WIDGET_DIR, VARIANTS_DIR),
  server: () => benchThroughput({ rounds, seconds, connections: 10, log }),
  edge: () => {
    const nginx = findNginx(process.env);
    if (!nginx) throw new Unavailable(NO_NGINX);
    return benchEdge(nginx, { rounds, seconds, connections: 10, log });
  },
  first_badge: async () => {
    const { browser, host } = await inBrowser();
    return benchFirstBadge(browser, host, loadWidgetFiles(WIDGET_DIR), DELAY_MS, 5, log);
  },
  clock: async () => {
    const { browser, host } = await inBrowser();
    return benchClock(browser, host, loadWidgetFiles(WIDGET_DIR), CLOCK_DELAY_MS, BURST, log);
  },
  countdown: async () => {
    const { browser, host } = await inBrowser();
    return benchCountdown(browser, host, CLOCK_DELAY_MS, log);
  },
  leaks: async () => {
    if (!existsSync(`${WIDGET_DIR}/jsonp.mjs`)) throw new Unavailable('dist/widget/jsonp.mjs is not built (the standalone JSONP client)');
    const { browser, host } = await inBrowser();
    return benchLeaks(browser, host, WIDGET_DIR, log);
  },
  idle: async () => {
    const { browser, host } = await inBrowser();
    return benchIdle(browser, host, loadWidgetFiles(WIDGET_DIR), log);
  },
};

const started = Date.now();
const figures: Figures = {};
const broken: string[] = [];
try {
  if (!existsSync(`${WIDGET_DIR}/crossclock.js`)) throw new Error('dist/widget/crossclock.js is missing: run npm run build');
  for (const part of parts) {
    const t0 = Date.now();
    log(`${part}: running`);
    try {
      Object.assign(figures, await runners[part]());
      log(`${part}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      if (err instanceof Unavailable) log(`${part}: not run: ${err.message}`);
      else {
        broken.push(part);
        log(`${part}: broken: ${(err as Error).stack ?? err}`);
      }
    }
  }
} catch (err) {
  broken.push('setup');
  log(`broken: ${(err as Error).message}`);
} finally {
  await (browser as Browser | null)?.close();
  await (host as HostSite | null)?.close();
}

const duration = (Date.now() - started) / 1000;
console.log(formatTable(figures));
console.log(`\n${parts.join(', ')} in ${duration.toFixed(0)} s on ${availableParallelism()} cores, Node ${process.version}.`);
if (args.json) {
  const json = {
    ...toJson(figures),
    meta: { date: new Date().toISOString(), node: process.version, cores: availableParallelism(), duration_s: duration, broken },
  };
  try {
    await writeFile(args.json, JSON.stringify(json, null, 2) + '\n');
    log(`figures written to ${args.json}`);
  } catch (err) {
    log(`--json cannot write ${args.json}: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
if (broken.length) {
  log(`broken run: ${broken.join(', ')} failed (see above)`);
  process.exitCode = 1;
}
