/**
 * Validation of JSONP callback names. We reject instead of stripping (as Express's
 * res.jsonp does): a stripped name is still attacker-chosen, and `?callback=();` makes
 * Express emit broken JavaScript.
 */

/** The longest callback name we accept; jQuery's generated names are about 40 characters. */
export const MAX_CALLBACK_LENGTH = 100;

// Dotted identifiers, each optionally indexed by decimal digits: YUI 2's ScriptNodeDataSource
// calls `YAHOO.util.ScriptNodeDataSource.callbacks[0]` and qooxdoo's qx.bom.request.Jsonp
// `qx.bom.request.Jsonp[1732550000000123].callback`. A digit index only reaches numbered
// items (an array's, a collection's, a window's child frames, whose roots stay forbidden
// below); prototypes and window objects need a name, a string or code in the brackets, and
// none is accepted.
const CALLBACK_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[(?:0|[1-9]\d*)\])*$/;

// ECMAScript reserved words, strict-mode and literal names: none can be called as a function name.
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with implements interface let package private protected ' +
    'public static yield await eval arguments undefined NaN Infinity').split(' '),
);

// A first segment naming a window or document object would let a page on our origin be driven
// by a callback like `opener.document.body.click` (same-origin method execution).
const FORBIDDEN_ROOTS = new Set(
  'window self top parent opener frames document location globalThis content frameElement'.split(' '),
);

// Prototype plumbing never names a real callback; calling it is only useful to an attacker.
// Only these names: other names wrapped in two underscores are real callbacks (Angular 2 to 7's
// `@angular/http` calls `__ng_jsonp__.__req0.finished`).
const FORBIDDEN_SEGMENTS = new Set(
  'constructor prototype __proto__ __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__'.split(' '),
);

// No segment longer than the longest listed word can be one of them: it is never cut out.
const LONGEST_LISTED = Math.max(...[...RESERVED, ...FORBIDDEN_ROOTS, ...FORBIDDEN_SEGMENTS].map((w) => w.length));

/** The segment of `value` in [start, end) when it is short enough to be a listed word, else ''. */
function shortSegment(value: string, start: number, end: number): string {
  return end - start <= LONGEST_LISTED ? value.slice(start, end) : '';
}

/**
 * Where the segment of a callback name `value` starting at `start` ends: its next `.` or `[`
 * (an index, `callbacks[0]`), or the end. jsonp.ts's guard walks a name's objects by it too.
 */
export function segmentEnd(value: string, start: number): number {
  for (let i = start; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e /* . */ || c === 0x5b /* [ */) return i;
  }
  return value.length;
}

// The last name accepted (see callbackProblem).
let lastAccepted = '';

/** Why a callback value is refused, or `null` when it is acceptable. */
export function callbackProblem(value: unknown): string | null {
  if (Array.isArray(value)) return 'callback must be given once';
  if (typeof value !== 'string' || value === '') return 'callback must be a non-empty string';
  // A client asks with the same name again and again (the widget always with `crossclock.t`),
  // so the last accepted one is remembered; one entry, so no client can grow it.
  if (value === lastAccepted) return null;
  if (value.length > MAX_CALLBACK_LENGTH) return `callback must be at most ${MAX_CALLBACK_LENGTH} characters`;
  if (!CALLBACK_NAME.test(value)) return 'callback must be a dotted JavaScript identifier';
  // Segments are read in place: every time request is checked here, and `split` measured as
  // half the cost of the whole check. An index (`0]`) is a segment too, never a listed word.
  for (let start = 0; start < value.length; ) {
    const end = segmentEnd(value, start);
    const segment = shortSegment(value, start, end);
    if (start === 0 && FORBIDDEN_ROOTS.has(segment)) return 'callback must not start with a window or document object';
    if (RESERVED.has(segment)) return 'callback must not contain a reserved word';
    if (FORBIDDEN_SEGMENTS.has(segment)) return 'callback must not reach into prototypes';
    start = end + 1;
  }
  lastAccepted = value;
  return null;
}
