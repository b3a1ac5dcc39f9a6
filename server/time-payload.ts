import { safeJson } from './jsonp.js';

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
  const second = Math.floor(now / 1000);
  // Date#toString has whole-second resolution and is slow, so it is formatted once a second.
  if (second !== seedText.second) {
    seedText.second = second;
    seedText.text = new Date(now).toString();
  }
  return { strTime: seedText.text, epochMs: now };
}

const seedText = { second: NaN, text: '' };

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
  // A canonical name is its own answer: skip resolvedOptions(), which allocates on every call.
  if (formatters.has(tz)) return tz;
  if (tz.length > 64) return null;
  return offsetFormatter(tz)?.resolvedOptions().timeZone ?? null;
}

// Offsets change at most at whole-minute instants in any current zone, so one lookup per zone
// per minute is enough; formatToParts is by far the slowest step of a /v1/time answer.
const offsetCache = new Map<string, { minute: number; offset: number }>();

/** Minutes east of UTC for `tz` at the instant `now`. */
export function zoneOffset(tz: string, now: number): number {
  const minute = Math.floor(now / 60000);
  const cached = offsetCache.get(tz);
  if (cached && cached.minute === minute) return cached.offset;
  const formatter = offsetFormatter(tz);
  if (!formatter) throw new RangeError('unknown time zone');
  const name = formatter.formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  // Only canonical names reach the cache (see offsetFormatter), so it stays bounded by the zone list.
  if (formatters.has(tz)) offsetCache.set(tz, { minute, offset });
  return offset;
}

/** The `/v1/time` payload for `zone`, a canonical name from `canonicalZone`. */
export function timePayload(now: number, zone: string, id?: string): TimePayload {
  const payload: TimePayload = { t: now, tz: zone, offset: zoneOffset(zone, now) };
  if (id !== undefined) payload.id = id;
  return payload;
}

// ICU's canonical zone names are made of letters, digits, '_', '/', '+' and '-', and a request
// id of letters, digits, '_' and '-': none of them needs escaping in JSON or in a script.
const PLAIN = /^[\w/+-]*$/;

/**
 * `safeJson(timePayload(now, zone, id))`, written directly: the time feed's every answer
 * carries this object, and JSON.stringify with the escape check measured as a visible share
 * of an answer. Anything not plain goes the general way.
 */
export function timePayloadJson(now: number, zone: string, id?: string): string {
  const offset = zoneOffset(zone, now);
  // `now` is a finite number here: zoneOffset throws for any other.
  if (!PLAIN.test(zone) || (id !== undefined && !PLAIN.test(id))) {
    return safeJson(timePayload(now, zone, id));
  }
  const tail = id === undefined ? '}' : `,"id":"${id}"}`;
  return `{"t":${now},"tz":"${zone}","offset":${offset}${tail}`;
}
