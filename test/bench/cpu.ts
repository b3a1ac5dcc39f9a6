import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Pins every thread of process `pid` to the CPUs in `cpus` (taskset's list syntax, e.g.
 * `1` or `0-1`). Returns false where taskset is missing or refuses: the bench then runs
 * unpinned and says so.
 */
export function pin(pid: number, cpus: string): boolean {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  return r.status === 0;
}

/** All CPUs of this machine in taskset's list syntax. */
export const ALL_CPUS = `0-${availableParallelism() - 1}`;

/**
 * Whether this machine can give the server under test and the load generator a core each.
 * Sharing one core, the two steal time from each other at random and the ratios between
 * servers move by ±15 % from run to run on a 2-core machine.
 */
export const CAN_SEPARATE = availableParallelism() >= 2;

/**
 * Nanoseconds process `pid` has run on a CPU so far, all its threads together (Linux's
 * schedstat, which leaves out time the hypervisor gave to others), or `null` where /proc has
 * no such figure. The difference over a load run is the server's own cost, whichever side
 * limited the throughput.
 */
export function cpuTimeNs(pid: number): number | null {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let total = 0;
  for (const task of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read ran for no more time.
    }
  }
  return Number.isFinite(total) ? total : null;
}
