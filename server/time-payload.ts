/** What `/getTime` answers: the seed article's shape plus the epoch for clients that can use it. */
export interface SeedPayload {
  strTime: string;
  epochMs: number;
}

/** What `/v1/time` answers. */
export interface TimePayload {
  /** Server epoch milliseconds. */
  t: number;
  /** Canonical IANA zone name. */
  tz: string;
  /** The zone's UTC offset at `t`, in minutes east of UTC. */
  offset: number;
  /** Echo of the client's request id, when sent. */
  id?: string;
}

/** The seed article's `{strTime}` answer: `new Date().toString()` of the server clock. */
export function seedPayload(now: number): SeedPayload {
  return { strTime: new Date(now).toString(), epochMs: now };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(tz: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(tz);
  if (cached) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
  } catch {
    return null;
  }
  // Only canonical spellings are cached, so the cache cannot grow with case variants.
  if (formatter.resolvedOptions().timeZone === tz) formatters.set(tz, formatter);
  return formatter;
}

/** The canonical name of an IANA zone, or `null` when the runtime does not know it. */
export function canonicalZone(tz: string): string | null {
  if (tz.length > 64) return null;
  return offsetFormatter(tz)?.resolvedOptions().timeZone ?? null;
}

/** Minutes east of UTC for `tz` at the instant `now`. */
export function zoneOffset(tz: string, now: number): number {
  const formatter = offsetFormatter(tz);
  if (!formatter) throw new RangeError('unknown time zone');
  const name = formatter.formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The `/v1/time` payload for a zone already known to be valid. */
export function timePayload(now: number, tz: string, id?: string): TimePayload {
  const zone = canonicalZone(tz) ?? 'UTC';
  const payload: TimePayload = { t: now, tz: zone, offset: zoneOffset(zone, now) };
  if (id !== undefined) payload.id = id;
  return payload;
}
