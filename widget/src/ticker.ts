// Wake a hair after the boundary so the formatted second has already changed.
const LATE_BY = 2;

/**
 * Creates the one timer shared by every badge. `ticker(true)` runs `tick` now and then just
 * after every second boundary of synchronised time (restarting if running), for as long as
 * `tick` returns a truthy value (the number of badges left); `ticker(false)` stops it. Each
 * wake-up is scheduled from the synchronised clock `now`, not chained by a fixed 1000 ms,
 * so timer lateness never accumulates into drift.
 */
export function createTicker(
  now: () => number,
  tick: () => unknown,
  setTimeout: (fn: () => void, ms: number) => unknown,
  clearTimeout: (id: any) => void,
): (on: boolean) => void {
  let timer: unknown;
  const run = () => {
    // No badge left, no timer: an idle page without badges never wakes up.
    // `now()` is epoch ms, never negative.
    if (tick()) timer = setTimeout(run, 1000 + LATE_BY - (now() % 1000));
  };
  return (on) => {
    clearTimeout(timer);
    if (on) run();
  };
}
