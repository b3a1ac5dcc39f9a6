/** One exchange: `[sent, received]` on the monotonic clock, then the server's epoch ms (0: no valid answer). */
export type Sample = [sent: number, received: number, server: number];

/** Samples taken per burst: the first shows synced time, the rest refine it. */
export const BURST = 4;
/** How often a synced page measures its clock again. */
export const RESYNC_MS = 600_000;
/** First retry delay when the server cannot be reached, doubled on each failure up to the cap. */
export const RETRY_MS = 1000;
export const RETRY_CAP_MS = 60_000;

/**
 * Creates the loop that keeps the clock synchronised; calling the result starts a burst
 * now (at start, when the page is shown again, after a sleep). Positional parameters, not
 * an options object: their names minify, property names would not.
 * @param exchange one timed exchange with the server; rejects when it cannot be reached
 * @param add the clock's `add` (see clock.ts); true when the sample improved the clock
 * @param onSync called after every sample that improved the clock
 * @param onOffline called when a burst's first exchange failed
 * @param random `Math.random`, for the retry jitter
 */
export function createSync(
  exchange: () => Promise<Sample>,
  add: (sent: number, received: number, server: number, fresh: boolean) => boolean,
  onSync: () => void,
  onOffline: () => void,
  random: () => number,
  setTimeout: (fn: () => void, ms: number) => unknown,
  clearTimeout: (id: any) => void,
): () => void {
  let timer: unknown;
  let failures = 0;
  let generation = 0;
  const burst = async (gen: number) => {
    let next = RESYNC_MS;
    for (let i = 0; i < BURST; i++) {
      const x: Sample | undefined = await exchange().catch(() => undefined);
      // A newer burst took over (page shown again, device woke up): its samples win.
      if (gen !== generation) return;
      if (!x?.[2]) {
        // Full jitter over the upper half keeps a fleet of pages from retrying in lock-step.
        const ceiling = Math.min(RETRY_CAP_MS, RETRY_MS * 2 ** failures++);
        next = (ceiling * (1 + random())) / 2;
        if (!i) onOffline();
        break;
      }
      failures = 0;
      if (add(...x, !i)) onSync();
    }
    timer = setTimeout(run, next);
  };
  const run = () => {
    clearTimeout(timer);
    void burst(++generation);
  };
  return run;
}
