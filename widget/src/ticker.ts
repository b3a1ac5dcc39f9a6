/** What the ticker needs from the page, handed in so tests can use fakes. */
export interface TickerDeps {
  /** Synchronised epoch ms. */
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (id: any) => void;
}

/** One timer shared by every badge on the page. */
export interface Ticker {
  /** Runs `tick` now and then just after every second boundary of synchronised time. */
  start(): void;
  stop(): void;
}

// Wake a hair after the boundary so the formatted second has already changed.
const LATE_BY = 2;

/**
 * Creates the shared ticker. Each wake-up is scheduled from the synchronised clock, not
 * chained by a fixed 1000 ms, so timer lateness never accumulates into drift.
 */
export function createTicker(deps: TickerDeps, tick: () => void): Ticker {
  let timer: unknown = null;
  const run = () => {
    tick();
    timer = deps.setTimeout(run, 1000 - (((deps.now() % 1000) + 1000) % 1000) + LATE_BY);
  };
  return {
    start() {
      if (timer === null) run();
    },
    stop() {
      deps.clearTimeout(timer);
      timer = null;
    },
  };
}
