/**
 * A cheap reader for the few query parameters the time routes use. It replaces
 * URLSearchParams on the hot path: that builds an object and decodes every pair, while
 * here only the wanted names are decoded and a typical query allocates nothing else.
 */

/** The time routes' parameters; any other parameter (jQuery's `_`, trackers' tags) is ignored. */
export interface TimeQuery {
  /** The first `callback` value, or `null` when none was sent. */
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

/** Reads `callback`, `tz` and `id` from a raw query string (without the `?`). */
export function readTimeQuery(query: string): TimeQuery {
  const out: TimeQuery = { callback: null, repeatedCallback: false, tz: null, id: null };
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    const eq = query.indexOf('=', start);
    const nameEnd = eq >= 0 && eq < end ? eq : end;
    const name = decode(query.slice(start, nameEnd));
    const value = nameEnd < end ? query.slice(nameEnd + 1, end) : '';
    // Names are decoded too, so `c%61llback` counts as `callback` exactly as URLSearchParams would.
    if (name === 'callback') {
      if (out.callback === null) out.callback = decode(value);
      else out.repeatedCallback = true;
    } else if (name === 'tz') {
      if (out.tz === null) out.tz = decode(value);
    } else if (name === 'id') {
      if (out.id === null) out.id = decode(value);
    }
    start = end + 1;
  }
  return out;
}
