import cluster, { type Worker } from 'node:cluster';
import type { Log } from './log.js';
import { restartPolicy, RESTART_DEFAULTS } from './restart-policy.js';

/**
 * The exit code of a worker whose stdout can no longer be written. Every worker writes to the
 * primary's stdout: a replacement would die at its first access record (cutting what it was
 * serving), so the primary stops with exit 1 instead, for its service manager to restart it
 * with a reader again.
 */
export const STDOUT_GONE_EXIT = 3;

/** What the primary needs: how many workers, how long they may take to stop. */
export interface PrimaryOptions {
  workers: number;
  shutdownTimeout: number;
  /** Worker deaths within a minute that end the primary as a crash loop (default 10). */
  maxWorkerDeaths?: number;
  log: Log;
  /** Called once, when the first worker listens, with the port it got (the same for all). */
  onListening(port: number): void;
}

/**
 * Runs the node:cluster primary: forks `workers` copies of this script (each runs the server
 * on the shared port), replaces any that dies after a delay that doubles while they keep
 * dying (see restart-policy.ts), and on SIGTERM/SIGINT asks each to shut down gracefully,
 * exiting 0 when all did. A first worker that dies before any worker ever listened (a port in
 * use, a bad build), one whose stdout is gone, or too many deaths within a minute, stop
 * everything with exit 1. Once the
 * port is served, a replacement that dies while starting (killed for memory, say) is one more
 * death for the restart policy: it must not take down the workers still serving.
 */
export function runPrimary(options: PrimaryOptions): void {
  const { log } = options;
  const listened = new WeakSet<Worker>();
  let announced = false;
  let stopping = false;
  let failed = false;
  const policy = restartPolicy({ ...RESTART_DEFAULTS, maxDeaths: options.maxWorkerDeaths ?? RESTART_DEFAULTS.maxDeaths }, Date.now);
  const pending = new Set<NodeJS.Timeout>();

  const fork = () => {
    const worker = cluster.fork();
    log({ level: 'info', event: 'worker-started', pid: worker.process.pid });
  };

  cluster.on('listening', (worker, address) => {
    listened.add(worker);
    log({ level: 'info', event: 'worker-listening', pid: worker.process.pid });
    if (!announced) {
      announced = true;
      options.onListening(address.port);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    log({ level: stopping ? 'info' : 'error', event: 'worker-exited', pid: worker.process.pid, code, signal });
    // A worker killed before shutdown is replaced below; only one failing to stop cleanly
    // counts. One still starting (it never listened) may be ended by the SIGTERM itself,
    // before its handler exists: it had nothing to drain.
    if (stopping && code !== 0 && !(signal === 'SIGTERM' && !listened.has(worker))) failed = true;
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    if (code === STDOUT_GONE_EXIT) {
      log({ level: 'error', event: 'stdout-gone', pid: worker.process.pid, message: 'stdout can no longer be written: stopping' });
      failed = true;
      stop();
      return;
    }
    if (!announced && !listened.has(worker)) {
      log({ level: 'error', event: 'worker-never-listened', pid: worker.process.pid });
      failed = true;
      stop();
      return;
    }
    const decision = policy.onDeath();
    if (!decision.restart) {
      const message = `workers died ${decision.deaths} times within a minute: a crash loop, stopping`;
      log({ level: 'error', event: 'crash-loop', deaths: decision.deaths, message });
      failed = true;
      stop();
      return;
    }
    log({ level: 'info', event: 'worker-restart-scheduled', delayMs: decision.delayMs });
    const timer = setTimeout(() => {
      pending.delete(timer);
      fork();
    }, decision.delayMs);
    pending.add(timer);
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(failed ? 1 : 0);
    for (const w of workers) w.process.kill('SIGTERM');
    // Each worker bounds its own shutdown; this only catches one that hangs past that bound.
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownTimeout + 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  for (let i = 0; i < options.workers; i++) fork();
}
