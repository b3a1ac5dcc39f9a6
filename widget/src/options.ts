/**
 * A badge's validated settings: what it shows and how. A tuple, not an object, as the
 * clock's is: the minifier renames the names it is destructured into, never property names.
 */
export type BadgeOptions = [
  /** Formats an instant (epoch ms) in the badge's zone, locale and hour cycle. */
  format: (t: number) => string,
  /**
   * The language the text is written in, for `<time lang>`: the locale `Intl` resolved, so the
   * visitor's own without `locale`, and the fallback for a locale it lacks.
   */
  lang: string,
  /**
   * The shown unit in ms: 1000, or 60000 without seconds. `<time datetime>` is the start of
   * the shown second or minute, so it agrees with the text (every zone in use today is a
   * whole number of minutes off UTC).
   */
  unit: number,
  /** `light`, `dark` or `auto` (the visitor's preference). */
  theme: string,
  label?: string,
];

/** Raw options as a host writes them: an element's `dataset`, or the object given to `crossclock('badge', …)`. */
export type RawOptions = Record<string, unknown>;

/** Longest label accepted, so a pasted paragraph cannot blow up the badge. */
export const MAX_LABEL = 80;

/** `raw[key]` if it is a string matching `re`; unset or empty is absent; anything else is warned and absent. */
export const pick = (raw: RawOptions, key: string, re: RegExp, warn: (problem: string) => void): string | undefined => {
  const v = raw[key];
  // Unset (undefined, null) and empty are one case: absent.
  if ((v ?? '') === '') return;
  if (typeof v === 'string' && re.test(v)) return v;
  warn('bad ' + key + ' ' + v);
};

/**
 * True when `seconds` is any spelling of "no" from an attribute, in any case (Django's and
 * Jinja's templates write Python's `False`), or `false` from the API.
 */
export const hidesSeconds = (raw: RawOptions) => /^(false|0|no)$/i.test(raw.seconds as string);

/**
 * Validates raw options once, at the edge. A bad `format`, `seconds`, `theme` or `label` (too
 * long) is reported through `warn` and replaced by its default, so a typo shows a working badge
 * plus a console warning. A zone or locale the runtime's `Intl` does not know throws a `RangeError` naming
 * it: a badge labelled Tokyo must not quietly show another zone's time.
 */
export function parseOptions(raw: RawOptions, warn: (problem: string) => void): BadgeOptions {
  const hours = pick(raw, 'format', /^(12|24)h$/, warn);
  const minutes = hidesSeconds(raw);
  // Any other word (`off`, `none`) is warned about, not taken as a silent "show them". `== true`
  // is also `1` and `'1'`, so the pattern needs no `1` (2 B).
  minutes || raw.seconds == true || pick(raw, 'seconds', /^(true|yes)$/i, warn);
  const f = new Intl.DateTimeFormat((raw.locale as string) || undefined, {
    timeZone: (raw.tz as string) || undefined,
    // `medium` is hours, minutes, seconds; `short` drops the seconds.
    timeStyle: minutes ? 'short' : 'medium',
    hour12: (hours && hours < '2') as boolean | undefined,
  });
  return [
    // `format` is a getter returning a bound function. Intl applies the zone's DST rules.
    f.format,
    f.resolvedOptions().locale,
    minutes ? 6e4 : 1e3,
    pick(raw, 'theme', /^(light|dark|auto)$/, warn) || 'auto',
    // {1,80} is MAX_LABEL spelled out: a RegExp built at run time would cost bytes.
    pick(raw, 'label', /^.{1,80}$/, warn),
  ];
}
