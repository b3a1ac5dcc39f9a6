import type { BadgeOptions } from './options.js';

/** Builds the function turning an instant into the badge's text, for the badge's zone and format. */
export function createFormatter(o: BadgeOptions): (t: number) => string {
  const f = new Intl.DateTimeFormat(o.locale, {
    timeZone: o.tz,
    hour: 'numeric',
    minute: '2-digit',
    second: o.seconds ? '2-digit' : undefined,
    hour12: o.format ? o.format === '12h' : undefined,
  });
  return (t) => f.format(t);
}
