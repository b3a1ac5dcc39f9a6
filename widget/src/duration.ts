/**
 * Countdown arithmetic and text, pure: what is left until an instant, split the way the
 * badge shows it, as localised text and as an ISO 8601 duration for `<time datetime>`.
 */

/** The `Intl` this module uses: `DurationFormat` is missing from older engines (and Node 20). */
export type IntlWithDuration = typeof Intl & {
  DurationFormat?: new (locale: string | undefined, options: object) => { format(duration: object): string };
};

/**
 * A formatter of the time left, `ms` (negative counts as 0), in `locale`: its text and, from the
 * same parts, its ISO 8601 duration for `<time datetime>`.
 *
 * The time left is split into days, hours, minutes and seconds, rounded **up** to the shown
 * unit (the second, or the minute when `seconds` is false, and then no seconds part): a
 * countdown reads `00:00:01` through its last second and `00:00:00` only once the instant is
 * reached.
 *
 * The text is `HH:MM:SS` (or `HH:MM`), days first when there are any: `Intl.DurationFormat`
 * where the engine has it, localised (`2 days, 03:04:05`, `2 Tg., 03:04:05`, `2 pv, 03.04.05`,
 * Arabic digits in `ar-EG`); otherwise a compact, unlocalised fallback: `2d 03:04:05`. An
 * unknown or malformed locale throws the engine's `RangeError`, as the clock's formatter does.
 *
 * The ISO form is the text's: `P2DT3H4M5S`; under a day `PT0H4M5S` (hours and minutes always,
 * as `HH:MM` always shows them); no seconds when hidden.
 */
export function durationFormat(locale: string | undefined, seconds: boolean): (ms: number) => [text: string, iso: string] {
  const DurationFormat = (Intl as IntlWithDuration).DurationFormat;
  // The digital style always shows the seconds, unless told `auto`: with seconds hidden there is
  // no seconds part (undefined counts as 0), which `auto` leaves out.
  const f = DurationFormat && new DurationFormat(locale, { style: 'digital', hours: '2-digit', secondsDisplay: seconds ? undefined : 'auto' });
  const unit = seconds ? 1 : 60;
  return (ms) => {
    const s = Math.ceil(Math.max(ms, 0) / 1000 / unit) * unit;
    // Parts are an array, not an object: property names would survive minification. `| 0`
    // drops the fraction: every part is far below 2^31 (a 4-digit year is at most 3 million days).
    const [days, ...hms] = [(s / 86400) | 0, ((s / 3600) % 24) | 0, ((s / 60) % 60) | 0, s % 60].slice(0, seconds ? 4 : 3);
    const [hours, minutes, secs] = hms;
    return [
      f ? f.format({ days, hours, minutes, seconds: secs }) : (days ? days + 'd ' : '') + hms.map((n) => (n < 10 ? '0' : '') + n).join(':'),
      'P' + (days ? days + 'D' : '') + 'T' + hms.map((n, i) => n + 'HMS'[i]).join(''),
    ];
  };
}

// ECMAScript's date-time string format with a zone: `Z` or `±HH:MM`, seconds and their
// decimals optional. Up to nine decimals, as servers write them (Python's and PostgreSQL's
// microseconds, Go's and Java's nanoseconds): every engine reads the first three and drops
// the rest. A zone is required: a bare date-time would be read in the device's zone.
// Seconds stop at 59: WebKit's Date takes a leap second (`:60`) as the next minute, the
// other engines refuse it.
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;

/**
 * The epoch ms of an ISO 8601 instant with `Z` or an explicit offset, or NaN for anything
 * else: other strings, non-strings, impossible dates (`2026-02-30`, which V8 would roll
 * over into March while Firefox rejects it).
 */
export function parseInstant(v: unknown): number {
  if (typeof v !== 'string' || !INSTANT.test(v)) return NaN;
  // The day of the month survives parsing only when it exists in that month. The `Date`
  // constructor, not `Date.parse`: MooTools More and Datejs replace that with parsers of their
  // own, and Datejs's answers null for every instant here (a countdown that had always ended).
  return new Date(v.slice(0, 10)).getUTCDate() === +v.slice(8, 10) ? +new Date(v) : NaN;
}
