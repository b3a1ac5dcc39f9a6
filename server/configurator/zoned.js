// Wall-clock dates and times in a time zone, turned into the instants they name: the
// configurator's countdown field. A plain ES module served as is, like the page script, and
// imported by the unit tests (test/unit/zoned.test.ts), which run it against Node's Intl.

const DAY = 86_400_000;

/** How far zone `tz` (undefined: this runtime's) is ahead of UTC at instant `t`, in ms. */
export function offsetAt(t, tz) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(t);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  // setUTCFullYear, not Date.UTC: that reads years 0 to 99 as 1900 to 1999.
  const wall = new Date(0);
  wall.setUTCFullYear(p.era === 'BC' ? 1 - p.year : +p.year, p.month - 1, +p.day);
  wall.setUTCHours(+p.hour, +p.minute, +p.second);
  return wall.getTime() - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The ISO 8601 instant at which the clocks of zone `tz` read `local` (`YYYY-MM-DDTHH:MM[:SS]`),
 * written with that zone's offset then (`2027-01-01T00:00:00+01:00`, `Z` for UTC), or null.
 * Around a DST change, as calendars do (Temporal's "compatible"): a time the change skips
 * names the instant just after the gap, as the clocks then read it (02:30 on a spring-forward
 * night in New York is 03:30-04:00), and a time that happens twice names the first. An
 * offset that is not a whole number of minutes (local mean time before 1972) is written as UTC.
 */
export function zonedInstant(local, tz) {
  const wall = Date.parse(local.length === 16 ? local + ':00Z' : local + 'Z');
  // A day the month does not have (`02-30`) is NaN in some engines, rolled over in others.
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(8, 10) !== local.slice(8, 10)) return null;
  // The offsets in force a day before and a day after: every candidate the wall time can have.
  const before = offsetAt(wall - DAY, tz);
  const after = offsetAt(wall + DAY, tz);
  const read = [before, after].map((o) => wall - o).filter((t) => offsetAt(t, tz) === wall - t);
  // Read twice: the earlier instant. Never read (a gap): counted on the offset before it.
  const t = read.length ? Math.min(...read) : wall - before;
  const offset = offsetAt(t, tz);
  if (offset % 60_000) return new Date(t).toISOString().slice(0, 19) + 'Z';
  const abs = Math.abs(offset) / 60_000;
  const zone = offset ? (offset < 0 ? '-' : '+') + String(Math.floor(abs / 60)).padStart(2, '0') + ':' + String(abs % 60).padStart(2, '0') : 'Z';
  return new Date(t + offset).toISOString().slice(0, 19) + zone;
}
