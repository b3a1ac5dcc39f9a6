/**
 * Start-up cost on the host's main thread: how long the bundle's own work blocks the page from
 * its script's evaluation to the first rendered badge, on a page that has made no
 * `Intl.DateTimeFormat` yet, and on one that has (the control): the difference is the engine's
 * first-formatter cost, which monitoring agents attribute to crossclock.js.
 *
 * Measured from a Chromium trace, not from Long Animation Frame or longtask entries: those only
 * exist for frames or tasks over 50 ms, so a 20 ms start would go unreported, and the control's
 * smaller one even more so. The trace records every entry point into a script the way LoAF's
 * `scripts` list attributes them: the script's compile and evaluation and every callback into it
 * (event listeners, timers, observers), each with the script's URL. Their union on the renderer's
 * main thread, up to a mark the page sets when the first badge gets its `data-state`, is the
 * figure; other scripts, style, layout and paint are not counted.
 */
import type { Browser } from '@playwright/test';
import { median } from './stats.js';

/** One Chrome trace event, as much of it as is read here. */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}

const MARK = 'crossclock-first-badge';
/** The trace events that are a script's own main-thread work, named by its URL. */
const SCRIPT_WORK = new Set(['v8.compile', 'EvaluateScript', 'FunctionCall']);

// Runs before the page's scripts: marks the first badge's first render (the widget writes the
// host's `data-state` when it renders it), on the trace's clock.
const MARK_FIRST_BADGE = (mark: string) => {
  const seen = new MutationObserver(() => {
    if (!document.querySelector('[data-crossclock][data-state]')) return;
    performance.mark(mark);
    seen.disconnect();
  });
  seen.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
};

/**
 * Milliseconds of main-thread work by scripts whose URL ends with `script`, up to `MARK`:
 * the union of their complete events, so nested ones are counted once. Null without the mark.
 */
export function scriptWorkUntilMark(events: readonly TraceEvent[], script: string): number | null {
  const mark = events.find((e) => e.name === MARK);
  if (!mark) return null;
  const main = events.find((e) => e.name === 'thread_name' && e.pid === mark.pid && e.args?.name === 'CrRendererMain');
  const spans = events
    .filter((e) => e.ph === 'X' && SCRIPT_WORK.has(e.name) && e.pid === mark.pid && e.tid === (main?.tid ?? mark.tid))
    .filter((e) => e.args?.data?.url?.split('?')[0].endsWith(script) && e.ts < mark.ts)
    .map((e) => [e.ts, Math.min(e.ts + (e.dur ?? 0), mark.ts)])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of spans) {
    if (to > end) total += to - Math.max(from, end);
    end = Math.max(end, to);
  }
  return total / 1000;
}

/** Traces one load of `url` in a fresh context (a fresh renderer) and returns the bundle's work. */
async function loadOnce(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(MARK_FIRST_BADGE, MARK);
    await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'blink.user_timing', '__metadata'] });
    let trace: Buffer;
    try {
      await page.goto(url);
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, MARK, { timeout: 20_000 });
    } finally {
      trace = await browser.stopTracing();
    }
    const ms = scriptWorkUntilMark(JSON.parse(trace.toString()).traceEvents, '/crossclock.js');
    if (ms === null) throw new Error(`no first-badge mark in the trace of ${url}`);
    return ms;
  } finally {
    await context.close();
  }
}

/**
 * Loads `page` and `control` (the same page after its own `Intl.DateTimeFormat`) `loads` times
 * each, alternating, and returns the medians of the bundle's start-up work in ms.
 */
export async function startUpWork(browser: Browser, page: string, control: string, loads: number, log: (line: string) => void) {
  const own: number[] = [];
  const afterHost: number[] = [];
  for (let i = 0; i < loads; i++) {
    own.push(await loadOnce(browser, page));
    afterHost.push(await loadOnce(browser, control));
    log(`idle: start-up ${own[i].toFixed(1)} ms, after the page's own formatter ${afterHost[i].toFixed(1)} ms (${i + 1}/${loads})`);
  }
  return { first: median(own), control: median(afterHost) };
}
