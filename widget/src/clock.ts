/**
 * The synchronised clock: Cristian's algorithm on the monotonic clock, keeping the
 * exchange with the lowest round trip. A tuple of functions rather than an object: the
 * minifier renames variables but never properties, and the bundle has a byte budget (test/unit/size.test.ts).
 */
export type Clock = [
  /** Synchronised epoch ms, or the device's wall clock when never synced. */
  now: () => number,
  /**
   * Feeds one exchange timed on the monotonic clock (`sent`, `received`) with the server's
   * epoch ms; returns true when it improved the estimate. `fresh` first forgets the kept
   * exchange (a new burst: an old sample ages as the two clocks drift apart).
   */
  add: (sent: number, received: number, server: number, fresh?: boolean) => boolean,
  /** Offset, round trip and uncertainty of the estimate; undefined when never synced. */
  detail: () => SyncDetail | undefined,
  /**
   * True when the wall clock moved more than `JUMP_MS` against the monotonic clock since
   * the last call: the device slept (the monotonic clock stood still) or its clock was set.
   * Which one is unknown; the caller resyncs. Meanwhile a forward jump is taken as a sleep,
   * by far the common case, and moved past at once, so badges are right before the resync
   * answers; a clock set forward by hand is wrong until then (one round trip). A backward
   * jump is never a sleep and moves nothing.
   */
  jumped: () => boolean,
];

/** What the page learns after each accepted exchange, in ms (the `crossclock:sync` detail). */
export interface SyncDetail {
  /** Synchronised time minus the device's wall clock. */
  offset: number;
  /** The round trip of the exchange kept. */
  rtt: number;
  /** Half that round trip: the true time lies within ± this of `now()`. */
  uncertainty: number;
}

/** Largest disagreement between the wall and monotonic clocks taken for timer noise. */
export const JUMP_MS = 2000;

/**
 * Creates a clock over the wall clock (`Date.now`) and the monotonic clock (`performance.now`).
 * Positional parameters rather than `{ now, performanceNow }`: the option names would cost the
 * bundle 16 B gzipped.
 */
export function createClock(wall: () => number, performanceNow: () => number): Clock {
  // Synchronised epoch ms = base + performanceNow(): the monotonic clock cannot be set back.
  // NaN until the first exchange, and falsy like nothing else it can be: a base is epoch ms.
  let base = NaN;
  let best = Infinity;
  let skew = wall() - performanceNow();
  const now = () => (base ? base + performanceNow() : wall());
  return [
    now,
    (sent, received, server, fresh) => {
      const rtt = received - sent;
      if (fresh) best = Infinity;
      // `server` 0 marks an answer that was not a time.
      if (!(server && rtt >= 0 && rtt < best)) return false;
      best = rtt;
      // The server read its clock, on average, half-way through the round trip.
      base = server + rtt / 2 - received;
      return true;
    },
    () => (base ? { offset: now() - wall(), rtt: best, uncertainty: best / 2 } : undefined),
    () => {
      const jump = wall() - performanceNow() - skew;
      skew += jump;
      if (jump > JUMP_MS) base += jump;
      return jump * jump > JUMP_MS ** 2;
    },
  ];
}

/** The fields of a `/v1/time` payload the widget reads. */
type TimePayload = { t?: unknown; id?: unknown };

/**
 * The server's epoch ms from a `/v1/time` payload answering the request `id`, or 0 when the
 * payload is not one, or answers another request: a stale answer kept by a cache that ignores
 * `Cache-Control` (a host's service worker that caches every script), which would put the
 * clock back by however old it is.
 */
export const serverTime = (data: unknown, id: unknown): number => {
  const t = data && (data as TimePayload).id === id && (data as TimePayload).t;
  // Anything from 2001 to 2286: rejects error payloads, strings, NaN and seconds-for-milliseconds.
  return typeof t === 'number' && t > 1e12 && t < 1e13 ? t : 0;
};

/**
 * The device's wall clock in ms. Not `Date.now`: Datejs, still on many older pages, replaces
 * it with one that answers a Date object (which would put the date's text in request ids,
 * so every request failed); no library replaces the `Date` constructor itself.
 */
export const wallNow = () => +new Date();

/**
 * A new request id (`/v1/time?id=…`, echoed in the answer): the wall clock's ms then random
 * digits, so no two requests, in this page or any earlier one, share a URL a cache could
 * answer from. The clock part keeps ids apart where a page made `Math.random` repeat itself
 * (seedrandom's documented `Math.seedrandom('seed')` replaces it with a seeded generator);
 * an earlier id comes back only with the very same millisecond. Always digits: a number in
 * [1, 2) is never written with an exponent, as a small random one is (`1e-7`), whose `-` no
 * callback name may hold. Tests read it from the URL: nothing depends on its value but its
 * being new.
 */
export const requestId = () => wallNow() + String(Math.random() + 1).slice(2);
