import type { Render } from './badge.js';
import type { RawOptions } from './options.js';

/** The elements a page declares as badges; their options are their `data-` attributes. */
export const SELECTOR = '[data-crossclock]';

/**
 * The badge registry: which elements are badges, and which of them are live (connected).
 * Returns, positionally so the names minify:
 * - `start(doc, root)` adopts the `[data-crossclock]` elements in `root`, the document's
 *   root element (the caller reads it: it reads `document` past named elements), as if it
 *   had just been inserted, and, with one MutationObserver, those that appear later
 *   anywhere under `doc` (a body swap replaces `body` itself, so `body` is not enough);
 * - `add(host, raw)` makes `host` a badge with options `raw`, or renders it again;
 * - `remove(host)` releases it and mounts 0 in its shadow root; it is not adopted again
 *   until `add`;
 * - `each(fn)` calls `fn` with every connected badge of a document with a window, skipping
 *   those out of the document until they are back (the only way to notice a badge leave or
 *   come back inside another component's shadow root), and releases any for which `fn`
 *   throws. It returns nothing: the tick, the one caller that asks whether any badge is
 *   left, keeps that itself.
 * The observer adopts elements as they appear and renders a badge again when one of its
 * `data-` attributes changes. A badge found by its `data-crossclock` that loses it is
 * released the same way, and is a badge again when it gets it back. `changed` is called
 * whenever badges were added or rendered again (once per batch of changes the observer sees,
 * and once at start), and with 2 after every other batch (badges may have left or come back
 * to the document), never for `remove`.
 * @param Observer `MutationObserver`
 * @param mount renders options into the host's shadow root (reused: `attachShadow` works
 *   once per element); throws on options it rejects, leaving the old render in place. Given
 *   0, what `known` holds for a removed badge, it empties a released badge's shadow root so
 *   its element shows its own content, and returns nothing (one callback, not a second one
 *   to unmount: 1 B; 2 B without countdowns)
 * @param changed called once the set of badges or their options changed, or (with 2) after
 *   a batch of changes, which may have taken badges out of the document or brought them back
 * @param warn reports a badge that could not be made, instead of throwing into the page
 */
export function createBadges(
  Observer: typeof MutationObserver,
  mount: (root: ShadowRoot, raw: RawOptions | 0) => Render | undefined,
  changed: (batch?: 0 | 2) => void,
  warn: (problem: unknown) => void,
) {
  // Every element that was ever a badge, with its raw options, or 0 once explicitly
  // removed (not adopted again). Weak: it never keeps an element alive. A badge found by its
  // attribute that lost it keeps its `dataset`, to be a badge again when it gets it back.
  const known = new WeakMap<Element, RawOptions | 0>();
  // The render of each badge, until it is removed or its host throws.
  const renders = new WeakMap<Element, Render | undefined>();
  // Every badge, held weakly: the widget never keeps an element alive. One that left the
  // document is skipped, and shown again when it is back, wherever it is: no query finds one
  // inside a component's shadow root put back in the page (a Lit component in a tab panel
  // attached again), which would otherwise show the second it left, as if synced, for good.
  const badges = new Set<WeakRef<HTMLElement>>();
  // What the observer's batch ends with: `changed(2)`, or `changed(0)`, a tick, once it made
  // or rendered again a badge: once for the batch, not once per badge, which ticked every
  // badge each time (a view inserting 1,000 badges at once took seconds).
  let batch: 0 | 2 = 2;

  // An element that appeared (with the elements under it: `tree`), or whose options changed.
  // A <form> is the one element whose own methods its controls shadow (`<input
  // name="matches">`): such a form is skipped with a warning, never thrown into the page.
  // Before `add`, which it calls: 2 B without countdowns.
  const adopt = (host: HTMLElement, tree?: 1) => {
    try {
      // A known host keeps its options (0 once removed: `??` keeps it); any other would take
      // its `data-` attributes. Options that are its `data-` attributes count only while it
      // matches: one found by its attribute that lost it is no badge any more (a morph, htmx's
      // idiomorph or Turbo 8, or React reused the element for other content, which must show,
      // not a badge made from whatever `data-` attributes are left: a countdown became a
      // clock). One test for both, not a `matches` for new hosts and another for known ones:
      // 5 B. A known one is emptied even without a render (options that never made a badge, a
      // host that threw): its shadow root would hide that content. Again at each later change:
      // it holds a slot. An element that never was one has no shadow root of ours to empty.
      const raw = known.get(host) ?? host.dataset;
      if (raw === host.dataset && !host.matches(SELECTOR)) known.has(host) && (renders.delete(host), mount(host.shadowRoot!, 0));
      else if (raw) add(host, raw, 1);
      if (tree) host.querySelectorAll(SELECTOR).forEach((e) => adopt(e as HTMLElement));
    } catch (e) {
      warn(e);
    }
  };

  const add = (host: HTMLElement, raw: RawOptions, adopted?: 1) => {
    try {
      // Attributes are watched on badges only: watching a whole page's would wake us on
      // every style or class change. Another component's shadow root makes attachShadow
      // throw: not ours to fill. A new shadow root starts released, with its `<slot>`: options
      // that never make a badge (a zone or instant mistyped) leave the element's own content
      // showing, a fallback text, not an empty box.
      known.has(host) || (mount(host.attachShadow({ mode: 'open' }), 0), observer.observe(host, { attributes: true }), badges.add(new WeakRef(host)));
      known.set(host, raw);
      renders.set(host, mount(host.shadowRoot!, raw));
      adopted ? (batch = 0) : changed();
    } catch (e) {
      warn(e);
    }
  };

  const observer = new Observer((records) => {
    // `forEach` with an expression, as the added nodes are walked, not a `for … of` loop
    // (4 B; 6 B without countdowns).
    records.forEach((r) =>
      r.attributeName
        ? // Our own `data-state` writes come back here too: mounting again on them would loop.
          /^data-(?!state$)/.test(r.attributeName) && adopt(r.target as HTMLElement)
        : // Nodes that are not elements have no querySelectorAll.
          r.addedNodes.forEach((n) => (n as Element).querySelectorAll && adopt(n as HTMLElement, 1)),
    );
    // Any change may have taken badges out or brought them back (into a shadow root, where no
    // query finds them): `changed(2)` lets the ticker drop or show them at its next tick, and
    // renders nothing now (a page changing its DOM every frame).
    changed(batch);
    batch = 2;
  });

  const start = (doc: Node, root: Element) => {
    adopt(root as HTMLElement, 1);
    changed();
    // The filter catches an element given `data-crossclock` after it was inserted.
    observer.observe(doc, { childList: true, subtree: true, attributeFilter: ['data-crossclock'] });
  };

  const remove = (host: HTMLElement) => {
    if (known.has(host)) {
      known.set(host, 0);
      mount(host.shadowRoot!, 0);
      renders.delete(host);
      // The ticker is not woken: its next tick skips the badge, and stops there if it was the
      // last. Woken from a call in Angular's zone, it would run on there (see crossclock.ts).
    }
  };

  const each = (fn: (host: HTMLElement, render: Render) => void) => {
    badges.forEach((ref) => {
      const host = ref.deref();
      const render = host && renders.get(host);
      try {
        // A badge in a document that lost its window (a removed frame's, a closed
        // Picture-in-Picture window's) is still connected there: it is skipped too, or it
        // would tick, and wake the page each second, until it was garbage-collected.
        host ? render && host.isConnected && host.ownerDocument.defaultView && fn(host, render) : badges.delete(ref);
      } catch (e) {
        // A host whose own members throw (a custom element's overrides) is released with one
        // warning: the other badges, their events and the sync loop go on.
        renders.delete(host!);
        warn(e);
      }
    });
  };

  return [start, add, remove, each] as const;
}
