import type { SyncDetail } from './clock.js';
import type { BadgeOptions } from './options.js';

/**
 * Shows the synchronised instant `t` (epoch ms) in a sync state: `syncing`, `synced` or
 * `offline`; `synced` is the clock's detail, set once it was ever synchronised. Once synced, a
 * countdown returns the instant it ends at, up to the tick it ends, so the ticker can wake for
 * it and the entry fire `crossclock:end` (see countdown.ts); a clock returns nothing.
 */
export type Render = (t: number, state: string, synced?: SyncDetail) => unknown;

/**
 * Puts a state on the host and a text (with its `<time datetime>` value) in the badge,
 * touching the DOM only on change; without a text, only the state (an ended countdown's).
 */
export type Show = (state: string, text?: string, datetime?: string) => void;

// `!important` inside a shadow tree beats the host page's own `!important` rules for the
// host element, so `* { all: unset }` or `div { display: none !important }` cannot hide it;
// page rules never reach inside. The host's `all: initial` gives it the font size `medium`,
// the visitor's own default, which no page rule reaches: the text is sized in `em` of that
// (15px at the usual 16px), so a visitor who doubled their default font size gets a badge
// twice as large, as the page's own text is, while a page's `html { font-size }` changes
// nothing. The host hides its badge with the `hidden` attribute (React's and Angular's
// `hidden`, plain HTML), or with an inline `display: none`, as script writes it into the style
// attribute (with the space) or the page's markup does (often without): React hides a
// suspended `<Suspense>` subtree and a hidden `<Activity>` so (the badge showed beside the
// fallback), as do Vue's `v-show` and jQuery's `.hide()`, and a page hides a badge until its
// own script shows it. Such a host is left to the page's own styles, which hide it like any
// hidden element. So is a host that is itself a `popover`: the browser's own rules hide it
// while closed (`display: none`, which the host's `display` beat: the badge showed in the
// page) and, open, centre it in the top layer (`all: initial` put it at the page's corner).
// Its visibility is its parent's, not `all: initial`'s `visible`: an element the page hides
// with `visibility: hidden` (Bootstrap's and Tailwind's `invisible`, a closed Bootstrap
// offcanvas) showed the badge alone where its text was hidden; a rule aimed at the host itself
// still cannot hide it. Digits are tabular: the system font of Apple's platforms has
// proportional ones, and a badge whose width changed every second would shift the text after
// it. System colours follow `color-scheme` with the browser's own contrast: the class `l`
// (light), `d` (dark) or `a` (auto: the visitor's preference).
const CSS =
  ':host(:not([hidden],[popover],[style*="display: none"],[style*="display:none"])){all:initial!important;display:inline-block!important;visibility:inherit!important}' +
  'div{padding:3px 8px;border-radius:6px;border:1px solid;font:600 .9375em system-ui;font-variant-numeric:tabular-nums;white-space:nowrap;background:Canvas;color:CanvasText;color-scheme:light dark}' +
  '.l{color-scheme:light}.d{color-scheme:dark}';

// One sheet per document, shared by all its badges. A constructed sheet can be adopted only
// in the document of the window whose `CSSStyleSheet` made it (NotAllowedError in all three
// engines): a badge whose host is in another document, a same-origin frame's or a Document
// Picture-in-Picture window's (where a site moves an auction's countdown, or a React portal
// renders), needs one made by that document's window. A document with none
// (`createHTMLDocument`, a `<template>`'s content) cannot make one: the TypeError is that
// badge's one warning.
const sheets = new WeakMap<Document, CSSStyleSheet>();

/**
 * Renders a badge into its host's shadow root `root`, replacing what an earlier render left
 * there (options changed, or the element came back), and returns its render function.
 * Styles come only from a constructed stylesheet: `<style>` elements and `style`
 * attributes are blocked by a strict CSP. Text reaches the DOM only via `textContent` and
 * attributes, never as HTML. `create` is `document.createElement`; `countdown` is a
 * countdown badge's render (see countdown.ts), or `false` for a clock.
 */
export function mountBadge(root: ShadowRoot, [format, lang, unit, theme, label]: BadgeOptions, create: (tag: keyof HTMLElementTagNameMap) => HTMLElement, countdown: false | ((show: Show) => Render)): Render {
  const host = root.host as HTMLElement;
  let doc: Document;
  // Gives the shadow root its host's document's sheet, after a move too: first thing, so a
  // document that cannot make one leaves the old render in place (a released badge's <slot>).
  // Its window is read through HTMLDocument.prototype, as the entry reads every property of
  // `document`: markup shadows `document.defaultView` too (`<img name="defaultView">` in a
  // comment made every badge of the page fail), a frame's its own document's. The getter
  // takes a document of any window.
  const style = () => {
    if (doc != (doc = host.ownerDocument)) {
      let sheet = sheets.get(doc);
      if (!sheet) {
        sheets.set(doc, (sheet = new (Reflect.get(HTMLDocument.prototype, 'defaultView', doc)!.CSSStyleSheet)()));
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
    }
  };
  style();
  root.replaceChildren();
  // A block (a <div>: no default margin to reset) inside the inline-block host, so the
  // host's box, and with it the line it sits in, includes the padding and border: an inline
  // box's padding would paint over the lines above and below in running text.
  const box = root.appendChild(create('div'));
  box.className = theme[0];
  // role=timer is never announced on change: screen readers read it on demand, not each second.
  box.role = 'timer';
  // Text nodes are never parsed as HTML. The label is isolated (<bdi>): its bidi controls
  // (an unclosed U+202E) cannot reorder the time after it, and a right-to-left label keeps
  // the time on its own side. The space after it is outside both isolates, so it stays between
  // them in either direction.
  //
  // The label is also the badge's name. Without one it has none: a screen reader announces the
  // role in the visitor's own language, then the time, where a name of ours would be an English
  // word on every page ("clock" read by a French voice).
  if (label) {
    box.ariaLabel = label;
    box.appendChild(create('bdi')).textContent = label;
    box.append(' ');
  }
  const time = box.appendChild(create('time')) as HTMLTimeElement;
  // The time takes its direction from its own text: `8:31:22 AM` keeps AM after the digits in
  // a right-to-left page (`all: initial` leaves `direction` to the page), a Persian time reads
  // right to left in a left-to-right one.
  time.dir = 'auto';
  // Its language is the text's, not the page's: a screen reader reads Arabic digits with an
  // English voice as nothing, and browsers pick the glyphs of Han characters by language
  // (WCAG 3.1.2). The label is the host's text, in the page's language. A countdown's text
  // is in the same locale; its `ended` text, the host's, is taken to be too (marking it apart
  // would cost bytes for a page that shows another language than its own and ends in its own).
  time.lang = lang;
  const mark = box.appendChild(create('i'));
  let last: string;
  const show: Show = (state, text, datetime) => {
    // A badge moved into another document (`pipWindow.document.body.append(el)`) keeps its
    // shadow root but loses its sheet (Chromium, Firefox and WebKit empty the list, and the
    // old sheet cannot be adopted there): it takes its new document's at its next render.
    // Moved back, the same. One property read per render otherwise.
    style();
    // Checked against the host's attribute, not the last state written: a morph (htmx's
    // idiomorph, Turbo 8's page refresh) gives the host the new HTML's attributes, which lack
    // it, and the next tick puts it back (reading an attribute forces no style or layout).
    // Always at a render's first show (nothing shown yet): rendered again while offline, the
    // host still has the state, and its new mark would stay empty.
    if (!last || host.dataset.state !== state) {
      host.dataset.state = state;
      // Syncing lasts one round trip: marking it would only flicker.
      mark.textContent = state === 'offline' ? ' \u26a0 unsynced' : '';
    }
    if (text && text !== last) {
      time.textContent = last = text;
      time.dateTime = datetime!;
    }
  };
  // The start of the shown second (or minute), so the machine-readable instant agrees with the text.
  return COUNTDOWN && countdown ? countdown(show) : (t, state) => show(state, format(t), new Date(t - (t % unit)).toISOString());
}
