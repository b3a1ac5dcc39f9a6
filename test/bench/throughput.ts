/**
 * Server throughput: autocannon against the raw node:http limit, plain Express and ours
 * (with and without metrics), each server in its own process, alternating in rounds; medians reported.
 */
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ALL_CPUS, CAN_SEPARATE, cpuTimeNs, pin } from './cpu.js';
import { startChild, type Child } from './process.js';
import type { Figures } from './report.js';
import { NEVER_REACHED, TARGET_KINDS, type TargetKind } from './targets.js';
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

/** A path a widget really requests: its callback lives in the `crossclock.j` registry. */
export const TIME_PATH = '/v1/time?callback=crossclock.j.cbench0';
const TARGET_MAIN = fileURLToPath(new URL('./target-main.js', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));

/**
 * Loads `url` with autocannon for `seconds` over `connections` connections; with `pid`, the
 * server process whose CPU time per answer is measured over the same run.
 */
export async function load(url: string, seconds: number, connections: number, pid: number | null = null): Promise<Sample> {
  const cpuBefore = pid === null ? null : cpuTimeNs(pid);
  const r = await autocannon({ url, connections, duration: seconds });
  const cpuAfter = pid === null ? null : cpuTimeNs(pid);
  const cpuUs = cpuBefore !== null && cpuAfter !== null && r['2xx'] > 0 ? (cpuAfter - cpuBefore) / 1000 / r['2xx'] : null;
  // Anything but a 2xx counts against a target: a 429 from the limiter or a 400 is not throughput.
  return { rps: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpuUs };
}

/** A URL under load, named by the figure keys it produces (`server.<name>_rps`). */
interface Target {
  name: string;
  url: string;
  /** The one process serving it, whose CPU time is read; `null` for the cluster. */
  pid: number | null;
  samples: Sample[];
}

/** Runs the throughput part; `null` for the `--workers 2` figures when the server has no such flag. */
export async function benchThroughput(o: ThroughputOptions): Promise<Figures> {
  const children: Child[] = [];
  const targets: Target[] = [];
  const add = (name: string, base: string, path: string, pid: number | null) => targets.push({ name, url: base + path, pid, samples: [] });
  let workersProblem: string | null = null;
  let pinned = CAN_SEPARATE && pin(process.pid, '0');
  try {
    // Every row has a process of its own, /getTime included: a process loaded for two rows in
    // a row, and idle for fewer, ran its rows at a lower CPU cost per answer than an identical
    // process loaded for one (12 µs of 70 when both ran the same code), which is a difference
    // of the bench, not of the servers.
    const rows = TARGET_KINDS.flatMap((kind): [name: string, kind: TargetKind, path: string][] =>
      kind === 'ours' ? [[kind, kind, TIME_PATH], ['ours_gettime', kind, '/getTime?callback=crossclock.j.cbench0']] : [[kind, kind, TIME_PATH]],
    );
    for (const [name, kind, path] of rows) {
      const child = await startChild(TARGET_MAIN, [kind]);
      children.push(child);
      // One core for the server under test, the other for autocannon (pinned below): each
      // single-process server is then measured on a whole core of its own.
      if (CAN_SEPARATE) pinned = pin(child.pid, '1') && pinned;
      add(name, child.url, path, child.pid);
    }
    try {
      const cluster = await startChild(SERVER_MAIN, ['--workers', '2', '--port', '0', '--host', '127.0.0.1', '--rate-limit', String(NEVER_REACHED)]);
      children.push(cluster);
      add('workers2', cluster.url, TIME_PATH, null);
    } catch (err) {
      workersProblem = (err as Error).message;
      o.log(`throughput: --workers 2 not measured: ${workersProblem}`);
    }
    for (const t of targets) await load(t.url, 1, o.connections); // warm-up: JIT, connection pools
    for (let round = 0; round < o.rounds; round++) {
      // Rotate the order each round so no target always runs first on a cooler machine.
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + round) % targets.length];
        const s = await load(t.url, o.seconds, o.connections, t.pid);
        t.samples.push(s);
        const cpu = s.cpuUs === null ? '' : `, server CPU ${s.cpuUs.toFixed(1)} µs/answer`;
        o.log(`throughput: round ${round + 1}/${o.rounds} ${t.name.padEnd(12)} ${Math.round(s.rps)} req/s, p99 ${s.p99} ms, ${s.errors} errors${cpu}`);
      }
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    if (CAN_SEPARATE) pin(process.pid, ALL_CPUS);
  }
  o.log(pinned ? 'throughput: each server pinned to core 1, autocannon to core 0' : 'throughput: not pinned to cores (no taskset or one core): ratios are noisier');
  const figures: Figures = {};
  for (const t of targets) {
    figures[`server.${t.name}_rps`] = median(t.samples.map((s) => s.rps));
    figures[`server.${t.name}_p50_ms`] = median(t.samples.map((s) => s.p50));
    figures[`server.${t.name}_p99_ms`] = median(t.samples.map((s) => s.p99));
    figures[`server.${t.name}_errors`] = t.samples.reduce((n, s) => n + s.errors, 0);
    const cpu = t.samples.map((s) => s.cpuUs).filter((c): c is number => c !== null);
    if (t.pid !== null) figures[`server.${t.name}_cpu_us`] = cpu.length === t.samples.length && cpu.length > 0 ? median(cpu) : null;
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
