import type { Clock, Exchange } from './clock.js';

/** What the sync loop needs, handed in so tests can drive it with fakes. */
export interface SyncDeps {
  clock: Clock;
  /** One timed exchange with the server; rejects when the server cannot be reached. */
  exchange: () => Promise<Exchange>;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (id: any) => void;
  /** `Math.random`, for the retry jitter. */
  random: () => number;
  /** Called after every exchange that was accepted. */
  onSync: () => void;
  /** Called when an attempt failed and the clock has no fresh estimate. */
  onOffline: () => void;
}

/** Samples taken at start: the first shows synced time, the rest refine it. */
export const BURST = 4;
/** How often a synced page checks its clock again. */
export const RESYNC_MS = 10 * 60_000;
/** First retry delay when the server cannot be reached, doubled on each failure up to the cap. */
export const RETRY_MS = 1000;
export const RETRY_CAP_MS = 60_000;

/** The loop that keeps the clock synchronised. */
export interface Sync {
  /** Starts a new burst now (at start, when the page is shown again, after a sleep). */
  run(): void;
  stop(): void;
}

/** Creates the sync loop. */
export function createSync(d: SyncDeps): Sync {
  let timer: unknown;
  let failures = 0;
  let generation = 0;
  const later = (ms: number) => {
    d.clearTimeout(timer);
    timer = d.setTimeout(sync.run, ms);
  };
  const burst = async (gen: number) => {
    for (let i = 0; i < BURST; i++) {
      let x: Exchange;
      try {
        x = await d.exchange();
      } catch {
        if (gen !== generation) return;
        // Full jitter keeps a fleet of pages from retrying in lock-step after an outage.
        const ceiling = Math.min(RETRY_CAP_MS, RETRY_MS * 2 ** failures++);
        if (i === 0) d.onOffline();
        later(ceiling / 2 + (d.random() * ceiling) / 2);
        return;
      }
      if (gen !== generation) return;
      failures = 0;
      // A new burst starts from scratch: an old low-latency sample ages as the clocks drift.
      if (i === 0) d.clock.reset();
      if (d.clock.add(x)) d.onSync();
    }
    later(RESYNC_MS);
  };
  const sync: Sync = {
    run() {
      d.clearTimeout(timer);
      void burst(++generation);
    },
    stop() {
      generation++;
      d.clearTimeout(timer);
    },
  };
  return sync;
}
