import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Render } from '../../widget/src/badge.js';
import { createBadges, SELECTOR } from '../../widget/src/lifecycle.js';
import type { RawOptions } from '../../widget/src/options.js';

/** A stand-in for an element: `data-` attributes, children, connection and one shadow root. */
class FakeElement {
  dataset: Record<string, string>;
  children: FakeElement[];
  isConnected = true;
  // A document with a window, until a test takes it (a removed frame's document).
  ownerDocument: { defaultView: object | null } = { defaultView: {} };
  // What the shadow root shows: nothing when just attached, the badge a mount rendered, or the
  // element's own content (its `<slot>`) once released.
  shadowRoot: { host: FakeElement; shows: 'nothing' | 'badge' | 'own content' } | null = null;
  shadowRootsAttached = 0;
  constructor(
    public id: string,
    dataset: Record<string, string> = {},
    ...children: FakeElement[]
  ) {
    this.dataset = dataset;
    this.children = children;
  }
  matches(selector: string) {
    assert.equal(selector, SELECTOR);
    return 'crossclock' in this.dataset;
  }
  querySelectorAll(selector: string): FakeElement[] {
    return this.children.flatMap((c) => [...(c.matches(selector) ? [c] : []), ...c.querySelectorAll(selector)]);
  }
  attachShadow(init: { mode: string }) {
    assert.equal(init.mode, 'open');
    // As in browsers: one shadow root per element, ever.
    if (this.shadowRoot) throw new Error('already hosts a shadow tree');
    this.shadowRootsAttached++;
    return (this.shadowRoot = { host: this, shows: 'nothing' as 'nothing' | 'badge' | 'own content' });
  }
}

/** A fake MutationObserver: records what it observes and lets the test deliver records. */
class FakeObserver {
  static last: FakeObserver;
  observed: [target: unknown, options: MutationObserverInit][] = [];
  constructor(public deliver: (records: Partial<MutationRecord>[]) => void) {
    FakeObserver.last = this;
  }
  observe(target: unknown, options: MutationObserverInit) {
    this.observed.push([target, options]);
  }
}

const added = (...nodes: unknown[]) => ({ addedNodes: nodes as unknown as NodeList, removedNodes: [] as unknown as NodeList, attributeName: null });
const removed = (...nodes: unknown[]) => ({ addedNodes: [] as unknown as NodeList, removedNodes: nodes as unknown as NodeList, attributeName: null });
const attribute = (target: FakeElement, attributeName: string) => ({ target: target as unknown as Node, attributeName });

/** A registry over fakes; `renders` lists `id tz` for every badge each `tick` renders. */
function registry() {
  const mounts: string[] = [];
  const warnings: unknown[] = [];
  let changes = 0;
  // What each call of `changed` was given: nothing or 0 (tick now), 2 (set the timer again).
  const batches: (number | undefined)[] = [];
  const [start, add, remove, each] = createBadges(
    FakeObserver as unknown as typeof MutationObserver,
    (root, raw: RawOptions | 0): Render | undefined => {
      const host = root.host as unknown as FakeElement;
      // Released (0): the widget leaves a `<slot>` there, and the element shows its own content.
      if (!raw) return void (host.shadowRoot!.shows = 'own content');
      if (raw.tz === 'Not/AZone') throw new RangeError('Invalid time zone specified: Not/AZone');
      host.shadowRoot!.shows = 'badge';
      mounts.push(`${host.id} ${raw.tz}`);
      const tz = raw.tz;
      return () => renders.push(`${host.id} ${tz}`);
    },
    (batch) => {
      changes++;
      batches.push(batch);
    },
    (w) => warnings.push(w),
  );
  let renders: string[] = [];
  const tick = () => {
    renders = [];
    each((_, render) => render(0, 'synced'));
    // How many badges are left, as the widget's tick tells it: by what it rendered.
    return { left: renders.length, renders };
  };
  const observer = FakeObserver.last;
  const deliver = (...records: Partial<MutationRecord>[]) => observer.deliver(records);
  const el = (e: FakeElement) => e as unknown as HTMLElement;
  return {
    start: (doc: FakeElement) => start(doc as unknown as Node, doc as unknown as Element),
    add: (e: FakeElement, raw: RawOptions) => add(el(e), raw),
    remove: (e: FakeElement) => remove(el(e)),
    tick,
    deliver,
    observer,
    mounts,
    warnings,
    changes: () => changes,
    batches,
  };
}

describe('badge lifecycle', () => {
  describe('at start', () => {
    it('makes every [data-crossclock] element a badge and watches the whole document, not just body', () => {
      const a = new FakeElement('a', { crossclock: '', tz: 'Asia/Tokyo' });
      const plain = new FakeElement('plain');
      const doc = new FakeElement('doc', {}, new FakeElement('body', {}, a, plain));
      const r = registry();
      r.start(doc);
      assert.deepEqual(r.tick(), { left: 1, renders: ['a Asia/Tokyo'] });
      const [target, options] = r.observer.observed.find(([t]) => t === doc)!;
      assert.equal(target, doc);
      assert.equal(options.childList && options.subtree, true);
    });
  });

  describe('when elements appear later', () => {
    it('adopts an added element and those inside an added subtree (a body swap)', () => {
      const r = registry();
      r.start(new FakeElement('doc'));
      const b = new FakeElement('b', { crossclock: '' });
      const c = new FakeElement('c', { crossclock: '', tz: 'UTC' });
      const newBody = new FakeElement('body', {}, new FakeElement('div', {}, c));
      r.deliver(added(b, { nodeType: 3 }, newBody));
      assert.deepEqual(r.tick().renders, ['b undefined', 'c UTC']);
    });

    it('skips a <form> whose controls shadow its methods with a warning, and adopts the nodes beside it', () => {
      const r = registry();
      r.start(new FakeElement('doc'));
      // `<form><input name="querySelectorAll"><input name="matches"></form>`: each name is the input.
      const form = Object.assign(new FakeElement('form'), { querySelectorAll: {}, matches: {} });
      const b = new FakeElement('b', { crossclock: '' });
      assert.doesNotThrow(() => r.deliver(added(form, b)));
      assert.deepEqual(r.tick().renders, ['b undefined']);
      assert.equal(r.warnings.length, 1);
      assert.match(String(r.warnings[0]), /TypeError/);
    });

    it('adopts an element given data-crossclock after it was inserted', () => {
      const r = registry();
      r.start(new FakeElement('doc'));
      const later = new FakeElement('later');
      r.deliver(added(later));
      assert.equal(r.tick().left, 0);
      later.dataset.crossclock = '';
      r.deliver(attribute(later, 'data-crossclock'));
      assert.deepEqual(r.tick().renders, ['later undefined']);
    });

    it('tells the ticker once per batch of changes, which may have brought back a badge no query finds, only to set its timer again', () => {
      const r = registry();
      r.start(new FakeElement('doc'));
      const before = r.changes();
      r.deliver(added(new FakeElement('p')), added(new FakeElement('q')), removed(new FakeElement('r')));
      assert.equal(r.changes(), before + 1);
      assert.equal(r.batches.at(-1), 2);
    });

    it('tells the ticker to tick once for a batch that brought many badges, not once per badge', () => {
      // Each tick renders every badge: one per badge made 1,000 badges inserted at once
      // (a view's innerHTML) take seconds of the page's main thread.
      const r = registry();
      r.start(new FakeElement('doc'));
      const before = r.changes();
      const list = Array.from({ length: 100 }, (_, i) => new FakeElement('b' + i, { crossclock: '' }));
      r.deliver(added(new FakeElement('view', {}, ...list)), added(new FakeElement('c', { crossclock: '' })));
      assert.equal(r.changes(), before + 1);
      assert.equal(r.batches.at(-1) || 0, 0);
      assert.equal(r.tick().left, 101);
      // The batch after it, without a badge, only sets the timer again.
      r.deliver(added(new FakeElement('p')));
      assert.equal(r.batches.at(-1), 2);
    });
  });

  describe('when a data- option changes', () => {
    it('renders the badge again with the new value, watching attributes on badges only', () => {
      const a = new FakeElement('a', { crossclock: '', tz: 'UTC' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      assert.deepEqual(
        r.observer.observed.filter(([, o]) => o.attributes && !o.attributeFilter).map(([t]) => t),
        [a],
      );
      a.dataset.tz = 'Asia/Tokyo';
      r.deliver(attribute(a, 'data-tz'));
      assert.deepEqual(r.tick().renders, ['a Asia/Tokyo']);
      assert.equal(a.shadowRootsAttached, 1);
    });

    it('ignores its own data-state and attributes that are not options', () => {
      const a = new FakeElement('a', { crossclock: '' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      r.deliver(attribute(a, 'data-state'), attribute(a, 'class'));
      assert.deepEqual(r.mounts, ['a undefined']);
    });

    it('keeps the badge as it was, with a warning, when the new value is rejected', () => {
      const a = new FakeElement('a', { crossclock: '', tz: 'UTC' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      a.dataset.tz = 'Not/AZone';
      assert.doesNotThrow(() => r.deliver(attribute(a, 'data-tz')));
      assert.match(String(r.warnings[0]), /Not\/AZone/);
      assert.deepEqual(r.tick().renders, ['a UTC']);
      assert.equal(a.shadowRoot!.shows, 'badge');
    });
  });

  describe('when a badge loses its data-crossclock (a morph, or React reusing the element)', () => {
    it('releases it and empties its shadow root; whatever else changes, no badge is made of it until it is given it back, in the same root', () => {
      const a = new FakeElement('a', { crossclock: '', until: '2030-01-01T00:00:00Z' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      delete a.dataset.crossclock;
      delete a.dataset.until;
      r.deliver(attribute(a, 'data-crossclock'), attribute(a, 'data-until'));
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
      assert.equal(a.shadowRoot!.shows, 'own content');
      const mounted = r.mounts.length;
      a.dataset.tz = 'UTC';
      r.deliver(attribute(a, 'data-tz'));
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
      assert.equal(r.mounts.length, mounted, 'mounted again from the attributes left');
      a.dataset.crossclock = '';
      r.deliver(attribute(a, 'data-crossclock'));
      assert.deepEqual(r.tick(), { left: 1, renders: ['a UTC'] });
      assert.equal(a.shadowRootsAttached, 1);
      assert.deepEqual(r.warnings, []);
    });

    it('shows the own content of one whose options never made a badge, before and after', () => {
      // A bad zone: the shadow root is attached, and no badge is rendered in it; the element's
      // own content (a fallback text) shows, not an empty box.
      const a = new FakeElement('a', { crossclock: '', tz: 'Not/AZone' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      assert.equal(r.warnings.length, 1);
      assert.equal(a.shadowRoot!.shows, 'own content');
      // React renders other content in the same element, without the badge's attributes.
      delete a.dataset.crossclock;
      delete a.dataset.tz;
      r.deliver(attribute(a, 'data-crossclock'), attribute(a, 'data-tz'));
      assert.equal(a.shadowRoot!.shows, 'own content');
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
    });

    it('leaves a badge made through the API as it is: its options are not its attributes', () => {
      const a = new FakeElement('a', { crossclock: '' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      r.add(a, { target: a, tz: 'Asia/Tokyo' });
      delete a.dataset.crossclock;
      r.deliver(attribute(a, 'data-crossclock'));
      assert.deepEqual(r.tick().renders, ['a Asia/Tokyo']);
      assert.equal(a.shadowRoot!.shows, 'badge');
    });
  });

  describe('when a badge leaves the document', () => {
    it('neither renders it nor keeps it, and reports that none is left', () => {
      const a = new FakeElement('a', { crossclock: '' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      a.isConnected = false;
      const before = r.changes();
      r.deliver(removed(a));
      // The ticker is told, so it can stop: no badge, no timer.
      assert.equal(r.changes(), before + 1);
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
    });

    it('drops a badge inside another shadow root that the observer cannot see, at the next tick', () => {
      const inShadow = new FakeElement('s');
      const r = registry();
      r.start(new FakeElement('doc'));
      r.add(inShadow, { target: inShadow, tz: 'UTC' });
      assert.deepEqual(r.tick().renders, ['s UTC']);
      inShadow.isConnected = false;
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
    });

    it('drops a badge still connected to a document that lost its window (a removed frame, a closed Picture-in-Picture window)', () => {
      const inFrame = new FakeElement('f');
      const r = registry();
      r.start(new FakeElement('doc'));
      r.add(inFrame, { target: inFrame, tz: 'UTC' });
      assert.deepEqual(r.tick().renders, ['f UTC']);
      inFrame.ownerDocument = { defaultView: null };
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
    });

    it('brings the same element back when it is inserted again, reusing its shadow root', () => {
      const a = new FakeElement('a', { crossclock: '', tz: 'UTC' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      a.isConnected = false;
      r.deliver(removed(a));
      r.tick();
      a.isConnected = true;
      a.dataset.tz = 'Europe/Paris';
      r.deliver(added(new FakeElement('wrapper', {}, a)));
      assert.deepEqual(r.tick().renders, ['a Europe/Paris']);
      assert.equal(a.shadowRootsAttached, 1);
    });

    it("renders a badge put back inside another component's shadow root again, with its options, once anything was added", () => {
      const inShadow = new FakeElement('s');
      const r = registry();
      r.start(new FakeElement('doc'));
      r.add(inShadow, { target: inShadow, tz: 'UTC' });
      inShadow.isConnected = false;
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
      // The component comes back: the observer sees it, never the badge in its shadow tree.
      inShadow.isConnected = true;
      const before = r.changes();
      r.deliver(added(new FakeElement('component')));
      assert.equal(r.changes(), before + 1);
      assert.deepEqual(r.tick(), { left: 1, renders: ['s UTC'] });
      assert.equal(inShadow.shadowRootsAttached, 1);
    });

    it('brings back a badge made through the API, with its options, when it is itself re-inserted', () => {
      const x = new FakeElement('x');
      const r = registry();
      r.start(new FakeElement('doc'));
      r.add(x, { target: x, tz: 'Asia/Tokyo' });
      x.isConnected = false;
      r.tick();
      x.isConnected = true;
      r.deliver(added(x));
      assert.deepEqual(r.tick().renders, ['x Asia/Tokyo']);
    });
  });

  describe('when a badge throws at a tick', () => {
    it('releases that badge with one warning and goes on with the others', () => {
      const a = new FakeElement('a', { crossclock: '', tz: 'UTC' });
      const b = new FakeElement('b', { crossclock: '', tz: 'Asia/Tokyo' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a, b));
      // A custom element's own `isConnected` that throws.
      const refused = new Error('isConnected refused');
      Object.defineProperty(a, 'isConnected', { get: () => { throw refused; } });
      assert.deepEqual(r.tick(), { left: 1, renders: ['b Asia/Tokyo'] });
      assert.deepEqual(r.warnings, [refused]);
      assert.deepEqual(r.tick(), { left: 1, renders: ['b Asia/Tokyo'] });
      assert.equal(r.warnings.length, 1);
    });
  });

  describe("crossclock('remove', …)", () => {
    it('empties and releases the badge; re-insertion or a changed option does not bring it back', () => {
      const a = new FakeElement('a', { crossclock: '' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      r.remove(a);
      assert.equal(a.shadowRoot!.shows, 'own content');
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
      a.dataset.tz = 'UTC';
      r.deliver(attribute(a, 'data-tz'), added(a));
      assert.deepEqual(r.tick(), { left: 0, renders: [] });
    });

    it("is undone by crossclock('badge', …), in the same shadow root", () => {
      const a = new FakeElement('a', { crossclock: '' });
      const r = registry();
      r.start(new FakeElement('doc', {}, a));
      r.remove(a);
      r.add(a, { target: a, tz: 'UTC' });
      assert.deepEqual(r.tick().renders, ['a UTC']);
      assert.equal(a.shadowRootsAttached, 1);
    });

    it('ignores an element that is not a badge, leaving its shadow root alone', () => {
      const other = new FakeElement('other');
      other.attachShadow({ mode: 'open' });
      const r = registry();
      r.remove(other);
      assert.equal(other.shadowRoot!.shows, 'nothing');
    });
  });

  it("warns and leaves an element alone when it already hosts another component's shadow root", () => {
    const taken = new FakeElement('taken', { crossclock: '' });
    taken.attachShadow({ mode: 'open' });
    const r = registry();
    assert.doesNotThrow(() => r.start(new FakeElement('doc', {}, taken)));
    assert.match(String(r.warnings[0]), /shadow/);
    assert.equal(r.tick().left, 0);
  });
});
