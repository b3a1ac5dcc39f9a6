/**
 * The bench's figures, their goals, and the two ways they are written out: the table
 * printed by `npm run bench` and the `--json FILE` object other tools read. Pure.
 */

/** Every figure by dotted key (`server.ours_rps`); `null` where its part could not run. */
export type Figures = Record<string, number | null>;

/** What a figure is measured in, which decides how it is printed. */
/** `whole ms` is autocannon's latency, which it records in whole milliseconds. */
export type Unit = 'req/s' | 'ms' | 'µs' | 'whole ms' | 'count' | 'ratio' | 'B' | 'delays' | 'per s';

/** A target a figure is held against; `met` is absent for reference figures. */
export interface Goal {
  text: string;
  met?: (value: number) => boolean;
}

/** One row of the table. */
export interface Row {
  key: string;
  label: string;
  unit: Unit;
  goal: Goal;
}

const atMost = (limit: number, text = `≤ ${limit}`): Goal => ({ text, met: (v) => v <= limit });
const atLeast = (limit: number, text = `≥ ${limit}`): Goal => ({ text, met: (v) => v >= limit });
const reference = (text = 'reference'): Goal => ({ text });

const latencyRows = (name: string, label: string): Row[] => [
  { key: `server.${name}_rps`, label: `${label}: throughput`, unit: 'req/s', goal: reference() },
  { key: `server.${name}_p50_ms`, label: `${label}: latency p50`, unit: 'whole ms', goal: reference() },
  { key: `server.${name}_p99_ms`, label: `${label}: latency p99`, unit: 'whole ms', goal: reference() },
  { key: `server.${name}_errors`, label: `${label}: errors and non-2xx`, unit: 'count', goal: atMost(0, '0') },
  { key: `server.${name}_cpu_us`, label: `${label}: server CPU per answer`, unit: 'µs', goal: reference() },
];

/** The table's rows in print order, grouped by section (the key's first segment). */
export const ROWS: readonly Row[] = [
  ...latencyRows('raw', 'raw node:http JSONP (plain safe handler)'),
  ...latencyRows('express', 'Express 5 res.jsonp (seed article)'),
  ...latencyRows('ours', 'ours /v1/time'),
  ...latencyRows('ours_gettime', 'ours /getTime'),
  ...latencyRows('ours_metrics', 'ours /v1/time, metrics on'),
  // The goals are issue #3's: the time routes at 0.8 of the raw handler, several times Express.
  { key: 'server.ours_vs_raw', label: 'ours /v1/time ÷ raw', unit: 'ratio', goal: atLeast(0.8) },
  { key: 'server.ours_gettime_vs_raw', label: 'ours /getTime ÷ raw', unit: 'ratio', goal: atLeast(0.8) },
  { key: 'server.ours_vs_express', label: 'ours /v1/time ÷ Express', unit: 'ratio', goal: atLeast(3) },
  // Issue #11: recording metrics must stay off the hot path.
  { key: 'server.ours_metrics_vs_raw', label: 'ours /v1/time with metrics on ÷ raw', unit: 'ratio', goal: atLeast(0.85) },
  { key: 'server.ours_metrics_vs_ours', label: 'ours /v1/time with metrics on ÷ metrics off', unit: 'ratio', goal: reference('reference (the cost of recording; 1.0 is free)') },
  // The same comparisons from the servers' own CPU time per answer: what each server costs,
  // whichever side (server, load generator, the host's scheduling) limits the throughput.
  { key: 'server.ours_cpu_vs_raw', label: 'server CPU per answer: raw ÷ ours /v1/time', unit: 'ratio', goal: reference('reference (1.0: as cheap as raw)') },
  { key: 'server.ours_metrics_cpu_vs_raw', label: 'server CPU per answer: raw ÷ ours /v1/time with metrics on', unit: 'ratio', goal: reference('reference (1.0: as cheap as raw)') },
  { key: 'server.ours_metrics_cpu_vs_ours', label: 'server CPU per answer: metrics off ÷ metrics on', unit: 'ratio', goal: reference('reference (the cost of recording; 1.0 is free)') },
  { key: 'server.pinned', label: 'server and load generator on separate cores (1 yes, 0 no)', unit: 'count', goal: reference('1 where taskset and 2 cores exist') },
  { key: 'server.raw_spread', label: 'machine noise: raw throughput, best round ÷ worst', unit: 'ratio', goal: reference('1.0 on a quiet machine') },
  { key: 'server.workers2_rps', label: 'ours /v1/time, --workers 2: throughput', unit: 'req/s', goal: reference() },
  { key: 'server.workers2_vs_ours', label: '--workers 2 ÷ one process', unit: 'ratio', goal: reference('reference (2 cores shared with the load generator)') },
  { key: 'edge.direct1_rps', label: 'ours /v1/time, one instance direct: throughput', unit: 'req/s', goal: reference() },
  { key: 'edge.nginx2_rps', label: 'ours /v1/time through nginx, two instances: throughput', unit: 'req/s', goal: reference() },
  { key: 'edge.nginx2_p99_ms', label: 'through nginx, two instances: latency p99', unit: 'ms', goal: reference() },
  { key: 'edge.nginx2_errors', label: 'through nginx, two instances: errors and non-2xx', unit: 'count', goal: atMost(0, '0') },
  { key: 'edge.nginx2_limited_rps', label: 'through nginx with limit_req and limit_conn on (not reached): throughput', unit: 'req/s', goal: reference() },
  { key: 'edge.nginx2_limited_p99_ms', label: 'through nginx with limits on: latency p99', unit: 'ms', goal: reference() },
  { key: 'edge.nginx2_limited_errors', label: 'through nginx with limits on: errors and non-2xx', unit: 'count', goal: atMost(0, '0') },
  { key: 'edge.limited_vs_nginx2', label: 'through nginx, limits on ÷ limits off', unit: 'ratio', goal: reference('reference (what checking the limits costs)') },
  { key: 'edge.nginx2_vs_direct1', label: 'through nginx with two instances ÷ one instance direct', unit: 'ratio', goal: reference('reference (nginx, both instances and the load generator share 2 cores)') },
  { key: 'sizes.snippet_min', label: 'snippet, minified (without its URL)', unit: 'B', goal: atMost(400, '≤ 400 B') },
  { key: 'sizes.ga_snippet_min', label: "Google Analytics' snippet, minified the same way (without its URL)", unit: 'B', goal: reference('comparison') },
  { key: 'sizes.bundle_raw', label: 'bundle, minified', unit: 'B', goal: reference() },
  { key: 'sizes.bundle_gzip', label: 'bundle, gzip -9', unit: 'B', goal: atMost(2600, '≤ 2600 B') },
  { key: 'sizes.no_countdown_gzip', label: 'the same built without countdown badges, gzip -9', unit: 'B', goal: atMost(2300, '≤ 2300 B') },
  { key: 'sizes.countdown_gzip', label: 'what countdown badges cost: the difference, gzip -9', unit: 'B', goal: reference() },
  { key: 'sizes.bundle_brotli', label: 'bundle, brotli 11', unit: 'B', goal: reference() },
  { key: 'sizes.client_gzip', label: 'our JSONP client alone (jsonp.mjs), gzip', unit: 'B', goal: reference('comparison') },
  { key: 'sizes.jsonp_gzip', label: 'npm jsonp (without its debug dependency), gzip', unit: 'B', goal: reference('comparison') },
  { key: 'sizes.fetch_jsonp_gzip', label: 'npm fetch-jsonp, gzip', unit: 'B', goal: reference('comparison') },
  { key: 'sizes.jquery_gzip', label: 'jQuery (full, as the seed loads it), gzip', unit: 'B', goal: reference('comparison') },
  { key: 'first_badge.delay_ms', label: 'delay added to every widget-server response', unit: 'ms', goal: reference('setting') },
  // The snippet requests the bundle and the time at once; the tag's bundle requests the time.
  ...([['snippet', 'copy-paste snippet', 1, 'bundle and time at once'], ['tag', 'single tag', 2, 'bundle, then time']] as const).flatMap(
    ([form, name, trips, how]): Row[] => [
      { key: `first_badge.${form}_delays`, label: `${name}: navigation → synced`, unit: 'delays', goal: atMost(trips + 1, `≤ ${trips + 1} (${trips} round trip${trips > 1 ? 's' : ''} + page start-up)`) },
      { key: `first_badge.${form}_no_delay_ms`, label: `${name}: the same without delay (page start-up)`, unit: 'ms', goal: reference() },
      { key: `first_badge.${form}_round_trips`, label: `${name}: sequential round trips waited for`, unit: 'count', goal: atMost(trips, `${trips} (${how})`) },
    ],
  ),
  { key: 'clock.error_ms', label: 'crossclock.now() − shifted server clock', unit: 'ms', goal: { text: '|e| ≤ 20 ms', met: (v) => Math.abs(v) <= 20 } },
  { key: 'clock.tick_lag_ms_p95', label: 'tick lag after each true second, p95 over 20 s', unit: 'ms', goal: atMost(25, '≤ 25 ms') },
  { key: 'countdown.tick_lag_ms_p95', label: 'countdown: text change lag after each true second, p95', unit: 'ms', goal: atMost(25, '≤ 25 ms') },
  { key: 'countdown.tick_lag_ms_median', label: 'countdown: text change lag, median', unit: 'ms', goal: reference() },
  { key: 'countdown.end_lateness_ms_max', label: 'countdown: crossclock:end after the true instant, worst of 3 (on and between seconds)', unit: 'ms', goal: { text: '0 to 100 ms', met: (v) => v >= 0 && v <= 100 } },
  { key: 'countdown.end_lateness_ms_median', label: 'countdown: crossclock:end after the true instant, median', unit: 'ms', goal: reference() },
  { key: 'countdown.end_events', label: 'countdown: end events per badge', unit: 'count', goal: { text: '1', met: (v) => v === 1 } },
  { key: 'leaks.script_tags', label: 'script tags left after 10,000 JSONP calls', unit: 'count', goal: atMost(0, '0') },
  { key: 'leaks.window_props', label: 'window properties added by 10,000 JSONP calls', unit: 'count', goal: atMost(0, '0') },
  { key: 'leaks.failed_calls', label: 'calls that failed (ours and control)', unit: 'count', goal: atMost(0, '0') },
  { key: 'leaks.heap_growth_bytes', label: 'JS heap growth over 10,000 JSONP calls (after GC)', unit: 'B', goal: reference() },
  { key: 'leaks.control_heap_growth_bytes', label: 'the same for 10,000 bare script-tag calls (control)', unit: 'B', goal: reference('the browser\'s own cost') },
  { key: 'leaks.heap_growth_vs_control_bytes', label: 'heap growth beyond the control', unit: 'B', goal: atMost(50_000, '≤ 50 kB (5 B a call)') },
  { key: 'idle.start_up_ms', label: '10 badges: crossclock.js main-thread work, evaluation → first badge (median of 5)', unit: 'ms', goal: reference() },
  { key: 'idle.start_up_control_ms', label: 'the same after the page made its own Intl.DateTimeFormat (control)', unit: 'ms', goal: reference('reference (the rest is the engine\'s first formatter)') },
  { key: 'idle.wakeups_per_s', label: '10 badges: timer wake-ups per second', unit: 'per s', goal: atMost(1.2, '≤ 1.2 (one shared timer)') },
  { key: 'idle.hidden_wakeups_per_s', label: '10 badges, page hidden: wake-ups per second', unit: 'per s', goal: atMost(0, '0') },
  { key: 'idle.no_badge_wakeups_per_s', label: 'all 10 badges removed: wake-ups per second', unit: 'per s', goal: atMost(0, '0') },
];

/** The keys other tools read from `--json`: always present, `null` where a part could not run. */
export const REQUIRED_KEYS = [
  'server.raw_rps', 'server.express_rps', 'server.ours_rps', 'server.ours_vs_raw', 'server.ours_vs_express',
  'sizes.snippet_min', 'sizes.bundle_gzip', 'sizes.bundle_brotli',
  'first_badge.snippet_delays', 'first_badge.tag_delays',
  'clock.error_ms', 'clock.tick_lag_ms_p95',
  'leaks.script_tags', 'leaks.window_props', 'leaks.heap_growth_bytes',
  'idle.wakeups_per_s',
] as const;

/** The nested object written by `--json`: `{ server: { raw_rps: … }, … }`, every row's key present. */
export function toJson(figures: Figures): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  const keys = new Set([...REQUIRED_KEYS, ...ROWS.map((r) => r.key), ...Object.keys(figures)]);
  for (const key of keys) {
    const dot = key.indexOf('.');
    if (dot < 1) throw new Error(`figure key must be section.name, got "${key}"`);
    const value = figures[key] ?? null;
    if (value !== null && !Number.isFinite(value)) throw new Error(`figure ${key} is not a finite number: ${value}`);
    (out[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = value;
  }
  return out;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/** A value as printed in the table: `12,345 req/s`, `1.8 ms`, `0.93×`, `2.10 × delay`. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return 'not run';
  switch (unit) {
    case 'req/s':
      return `${thousands(value)} req/s`;
    case 'ms':
      return `${value.toFixed(1)} ms`;
    case 'µs':
      return `${value.toFixed(1)} µs`;
    case 'whole ms':
      return value < 1 ? '< 1 ms' : `${value} ms`;
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'B':
      return `${thousands(value)} B`;
    case 'delays':
      return `${value.toFixed(2)} × delay`;
    case 'per s':
      return `${value.toFixed(2)} /s`;
    case 'count':
      return thousands(value);
  }
}

/** ✓ or ✗ against the goal; empty for reference figures and figures that did not run. */
export function verdict(value: number | null, goal: Goal): string {
  if (value === null || !goal.met) return '';
  return goal.met(value) ? '✓' : '✗';
}

/** The whole result as one Markdown table (readable in a terminal, pasteable into docs/performance.md). */
export function formatTable(figures: Figures): string {
  const lines = ['| figure | value | goal | |', '| --- | ---: | --- | :-: |'];
  let section = '';
  for (const row of ROWS) {
    const s = row.key.slice(0, row.key.indexOf('.'));
    if (s !== section) {
      section = s;
      lines.push(`| **${s.replace('_', ' ')}** | | | |`);
    }
    const value = figures[row.key] ?? null;
    const cells = [row.label, formatValue(value, row.unit), row.goal.text, verdict(value, row.goal)];
    lines.push(`| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}
