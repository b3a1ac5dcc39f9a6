/**
 * The bench's edge part: `/v1/time` through nginx (the repository's template) in front of two
 * instances, next to one instance answered directly, under the same autocannon load,
 * alternating in rounds; medians reported.
 */
import { startInstance, type Instance } from '../support/instance.js';
import { startTopology, type Topology } from '../support/nginx.js';
import type { Figures } from './report.js';
import { median, ratio } from './stats.js';
import { NEVER_REACHED } from './targets.js';
import { load, TIME_PATH, type Sample, type ThroughputOptions } from './throughput.js';

// The rate limiter stays on, as in production, at a budget the load cannot reach.
const UNREACHABLE_LIMIT = ['--rate-limit', String(NEVER_REACHED)];

/** Runs the edge part with the nginx binary at `nginx`. */
export async function benchEdge(nginx: string, o: ThroughputOptions): Promise<Figures> {
  let direct: Instance | null = null;
  let topology: Topology | null = null;
  const samples: Record<'direct1' | 'nginx2', Sample[]> = { direct1: [], nginx2: [] };
  try {
    direct = await startInstance(UNREACHABLE_LIMIT);
    topology = await startTopology(nginx, 2, ['--trust-proxy', '1', ...UNREACHABLE_LIMIT]);
    const urls = { direct1: direct.url + TIME_PATH, nginx2: topology.edge.url + TIME_PATH };
    const names = ['direct1', 'nginx2'] as const;
    for (const name of names) await load(urls[name], 1, o.connections); // warm-up: JIT, keep-alive pools
    for (let round = 0; round < o.rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        const s = await load(urls[name], o.seconds, o.connections);
        samples[name].push(s);
        o.log(`edge: round ${round + 1}/${o.rounds} ${name.padEnd(8)} ${Math.round(s.rps)} req/s, p99 ${s.p99} ms, ${s.errors} errors`);
      }
    }
  } finally {
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
  return figures;
}
