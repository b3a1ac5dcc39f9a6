/**
 * A cheap reader for the few query parameters the time routes use. It replaces
 * URLSearchParams on the hot path: that builds an object and decodes every pair, while
 * here only the wanted names are decoded and a typical query allocates nothing else.
 */

/** The time routes' parameters; any other parameter (jQuery's `_`, trackers' tags) is ignored. */
export interface TimeQuery {
  /** The first `callback` value, or `null` when none was sent (a `?` counts as none). */
  callback: string | null;
  /** True when `callback` appeared more than once (which we refuse). */
  repeatedCallback: boolean;
  tz: string | null;
  id: string | null;
}

// Decodes like URLSearchParams ('+' is a space). A malformed escape keeps the raw text,
// which then fails the validation of whichever parameter carried it.
function decode(raw: string): string {
  if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

const NAMES = ['callback', 'tz', 'id'] as const;

// Which wanted name spans query[start, end), compared in place so unwanted names cost no
// string. Encoded names are decoded first, so `c%61llback` counts as `callback` exactly as
// URLSearchParams would count it.
function nameAt(query: string, start: number, end: number): (typeof NAMES)[number] | null {
  for (let i = start; i < end; i++) {
    const c = query.charCodeAt(i);
    if (c === 0x25 /* % */ || c === 0x2b /* + */) {
      const decoded = decode(query.slice(start, end));
      return NAMES.find((n) => n === decoded) ?? null;
    }
  }
  for (const n of NAMES) if (end - start === n.length && query.startsWith(n, start)) return n;
  return null;
}

/** Reads `callback`, `tz` and `id` from a raw query string (without the `?`). */
export function readTimeQuery(query: string): TimeQuery {
  const out: TimeQuery = { callback: null, repeatedCallback: false, tz: null, id: null };
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    const eq = query.indexOf('=', start);
    const nameEnd = eq >= 0 && eq < end ? eq : end;
    const name = nameAt(query, start, nameEnd);
    if (name !== null) {
      const value = nameEnd < end ? decode(query.slice(nameEnd + 1, end)) : '';
      if (name === 'callback') {
        // `?` is jQuery's placeholder, left in place by a request that is not JSONP: jQuery 4
        // sends `$.getJSON(url + '?callback=?')` as a CORS request for plain JSON. No script
        // could be named `?`, so it counts as no callback and the answer is that JSON.
        if (value !== '?') {
          if (out.callback === null) out.callback = value;
          else out.repeatedCallback = true;
        }
      } else if (name === 'tz') {
        if (out.tz === null) out.tz = value;
      } else if (out.id === null) {
        out.id = value;
      }
    }
    start = end + 1;
  }
  return out;
}
