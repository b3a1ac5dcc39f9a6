/**
 * Server throughput: autocannon against the raw node:http limit, plain Express and ours
 * (with and without metrics), each sample a fresh process, alternating in rounds; medians reported.
 */
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { requestId } from '../../widget/src/clock.js';
import { ALL_CPUS, CAN_SEPARATE, cpuTimeNs, pin } from './cpu.js';
import { startChild, type Child } from './process.js';
import type { Figures } from './report.js';
import { NEVER_REACHED, TARGET_KINDS } from './targets.js';
import { median, ratio } from './stats.js';

/** How hard and how long to load each target. */
export interface ThroughputOptions {
  rounds: number;
  /** Seconds per autocannon run. */
  seconds: number;
  connections: number;
  log: (line: string) => void;
}

/** One autocannon run's result. */
export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU time per 2xx answer, µs; `null` where it cannot be read or is several processes. */
  cpuUs: number | null;
}

/**
 * What a widget requests at every sync: one callback name for all its answers, and an id of
 * its own on each request (see widget/src/exchange.ts). Autocannon cycles through `count` of
 * them, so consecutive requests never repeat an id, as with a real widget.
 */
export function widgetTimePaths(count = 8): string[] {
  return Array.from({ length: count }, () => `/v1/time?callback=crossclock.t&id=${requestId()}`);
}

/**
 * What the seed article's jQuery client requests: each with a callback name and cache-buster
 * of its own (`jQuery<version><random>_<ms>`, then `_=<ms + 1>`). Autocannon cycles through
 * `count` of them, so consecutive requests never repeat a name, as with a real jQuery client.
 */
export function seedClientPaths(count = 8, start = Date.now()): string[] {
  const prefix = 'jQuery3701' + String(Math.random()).slice(2, 18).padEnd(16, '0');
  return Array.from({ length: count }, (_, i) => `/getTime?callback=${prefix}_${start + 2 * i}&_=${start + 2 * i + 1}`);
}

const TARGET_MAIN = fileURLToPath(new URL('./target-main.js', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));

/**
 * Loads `url` with autocannon for `seconds` over `connections` connections; with `pid`, the
 * server process whose CPU time per answer is measured over the same run.
 */
export async function load(url: string, seconds: number, connections: number, pid: number | null = null, paths?: readonly string[]): Promise<Sample> {
  const cpuBefore = pid === null ? null : cpuTimeNs(pid);
  // Fixed requests are built once: cycling through them costs the load generator nothing more.
  const requests = paths?.map((path) => ({ path }));
  const r = await autocannon({ url, connections, duration: seconds, requests });
  const cpuAfter = pid === null ? null : cpuTimeNs(pid);
  const cpuUs = cpuBefore !== null && cpuAfter !== null && r['2xx'] > 0 ? (cpuAfter - cpuBefore) / 1000 / r['2xx'] : null;
  // Anything but a 2xx counts against a target: a 429 from the limiter or a 400 is not throughput.
  return { rps: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpuUs };
}

/** A server the bench loads, named by the figure keys it produces (`server.<name>_rps`). */
interface Row {
  name: string;
  /** Starts a fresh process serving it. */
  start: () => Promise<Child>;
  path: string;
  /** Requests sent in turn instead of `path`, when they must differ. */
  paths?: readonly string[];
  /** Whether it is one process, whose CPU time is read and which is pinned to a core of its own. */
  single: boolean;
  samples: Sample[];
}

/** Runs the throughput part; `null` for the `--workers 2` figures when the server has no such flag. */
export async function benchThroughput(o: ThroughputOptions): Promise<Figures> {
  const rows: Row[] = TARGET_KINDS.flatMap((kind): Row[] => {
    const row = (name: string, path: string, paths?: readonly string[]): Row => ({ name, start: () => startChild(TARGET_MAIN, [kind]), path, paths, single: true, samples: [] });
    const time = row(kind, '/v1/time', widgetTimePaths());
    return kind === 'ours' ? [time, row('ours_gettime', '/getTime', seedClientPaths())] : [time];
  });
  rows.push({
    name: 'workers2',
    start: () => startChild(SERVER_MAIN, ['--workers', '2', '--port', '0', '--host', '127.0.0.1', '--rate-limit', String(NEVER_REACHED)]),
    path: '/v1/time',
    paths: widgetTimePaths(),
    single: false,
    samples: [],
  });
  let workersProblem: string | null = null;
  let pinned = CAN_SEPARATE && pin(process.pid, '0');
  try {
    for (let round = 0; round < o.rounds; round++) {
      // Rotate the order each round so no target always runs first on a cooler machine.
      for (let i = 0; i < rows.length; i++) {
        const t = rows[(i + round) % rows.length];
        if (!t.single && workersProblem) continue;
        // Every sample is a fresh process, warmed up and then measured at once. A process left
        // idle between its runs meets V8's memory reducer (it starts 8 s after activity), and
        // now and then one came out of it serving about 15 % slower for the rest of its life,
        // whatever its code: see docs/performance.md.
        let child: Child;
        try {
          // The cluster's processes inherit this process's core at fork: it gets both, as in
          // production, and shares them with autocannon.
          if (CAN_SEPARATE && !t.single) pin(process.pid, ALL_CPUS);
          child = await t.start();
        } catch (err) {
          if (t.single) throw err;
          workersProblem = (err as Error).message;
          o.log(`throughput: --workers 2 not measured: ${workersProblem}`);
          continue;
        } finally {
          if (CAN_SEPARATE && !t.single) pin(process.pid, '0');
        }
        try {
          // One core for the server under test, the other for autocannon (pinned above): each
          // single-process server is then measured on a whole core of its own.
          if (CAN_SEPARATE && t.single) pinned = pin(child.pid, '1') && pinned;
          const url = child.url + t.path;
          await load(url, 1, o.connections, null, t.paths); // warm-up: JIT, connection pools
          const s = await load(url, o.seconds, o.connections, t.single ? child.pid : null, t.paths);
          t.samples.push(s);
          const cpu = s.cpuUs === null ? '' : `, server CPU ${s.cpuUs.toFixed(1)} µs/answer`;
          o.log(`throughput: round ${round + 1}/${o.rounds} ${t.name.padEnd(12)} ${Math.round(s.rps)} req/s, p99 ${s.p99} ms, ${s.errors} errors${cpu}`);
        } finally {
          await child.stop();
        }
      }
    }
  } finally {
    if (CAN_SEPARATE) pin(process.pid, ALL_CPUS);
  }
  o.log(pinned ? 'throughput: each single-process server pinned to core 1, autocannon to core 0' : 'throughput: not pinned to cores (no taskset or one core): ratios are noisier');
  const figures: Figures = {};
  const targets = rows.filter((t) => t.samples.length > 0);
  for (const t of targets) {
    figures[`server.${t.name}_rps`] = median(t.samples.map((s) => s.rps));
    figures[`server.${t.name}_p50_ms`] = median(t.samples.map((s) => s.p50));
    figures[`server.${t.name}_p99_ms`] = median(t.samples.map((s) => s.p99));
    figures[`server.${t.name}_errors`] = t.samples.reduce((n, s) => n + s.errors, 0);
    const cpu = t.samples.map((s) => s.cpuUs).filter((c): c is number => c !== null);
    if (t.single) figures[`server.${t.name}_cpu_us`] = cpu.length === t.samples.length && cpu.length > 0 ? median(cpu) : null;
  }
  // Ratios are taken within each round, then the median: a neighbour's load burst then
  // slows both sides of a ratio instead of one.
  const byName = new Map(targets.map((t) => [t.name, t.samples]));
  const perRound = (a: string, b: string) => {
    const x = byName.get(a);
    const y = byName.get(b);
    if (!x || !y || x.length !== y.length || x.length === 0) return null;
    return median(x.map((s, i) => ratio(s.rps, y[i].rps)).filter((r): r is number => r !== null));
  };
  figures['server.ours_vs_raw'] = perRound('ours', 'raw');
  figures['server.ours_gettime_vs_raw'] = perRound('ours_gettime', 'raw');
  figures['server.ours_vs_express'] = perRound('ours', 'express');
  figures['server.ours_metrics_vs_raw'] = perRound('ours_metrics', 'raw');
  figures['server.ours_metrics_vs_ours'] = perRound('ours_metrics', 'ours');
  figures['server.workers2_vs_ours'] = workersProblem ? null : perRound('workers2', 'ours');
  // CPU per answer, inverted so that, like the throughput ratios, 1.0 is "as cheap as b".
  const cpuPerRound = (a: string, b: string) => {
    const x = byName.get(a);
    const y = byName.get(b);
    if (!x || !y || x.length !== y.length || x.length === 0) return null;
    const r = x.map((s, i) => (s.cpuUs === null || y[i].cpuUs === null ? null : ratio(y[i].cpuUs!, s.cpuUs)));
    return r.every((v): v is number => v !== null) ? median(r) : null;
  };
  figures['server.ours_cpu_vs_raw'] = cpuPerRound('ours', 'raw');
  figures['server.ours_metrics_cpu_vs_raw'] = cpuPerRound('ours_metrics', 'raw');
  figures['server.ours_metrics_cpu_vs_ours'] = cpuPerRound('ours_metrics', 'ours');
  const raw = byName.get('raw')!.map((s) => s.rps);
  figures['server.raw_spread'] = ratio(Math.max(...raw), Math.min(...raw));
  figures['server.pinned'] = pinned ? 1 : 0;
  return figures;
}
