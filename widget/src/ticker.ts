// Wake a hair after the boundary so the formatted second has already changed.
const LATE_BY = 2;

/**
 * Creates the one timer shared by every badge. `ticker(true)` runs `tick` now and then just
 * after every second boundary of synchronised time (restarting if running), for as long as
 * `tick` returns a truthy value (0: no badge left); `ticker(false)` stops it. Each wake-up is
 * scheduled from the synchronised clock `now`, not chained by a fixed 1000 ms, so timer
 * lateness never accumulates into drift. The truthy value is an instant (epoch ms; Infinity
 * for none) that must not wait for the next boundary: a countdown ending at `…:05.437` is
 * woken then, not 563 ms later.
 */
export function createTicker(
  now: () => number,
  tick: () => unknown,
  setTimeout: (fn: () => void, ms: number) => unknown,
  clearTimeout: (id: any) => void,
): (on: boolean) => void {
  let timer: unknown;
  const run = () => {
    const at = tick() as number;
    const t = now();
    // No badge left, no timer: an idle page without badges never wakes up. `now()` is epoch
    // ms, never negative: the next boundary is `1000 - t % 1000` away.
    if (at) timer = setTimeout(run, LATE_BY + Math.min(at - t, 1000 - (t % 1000)));
  };
  return (on) => {
    clearTimeout(timer);
    if (on) run();
  };
}
