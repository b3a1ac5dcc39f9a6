/** Small statistics over repeated measurements; pure, so `npm test` covers them. */

/** The median of `values`, or `null` when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The nearest-rank `p`-th percentile (0–100) of `values`, or `null` when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

/** `a / b`, or `null` when either is missing or `b` is not a positive number. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !(b > 0)) return null;
  return a / b;
}

/**
 * The signed distance in ms from `t` (epoch ms) to the nearest whole second: 3 just after a
 * boundary, -3 just before it. How late a tick landed, without wrap-around at 999.
 */
export function secondPhase(t: number): number {
  const r = ((t % 1000) + 1000) % 1000;
  return r >= 500 ? r - 1000 : r;
}

/** A request's span on one clock: when it started and when its answer had fully arrived. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The longest chain of requests each started only after the previous one's answer had
 * arrived: the number of sequential round trips `spans` cost, however long each one took.
 */
export function sequentialRoundTrips(spans: readonly Span[]): number {
  const s = [...spans].sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  s.forEach((x, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (s[j].end <= x.start) before = Math.max(before, depth[j]);
    depth[i] = before + 1;
  });
  return Math.max(0, ...depth);
}
