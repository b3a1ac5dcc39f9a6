import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readDoc } from '../support/docs.js';

// What a host page pays, enforced here so a byte over fails `npm test`.

/** The universal loader, minified, without its URL (issue 10). */
export const SNIPPET_BUDGET = 400;
/** Everything, countdown badges included, gzip -9 (issue 13). */
export const BUNDLE_GZIP_BUDGET = 2600;
/** The same bundle built without countdown badges, gzip -9 (issue 10's budget for the rest). */
export const NO_COUNTDOWN_GZIP_BUDGET = 2300;

/**
 * What the test enforces while a budget is not met: the size reached, rounded up to the next
 * 10 B, so the bundle cannot grow while it is slimmed towards its budget. Equal to the budget
 * once it is met. Raised only for a fix a host page needs, said here, and lowered by bytes
 * found by design. The same list, as a table, is in docs/performance.md ("Size"); keep the two
 * in step. In order, gzip -9 bytes, full (without countdowns, where recorded):
 * - +11 B: honouring the `hidden` attribute.
 * - +20 B: tabular digits, so the badge keeps its width where the system font's digits are
 *   proportional.
 * - +66 B: reading `document` through Document.prototype, so markup naming an element `hidden`,
 *   `querySelectorAll` or `currentScript` can neither stop the badges nor throw nor hide the
 *   bundle's own tag.
 * - +6 B: skipping an inserted `<form>` whose controls shadow its methods instead of throwing.
 * - +38 B (43 B): an id of its own on every time request, checked against the answer, so a
 *   site's service worker that caches scripts cannot hand the badge an old time.
 * - +7 B: reading `document` through HTMLDocument.prototype and the clock through the `Date`
 *   constructor, so MooTools (which replaces `Document`) and Datejs (`Date.now`, `Date.parse`)
 *   no longer stop every badge.
 * - +25 B: no resync burst when a page is shown again within a minute of the last, so
 *   switching tabs costs the server no requests.
 * - +86 B (94 B), together: trusting a relative `src` under a `<base>` only when Resource
 *   Timing shows it was fetched as a script, so markup cannot point the time requests at an
 *   attacker (47 B); never throwing into the page when a host element's own members, an
 *   option's `toString` or the page's `console.warn` throw (23 B); the label isolated so its
 *   bidi controls cannot make the time read backwards (4 B); events that bubble out of shadow
 *   roots, so one listener on the document hears every badge (12 B).
 * - −54 B (−48 B): found by design (one-line wrappers written out, `const` arrows, the sync
 *   state kept as a string).
 * - +15 B (8 B): right-to-left pages and locales (the time takes its own direction, so `AM`
 *   stays after the digits, and the space after a label stays between it and the time), and a
 *   leap second in `data-until`, which WebKit took as the next minute.
 * - +6 B (5 B): text sized in `em` of the visitor's default font size, not in px, so a visitor
 *   who enlarged it in the browser's settings gets a larger badge, as the page's text.
 * - +28 B (29 B): the time's `lang`, the locale `Intl` resolved, so a screen reader reads an
 *   Arabic, Persian or Hindi time in that language, not the page's (WCAG 3.1.2).
 * - −45 B (−49 B): found by design (options as a tuple, one adoption path at start, no state
 *   the request ids make redundant, simpler control flow).
 * - +34 B (35 B): a badge made through the API comes back by itself when it is put back where
 *   no query finds it (a web component's shadow tree, a re-inserted tab panel), instead of
 *   showing the second it left, as if synced, for good.
 * - −2 B: `remove` no longer wakes the ticker, which, called from Angular's zone, left it
 *   running there and made zone.js run the app's change detection every second.
 * - +23 B (28 B): a page whose DOM changes all the time (an animation, a live feed) no longer
 *   renders every badge at each change, nor at all while hidden: a change sets the ticker's
 *   timer again, for the instant it was set for, and renders only when no badge was ticking.
 * - +16 B (19 B): a batch of inserted badges ticks once, not once per badge (each tick renders
 *   every badge: 1,000 badges inserted at once held the page's main thread for 4 s, now 0.5 s).
 * - −33 B (0 B): found by design in the countdown path (one formatter giving a countdown's
 *   text and ISO duration from the same parts, no seconds part when seconds are hidden,
 *   `Intl.DurationFormat` read from the global rather than passed in for tests, its digital
 *   style's default left unsaid).
 * - +5 B (0 B): a badge morphed in place (htmx's idiomorph, Turbo 8's page refresh), which
 *   loses the `data-state` the new HTML lacks, gets it back at the next tick, an ended
 *   countdown's too: the state is checked against the host's attribute, not the last written.
 * - +32 B (37 B): an element that loses `data-crossclock` (React or a morph reusing it for
 *   other content) is released and shows that content, styled by the page, instead of a badge
 *   made from the attributes left (a countdown became a clock); a released badge's shadow
 *   root keeps a `<slot>` for it.
 * - −2 B (+1 B): a badge rendered again while offline (an option changed) keeps its
 *   `⚠ unsynced` mark: the first show of a render writes the state and the mark, though the
 *   host's `data-state` already says `offline`. No raise.
 * - −1 B (−1 B): releasing an element that loses `data-crossclock` whether or not it had a
 *   render, so its new content shows when its options never made a badge. No raise.
 * - −18 B (−23 B): found by design (an adopted element's options and its release decided by
 *   one test, the tick telling whether any badge is left from its own renders, the observer's
 *   records walked with `forEach`, one registry callback that mounts options or releases, `{}`
 *   for a missing loader stub, the registry's functions in calling order).
 * - +3 B (2 B; the full bundle stayed under its limit): an element whose options are refused
 *   (a mistyped zone or instant) shows its own content, a fallback text, not an empty box: a
 *   new shadow root starts released, with its `<slot>`.
 * - +10 B (10 B): a released element loses its `data-state`: React keeps the attributes it
 *   did not set on an element it reuses for other content, which the page's `[data-state=…]`
 *   rules for badges went on styling.
 * - +16 B (0 B): `crossclock:end` fires once per badge and instant: an ended countdown
 *   rendered again after a morph changed one of its options, or turned off and on, announced
 *   its end a second time.
 * - +26 B (28 B): `data-seconds` takes `False` and `NO` as it takes `false` and `no`
 *   (Django's and Jinja's templates write Python's `False`), and any other word (`off`,
 *   `none`) prints a warning instead of silently keeping the seconds, as a bad `format` or
 *   `theme` does.
 * - +7 B (7 B): a page that rewrites itself after load (`document.open()` and
 *   `document.write`), which erases every listener of the document, still stops its badges
 *   while hidden and restarts them when shown: the visibility listener is added again after
 *   each batch of changes the observer sees.
 * - +15 B (16 B): an inline `display: none` set by script hides a badge: React hides a
 *   suspended or hidden `<Activity>` subtree so, and the badge showed beside the Suspense
 *   fallback (Vue's `v-show` and jQuery's `.hide()` too).
 * - −8 B (−2 B): found by design, fifth pass (a countdown's render returning nothing before
 *   the first sync, as a clock's, the ended-instants map declared next to the tick, the
 *   visibility handler beside the sync handler).
 * - −14 B (−4 B): a badge without a label has no accessible name, instead of the English word
 *   "clock" or "countdown" on every page: a screen reader announces the role in the visitor's
 *   own language.
 * - +3 B (3 B): a `style="display:none"` written in the markup, without the space script's
 *   CSSOM writes, hides a badge too (a page that shows its badge once its script decides to).
 * - +9 B (9 B): a badge takes its parent's visibility, so an element the page hides with
 *   `visibility: hidden` (Bootstrap's and Tailwind's `invisible`) hides its badge too.
 * - −19 B (−13 B): found by design, sixth pass (the server bakes the bundle's `…/v1/` base, not
 *   its bare URL; the bundle minified ASCII-only and built without a trailing newline).
 * - +6 B (0 B): a countdown formats once as it is made, so a formatter that throws (a polyfill
 *   forced without its data) leaves the element's own content, not an empty badge.
 * - +8 B (7 B): a host that is itself a `popover` is left to the browser's popover rules: a
 *   closed one showed in the page, an open one sat at the page's corner.
 * - +56 B (53 B): one style sheet per document, made by that document's window: a badge moved
 *   into a same-origin frame or a Document Picture-in-Picture window lost its styles, and one
 *   made there through the API was refused; a badge whose document lost its window (a removed
 *   frame, a closed Picture-in-Picture window) no longer renders every second.
 * - +13 B (11 B): that document's window read through `HTMLDocument.prototype`, as every
 *   property of `document` is: an `<img name="defaultView">` in a comment made every badge of
 *   the page fail (with the sheet looked up once, its window read only to make it).
 */
export const BUNDLE_GZIP_LIMIT = 3410;
export const NO_COUNTDOWN_GZIP_LIMIT = 2910;

const built = (name: string) => readFileSync(new URL(`../../../dist/widget/${name}`, import.meta.url));
const variant = (name: string) => readFileSync(new URL(`../../../dist/variants/${name}`, import.meta.url));
const gzip = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;
/** A test title stating the enforced limit and, when it is above the budget, by how much. */
const title = (what: string, limit: number, budget: number) =>
  `${what} is at most ${limit} B gzipped` + (limit > budget ? ` (budget ${budget} B NOT met: ${limit - budget} B over)` : '');

describe('size budgets', () => {
  it(`the loader snippet is at most ${SNIPPET_BUDGET} B minified, not counting the server URL`, () => {
    const body = built('snippet.js').toString().trim();
    assert.ok(body.includes('CROSSCLOCK_URL'), 'the snippet carries the URL placeholder');
    const size = Buffer.byteLength(body.replace('CROSSCLOCK_URL', ''));
    assert.ok(size <= SNIPPET_BUDGET, `snippet is ${size} B`);
  });

  it(title('the whole bundle, as served,', BUNDLE_GZIP_LIMIT, BUNDLE_GZIP_BUDGET), () => {
    const size = gzip(built('crossclock.js'));
    assert.ok(size <= BUNDLE_GZIP_LIMIT, `bundle is ${size} B gzip`);
  });

  it(title('the bundle without countdown badges', NO_COUNTDOWN_GZIP_LIMIT, NO_COUNTDOWN_GZIP_BUDGET), () => {
    const size = gzip(variant('crossclock-no-countdown.js'));
    assert.ok(size <= NO_COUNTDOWN_GZIP_LIMIT, `bundle without countdowns is ${size} B gzip`);
  });

  it('measures a variant that really has no countdown code, against a bundle that has it', () => {
    // The bench prints the difference as what countdowns cost: both sides must be what they claim.
    // `"end"` is the name of the countdown's event (`crossclock:` + `end`), `ended` its state.
    for (const code of [/"end"/, /"ended"/, /DurationFormat/, /until/]) assert.match(built('crossclock.js').toString(), code);
    assert.doesNotMatch(variant('crossclock-no-countdown.js').toString(), /"end"|ended|DurationFormat|until/);
  });

  it('the bundle reads its server URL from the one placeholder the server bakes in', () => {
    assert.equal(built('crossclock.js').toString().split('CROSSCLOCK_URL').length, 2);
  });

  it('ships no debug-only code', () => {
    assert.doesNotMatch(built('crossclock.js').toString(), /DEBUG|console\.debug/);
  });
});

describe('the budgets and limits the docs state', () => {
  const text = (path: string) => readDoc(path).replace(/\s+/g, ' ');
  const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;

  it('README gives the snippet budget above', () => {
    assert.ok(text('README.md').includes(`at most ${bytes(SNIPPET_BUDGET)}) defines`));
  });

  it('docs/performance.md gives both bundle limits above against their budgets', () => {
    const stated = `The limits are now ${bytes(BUNDLE_GZIP_LIMIT)} against the ${bytes(BUNDLE_GZIP_BUDGET)} budget, and ${bytes(NO_COUNTDOWN_GZIP_LIMIT)} against ${bytes(NO_COUNTDOWN_GZIP_BUDGET)} without countdowns`;
    assert.ok(text('docs/performance.md').includes(stated), `docs/performance.md says: ${stated}`);
  });
});
