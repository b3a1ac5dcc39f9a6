/** A badge's settings, validated. */
export interface BadgeOptions {
  /** IANA zone; `undefined` means the visitor's own. */
  tz?: string;
  /** `12h`, `24h`, or `undefined` for the locale's habit. */
  format?: '12h' | '24h';
  seconds: boolean;
  locale?: string;
  theme: 'light' | 'dark' | 'auto';
  label?: string;
}

/** Raw options as a host writes them, from `data-` attributes or the `crossclock('badge', …)` call. */
export type RawOptions = Record<string, unknown>;

const pick = <T extends string>(v: unknown, allowed: readonly T[], what: string, problems: string[]) => {
  if (v === undefined || v === null || v === '') return undefined;
  if (allowed.includes(v as T)) return v as T;
  problems.push(`${what} must be one of ${allowed.join(', ')}`);
  return undefined;
};

/**
 * Validates raw options. Bad values are reported in `problems` and replaced by defaults,
 * so a typo shows a working badge plus one console warning rather than nothing.
 * `supported(locale, tz)` tells whether the runtime knows a locale and zone.
 */
export function parseOptions(
  raw: RawOptions,
  supported: (locale?: string, tz?: string) => boolean,
): { options: BadgeOptions; problems: string[] } {
  const problems: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  let tz = str(raw.tz);
  if (tz && !supported(undefined, tz)) {
    problems.push(`unknown time zone "${tz}"`);
    tz = undefined;
  }
  let locale = str(raw.locale);
  if (locale && !supported(locale)) {
    problems.push(`unknown locale "${locale}"`);
    locale = undefined;
  }
  const seconds = raw.seconds;
  return {
    options: {
      tz,
      locale,
      format: pick(raw.format, ['12h', '24h'] as const, 'format', problems),
      seconds: !(seconds === false || seconds === 'false' || seconds === 'no' || seconds === '0'),
      theme: pick(raw.theme, ['light', 'dark', 'auto'] as const, 'theme', problems) ?? 'auto',
      label: str(raw.label)?.slice(0, 80),
    },
    problems,
  };
}

/** Reads a badge's raw options from an element's `data-` attributes. */
export function readDataset(el: HTMLElement): RawOptions {
  const d = el.dataset;
  return { tz: d.tz, format: d.format, seconds: d.seconds, locale: d.locale, theme: d.theme, label: d.label };
}
