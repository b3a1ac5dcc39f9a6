// Wake a hair after the boundary so the formatted second has already changed.
const LATE_BY = 2;

/**
 * Creates the one timer shared by every badge. `ticker(true)` runs `tick` now and then just
 * after every second boundary of synchronised time (restarting if running), for as long as
 * `tick` returns a truthy value (0: no badge left); `ticker(false)` stops it. `ticker(true, keep)`
 * with `keep` truthy only sets the running timer again, for the instant it was due, from
 * where it is called, without running `tick` (unless no badge was ticking): a page
 * whose DOM changes every frame costs no render each time (and the timer leaves the zone of
 * whoever started it, see crossclock.ts). Each wake-up is scheduled from the synchronised
 * clock `now`, not chained by a fixed 1000 ms, so timer lateness never accumulates into
 * drift. The truthy value is an instant (epoch ms; Infinity for none) that must not wait for
 * the next boundary: a countdown ending at `…:05.437` is woken then, not 563 ms later.
 */
export function createTicker(
  now: () => number,
  tick: () => unknown,
  setTimeout: (fn: () => void, ms: number) => unknown,
  clearTimeout: (id: any) => void,
): (on: boolean, keep?: unknown) => void {
  let timer: unknown;
  // The instant (synchronised epoch ms) the timer is set for; 0 once no badge is left.
  let due: any;
  // Told to `keep` the timer, sets it again for the same instant without a tick: one that is
  // already due (a DOM change just after the boundary, before the timer ran) fires at once.
  const run = (keep?: unknown) => {
    if (!(keep && due)) {
      const at = tick() as number;
      const t = now();
      // No badge left, no timer: an idle page without badges never wakes up. `now()` is epoch
      // ms, never negative: the next boundary is `1000 - t % 1000` away.
      due = at && t + LATE_BY + Math.min(at - t, 1000 - (t % 1000));
    }
    if (due) timer = setTimeout(run, due - now());
  };
  return (on, keep) => {
    clearTimeout(timer);
    if (on) run(keep);
  };
}
