/** One exchange: `[sent, received]` on the monotonic clock, then the server's epoch ms (0: no valid answer). */
export type Sample = [sent: number, received: number, server: number];

/** Samples taken per burst: the first shows synced time, the rest refine it. */
export const BURST = 4;
/** How often a synced page measures its clock again. */
export const RESYNC_MS = 600_000;
/**
 * A page shown again sooner than this after its last burst began keeps its clock: switching
 * tabs back and forth costs the server nothing, where a burst on every return cost it
 * `BURST` requests each time. The monotonic clock ran on while the page was hidden, and a
 * sleep that stopped it is seen by the clock's jump check, which resyncs anyway.
 */
export const SHOWN_RESYNC_MS = 60_000;
/** First retry delay when the server cannot be reached, doubled on each failure up to the cap. */
export const RETRY_MS = 1000;
export const RETRY_CAP_MS = 60_000;

/**
 * Creates the loop that keeps the clock synchronised; calling the result starts a burst
 * now (at start, after a sleep), or, given `minAge` (when the page is shown again, with
 * `SHOWN_RESYNC_MS`), only if the last burst began at least that long ago. Positional
 * parameters, not an options object: their names minify, property names would not.
 * @param exchange one timed exchange with the server; a server time of 0 (see exchange.ts),
 *   or a rejection, is a failure
 * @param add the clock's `add` (see clock.ts); true when the sample improved the clock
 * @param onSync called after every sample that improved the clock
 * @param onOffline called when a burst's first exchange failed
 * @param random `Math.random`, for the retry jitter
 * @param now the monotonic clock, in ms
 */
export function createSync(
  exchange: () => Promise<Sample>,
  add: (sent: number, received: number, server: number, fresh: boolean) => boolean,
  onSync: () => void,
  onOffline: () => void,
  random: () => number,
  now: () => number,
  setTimeout: (fn: () => void, ms: number) => unknown,
  clearTimeout: (id: any) => void,
): (minAge?: number) => void {
  let timer: unknown;
  let began = -Infinity;
  let failures = 0;
  let generation = 0;
  // Each burst ends by arming the one timer: a retry after a failure, else the resync.
  const burst = async (gen: number) => {
    for (let i = 0; i < BURST; i++) {
      const x: Sample | undefined = await exchange().catch(() => undefined);
      // A newer burst took over (page shown again, device woke up): its samples win.
      if (gen !== generation) return;
      if (!x?.[2]) {
        if (!i) onOffline();
        // Full jitter over the upper half of a ceiling that doubles with each failure keeps a
        // fleet of pages from retrying in lock-step.
        return (timer = setTimeout(run, (Math.min(RETRY_CAP_MS, RETRY_MS * 2 ** failures++) * (1 + random())) / 2));
      }
      failures = 0;
      if (add(...x, !i)) onSync();
    }
    timer = setTimeout(run, RESYNC_MS);
  };
  // Also the timer's callback, which gets no argument. Without `minAge` the clock is not
  // even read: a burst after a sleep is never held back, whatever the clock did meanwhile.
  const run = (minAge?: number) => {
    if (minAge && now() - began < minAge) return;
    began = now();
    clearTimeout(timer);
    void burst(++generation);
  };
  return run;
}
