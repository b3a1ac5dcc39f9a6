/** The time sources a clock reads, handed in so tests can use fakes. */
export interface ClockSources {
  /** Wall clock, epoch ms (`Date.now`). */
  now: () => number;
  /** Monotonic clock, ms (`performance.now`). */
  performanceNow: () => number;
}

/** One request/response exchange with the server, timed on the monotonic clock. */
export interface Exchange {
  /** `performanceNow()` when the request was sent. */
  sent: number;
  /** `performanceNow()` when the answer arrived. */
  received: number;
  /** The server's epoch ms in the answer. */
  server: number;
}

/** The synchronised clock: Cristian's algorithm, keeping the exchange with the lowest round trip. */
export interface Clock {
  /** Feeds one exchange; returns true when it improved the estimate. */
  add(exchange: Exchange): boolean;
  /** Drops all samples, e.g. after the device slept. */
  reset(): void;
  /** Synchronised epoch ms, or the local wall clock when never synced. */
  now(): number;
  /** Whether at least one exchange was accepted. */
  synced(): boolean;
  /** Synchronised time minus local wall clock, ms. */
  offset(): number;
  /** The round trip of the kept exchange, ms. */
  rtt(): number;
  /** Half the kept round trip: the true time lies within ± this of `now()`. */
  uncertainty(): number;
}

/** Creates a clock over the given sources. */
export function createClock(src: ClockSources): Clock {
  // Synchronised epoch ms = base + performanceNow(): the monotonic clock cannot jump.
  let base = NaN;
  let best = Infinity;
  const clock: Clock = {
    add(x) {
      const rtt = x.received - x.sent;
      if (!(rtt >= 0) || rtt >= best) return false;
      best = rtt;
      // The server read its clock, on average, half-way through the round trip.
      base = x.server + rtt / 2 - x.received;
      return true;
    },
    reset() {
      base = NaN;
      best = Infinity;
    },
    now: () => (base === base ? base + src.performanceNow() : src.now()),
    synced: () => base === base,
    offset: () => clock.now() - src.now(),
    rtt: () => best,
    uncertainty: () => best / 2,
  };
  return clock;
}
