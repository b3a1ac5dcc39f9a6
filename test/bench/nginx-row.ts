/**
 * The bench's edge part: `/v1/time` through nginx (the repository's template) in front of two
 * instances, with the edge's per-client limits off and on, next to one instance answered
 * directly, under the same autocannon load, alternating in rounds; medians reported.
 */
import { startInstance, type Instance } from '../support/instance.js';
import { startEdge, startTopology, type Edge, type EdgeOptions, type Topology } from '../support/nginx.js';
import type { Figures } from './report.js';
import { median, ratio } from './stats.js';
import { NEVER_REACHED } from './targets.js';
import { load, widgetTimePaths, type Sample, type ThroughputOptions } from './throughput.js';

// The rate limiter stays on, as in production, at a budget the load cannot reach.
const UNREACHABLE_LIMIT = ['--rate-limit', String(NEVER_REACHED)];
// The load comes from one address: the edge's limits are off, or on at a level it cannot reach
// (nginx counts limit_req per millisecond, so the burst covers a millisecond's arrivals), so
// the second edge measures what checking them costs.
const EDGE_OFF: EdgeOptions = { limitReqRate: 'off', limitConn: 0 };
const EDGE_LIMITED: EdgeOptions = { limitReqRate: '1000000r/s', limitReqBurst: 100_000, limitConn: 10_000 };

/** Runs the edge part with the nginx binary at `nginx`. */
export async function benchEdge(nginx: string, o: ThroughputOptions): Promise<Figures> {
  let direct: Instance | null = null;
  let topology: Topology | null = null;
  let limited: Edge | null = null;
  const samples: Record<'direct1' | 'nginx2' | 'nginx2_limited', Sample[]> = { direct1: [], nginx2: [], nginx2_limited: [] };
  try {
    direct = await startInstance(UNREACHABLE_LIMIT);
    topology = await startTopology(nginx, 2, ['--trust-proxy', '1', ...UNREACHABLE_LIMIT], EDGE_OFF);
    limited = await startEdge(nginx, topology.instances.map((i) => i.address), EDGE_LIMITED);
    const urls = { direct1: direct.url, nginx2: topology.edge.url, nginx2_limited: limited.url };
    const paths = widgetTimePaths();
    const names = ['direct1', 'nginx2', 'nginx2_limited'] as const;
    for (const name of names) await load(urls[name], 1, o.connections, null, paths); // warm-up: JIT, keep-alive pools
    for (let round = 0; round < o.rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        const s = await load(urls[name], o.seconds, o.connections, null, paths);
        samples[name].push(s);
        o.log(`edge: round ${round + 1}/${o.rounds} ${name.padEnd(14)} ${Math.round(s.rps)} req/s, p99 ${s.p99} ms, ${s.errors} errors`);
      }
    }
  } finally {
    await limited?.stop();
    await topology?.stop();
    await direct?.stop();
  }
  const figures: Figures = {};
  for (const [name, list] of Object.entries(samples)) {
    figures[`edge.${name}_rps`] = median(list.map((s) => s.rps));
    figures[`edge.${name}_p99_ms`] = median(list.map((s) => s.p99));
    figures[`edge.${name}_errors`] = list.reduce((n, s) => n + s.errors, 0);
  }
  figures['edge.nginx2_vs_direct1'] = ratio(figures['edge.nginx2_rps'], figures['edge.direct1_rps']);
  figures['edge.limited_vs_nginx2'] = ratio(figures['edge.nginx2_limited_rps'], figures['edge.nginx2_rps']);
  return figures;
}
