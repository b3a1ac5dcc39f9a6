import assert from 'node:assert/strict';
import { ownContent } from '../../support/host-pages.js';
import { embedBadge, tagScript, type Form } from '../embeds.js';
import { waitFor, type Engine } from '../engine.js';
import { recorded, waitForState, type Context, type EngineTest, type Feature } from '../suite.js';

// What a page needs to be cross-origin isolated (to use SharedArrayBuffer, for instance):
// every resource it loads from another origin must then opt in with CORP or CORS.
const ISOLATED = { 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-opener-policy': 'same-origin' };

/** A badge between two lines of running text with tight leading, as body copy often has. */
function runningText(quirks: boolean): EngineTest {
  return {
    title: `in running text${quirks ? ' of a quirks-mode page' : ''}, takes the room its border needs and never paints over the lines above and below`,
    async run({ engine, host, widget }) {
      const body =
        '<p style="font: 14px/1.3 serif; margin: 0"><span id="above">the line above</span><br>' +
        '<span data-crossclock id="a" data-label="Tokyo" data-tz="Asia/Tokyo"></span> in the text<br>' +
        `<span id="below">the line below</span></p>${tagScript(widget)}`;
      await engine.goto(host.page(`/running-text-${quirks ? 'quirks' : 'standards'}`, { body, quirks }));
      await waitForState(engine, '#a', 'synced');
      const seen = await engine.evaluate(() => {
        const rect = (el: Element) => el.getBoundingClientRect();
        // The badge as painted: its border box, inside the shadow root.
        const host = rect(document.querySelector('#a')!);
        const badge = rect(document.querySelector('#a')!.shadowRoot!.querySelector('[role=timer]')!);
        return {
          mode: document.compatMode,
          // The line is laid out around the host's box: the badge must paint within it.
          overflowAbove: host.top - badge.top,
          overflowBelow: badge.bottom - host.bottom,
          gapAbove: badge.top - rect(document.querySelector('#above')!).bottom,
          gapBelow: rect(document.querySelector('#below')!).top - badge.bottom,
        };
      }, null);
      assert.equal(seen.mode, quirks ? 'BackCompat' : 'CSS1Compat');
      assert.ok(seen.overflowAbove <= 0 && seen.overflowBelow <= 0, JSON.stringify(seen));
      assert.ok(seen.gapAbove >= 0 && seen.gapBelow >= 0, JSON.stringify(seen));
    },
  };
}

/** Every request the widget makes is cross-origin, so each must carry CORP (scripts) or CORS (the loader's imports). */
function isolated(form: Form): EngineTest {
  return {
    title: `on a cross-origin isolated page (COEP require-corp), the ${form} syncs with no error`,
    async run(ctx) {
      await ctx.engine.goto(ctx.host.page('/isolated-' + form.replace(/\W+/g, '-'), { body: await embedBadge(ctx.widget, form), headers: ISOLATED }));
      // The control: the page really is isolated, so a resource without CORP would be blocked.
      assert.equal(await ctx.engine.evaluate(() => self.crossOriginIsolated, null), true);
      await waitForState(ctx.engine, '#a', 'synced');
      assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
    },
  };
}

/** What a sandboxed frame tells its parent, which cannot look into an opaque origin. */
interface FrameReport {
  origin: string;
  state?: string;
  text?: string;
  errors: string[];
}

/**
 * Code playgrounds and embed previews run pages in `<iframe sandbox="allow-scripts">`: an
 * opaque origin, where storage and cookies throw and every request is cross-origin.
 */
function sandboxed(form: Form): EngineTest {
  return {
    title: `in a sandboxed frame (allow-scripts only: an opaque origin), the ${form} syncs with no error`,
    async run(ctx) {
      const slug = form.replace(/\W+/g, '-');
      // Posts the badge's state and text, and the frame's recorded errors, whenever the state changes.
      const report =
        "<script>const a = document.querySelector('#a'); new MutationObserver(() => parent.postMessage(" +
        "{ origin, state: a.dataset.state, text: a.shadowRoot && a.shadowRoot.textContent, errors: window.__rec.errors }, '*'))" +
        '.observe(a, { attributes: true });</script>';
      const frame = ctx.host.page(`/sandboxed-${slug}-frame`, { body: (await embedBadge(ctx.widget, form)).replace('</span>', '</span>' + report) });
      await ctx.engine.goto(
        ctx.host.page(`/sandboxed-${slug}`, {
          body: `<script>window.reports = []; addEventListener('message', (e) => reports.push(e.data));</script><iframe sandbox="allow-scripts" src="${frame}"></iframe>`,
        }),
      );
      const synced = await waitFor(
        ctx.engine,
        'a synced badge in the frame',
        () => ((window as any).reports as FrameReport[]).find((r) => r.state === 'synced')!,
        null,
      );
      assert.equal(synced.origin, 'null');
      assert.match(synced.text ?? '', /\d{1,2}:\d{2}:\d{2}/);
      assert.deepEqual(synced.errors, []);
    },
  };
}

/**
 * Ad slots and some embed hosts render into a "friendly iframe": a same-origin frame whose
 * content the parent writes, here with a `<script>` element the parent created. The bundle
 * then runs in the frame while its tag belongs to the parent's realm.
 */
const friendlyFrame: EngineTest = {
  title: 'in a same-origin iframe, from a tag the parent page created and appended there, syncs with no warning',
  async run({ engine, host, widget }) {
    // The frame's warnings and errors go to the page's recorder.
    const body = `<iframe id="slot"></iframe><script>
      const frame = document.querySelector('#slot').contentWindow;
      frame.console.warn = (...args) => __rec.warnings.push(args.join(' '));
      frame.addEventListener('error', (e) => __rec.errors.push('error: ' + e.message));
      const doc = frame.document;
      doc.body.innerHTML = '<span data-crossclock id="a"></span>';
      const tag = document.createElement('script');
      tag.src = '${widget.url}/v1/crossclock.js';
      doc.body.append(tag);
    </script>`;
    await engine.goto(host.page('/friendly-frame', { body }));
    const state = () => (document.querySelector('#slot') as HTMLIFrameElement).contentDocument!.querySelector<HTMLElement>('#a')!.dataset.state === 'synced';
    await waitFor(engine, 'a synced badge in the frame', state, null);
    assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
  },
};

/**
 * In the page: how the badge `sel` looks, in the page (`inFrame` false) or in the frame `#f`,
 * by its own document's window: its host's display, its box's padding and border, its state.
 */
const lookIn = ([inFrame, sel]: [boolean, string]) => {
  const doc = inFrame ? (document.querySelector('#f') as HTMLIFrameElement).contentDocument! : document;
  const el = doc.querySelector<HTMLElement>(sel)!;
  const style = (e: Element) => doc.defaultView!.getComputedStyle(e);
  const box = el.shadowRoot?.querySelector('[role=timer]');
  const inner = box ? style(box) : null;
  return {
    display: style(el).display,
    padding: inner?.padding ?? null,
    border: inner ? `${inner.borderTopWidth} ${inner.borderTopStyle}` : null,
    radius: inner?.borderTopLeftRadius ?? null,
    state: el.dataset.state ?? null,
  };
};

/**
 * Loads a page with a synced reference badge `#ref` (and `main`) and a same-origin frame `#f`
 * whose document holds an empty `#b`, and sends the frame's warnings and errors to the
 * page's recorder.
 */
async function withFrame({ engine, host, widget }: Context, slug: string, main: string) {
  const frame = host.page(`/${slug}-frame`, { body: '<p>In the frame: <span id="b"></span></p>' });
  const body = `<p><span data-crossclock id="ref" data-label="A"></span> ${main}</p><iframe id="f" src="${frame}"></iframe>${tagScript(widget)}`;
  await engine.goto(host.page(`/${slug}`, { body }));
  await waitForState(engine, '#ref', 'synced');
  await waitFor(engine, 'the frame loaded', () => !!(document.querySelector('#f') as HTMLIFrameElement).contentDocument?.querySelector('#b'), null);
  await engine.evaluate(() => {
    const w = (document.querySelector('#f') as HTMLIFrameElement).contentWindow! as any;
    w.console.warn = (...args: unknown[]) => (window as any).__rec.warnings.push(args.join(' '));
    w.addEventListener('error', (e: ErrorEvent) => (window as any).__rec.errors.push('error: ' + e.message));
  }, null);
}

/** Waits until the synced badge `id` in the frame shows a time other than `before`, and returns that time. */
const tickedInFrame = (engine: Engine, id: string, before: string) =>
  waitFor(
    engine,
    `${id} in the frame to tick`,
    ([sel, was]) => {
      const el = (document.querySelector('#f') as HTMLIFrameElement).contentDocument!.querySelector<HTMLElement>(sel);
      const time = el?.shadowRoot?.querySelector('time')?.textContent;
      return time && time !== was && el!.dataset.state === 'synced' ? time : '';
    },
    [id, before],
  );

/**
 * Moves the page's badge `sel` into the frame's document, keeps it as `window.moved` (found
 * there after the frame is gone) and returns the time it showed.
 */
const moveIntoFrame = (engine: Engine, sel: string) =>
  engine.evaluate((s) => {
    const el = ((window as any).moved = document.querySelector<HTMLElement>(s)!);
    (document.querySelector('#f') as HTMLIFrameElement).contentDocument!.body.append(el);
    return el.shadowRoot!.querySelector('time')!.textContent!;
  }, sel);

/**
 * Runs `meanwhile` (when given), then waits until the page's reference badge `#ref` shows
 * another second than before it: a tick has rendered every badge since.
 */
const referenceTicked = async (engine: Engine, meanwhile?: () => Promise<unknown>) => {
  const shown = () => document.querySelector('#ref')!.shadowRoot!.querySelector('time')!.textContent!;
  const was = await engine.evaluate(shown, null);
  await meanwhile?.();
  await waitFor(engine, 'the reference badge to tick', (w) => document.querySelector('#ref')!.shadowRoot!.querySelector('time')!.textContent !== w, was);
};

/**
 * A site moves a live badge into another document: an auction's countdown into a Document
 * Picture-in-Picture window (`pipWindow.document.body.append(el)`), or a widget into a
 * same-origin frame. The badge must keep its box there (Chromium empties a shadow root's
 * adopted stylesheets when its host changes documents) and go on ticking.
 */
const movedIntoFrame: EngineTest = {
  title: 'a synced badge moved into a same-origin frame\'s document keeps its styled box there and keeps ticking',
  async run(ctx) {
    const { engine } = ctx;
    await withFrame(ctx, 'moved-into-frame', '<span data-crossclock id="a" data-label="A"></span>');
    await waitForState(engine, '#a', 'synced');
    const styled = await engine.evaluate(lookIn, [false, '#ref']);
    // The control: styled in the page, as the badge about to move is.
    assert.equal(styled.display, 'inline-block');
    assert.deepEqual(await engine.evaluate(lookIn, [false, '#a']), styled);
    await tickedInFrame(engine, '#a', await moveIntoFrame(engine, '#a'));
    assert.deepEqual(await engine.evaluate(lookIn, [true, '#a']), styled);
    assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
  },
};

/**
 * A badge made for an element of another document: a React portal into a Document
 * Picture-in-Picture window, or an element of a same-origin frame, handed to the API.
 */
const apiTargetInFrame: EngineTest = {
  title: "crossclock('badge', {target}) on an element of a same-origin frame's document makes a styled badge there that syncs and ticks, with no warning",
  async run(ctx) {
    const { engine } = ctx;
    await withFrame(ctx, 'api-target-in-frame', '');
    const styled = await engine.evaluate(lookIn, [false, '#ref']);
    assert.equal(styled.display, 'inline-block');
    await engine.evaluate(() => (window as any).crossclock('badge', { target: (document.querySelector('#f') as HTMLIFrameElement).contentDocument!.querySelector('#b'), label: 'A' }), null);
    await tickedInFrame(engine, '#b', await tickedInFrame(engine, '#b', ''));
    assert.deepEqual(await engine.evaluate(lookIn, [true, '#b']), styled);
    assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
  },
};

/** A badge left in a frame's document when the frame leaves the page, as in a Picture-in-Picture window closed with it. */
const frameRemoved: EngineTest = {
  title: 'a badge in a same-origin frame stops ticking when the frame leaves the page',
  async run(ctx) {
    const { engine } = ctx;
    await withFrame(ctx, 'frame-removed', '<span data-crossclock id="a" data-label="A"></span>');
    await waitForState(engine, '#a', 'synced');
    await tickedInFrame(engine, '#a', await moveIntoFrame(engine, '#a'));
    // Its document stays, without a window: the badge is still connected to it.
    const left = await engine.evaluate(() => {
      document.querySelector('#f')!.remove();
      const a: HTMLElement = (window as any).moved;
      return [a.isConnected, a.shadowRoot!.querySelector('time')!.textContent!] as const;
    }, null);
    assert.equal(left[0], true);
    // Two seconds shown by the badge still in the page, none by the one left in the frame.
    for (let i = 0; i < 2; i++) await referenceTicked(engine);
    assert.equal(await engine.evaluate(() => (window as any).moved.shadowRoot.querySelector('time').textContent, null), left[1]);
    assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
  },
};

/**
 * Documents without a window have no `CSSStyleSheet` to make a badge's sheet with: a live
 * badge moved into one (`document.implementation.createHTMLDocument`, where it stays
 * connected) and a badge made for an element of a `<template>`'s content.
 */
const windowlessDocuments: EngineTest = {
  title: 'a badge moved into a document with no window, or made in a template\'s content, throws nothing into the page, and is a styled badge once put in the page',
  async run(ctx) {
    const { engine } = ctx;
    await withFrame(ctx, 'windowless-documents', '<span data-crossclock id="a" data-label="A"></span><template><span id="t"></span></template>');
    await waitForState(engine, '#a', 'synced');
    const styled = await engine.evaluate(lookIn, [false, '#ref']);
    await referenceTicked(engine, () =>
      engine.evaluate(() => {
        const off = ((window as any).off = document.implementation.createHTMLDocument(''));
        off.body.append(document.querySelector('#a')!);
        (window as any).crossclock('badge', { target: document.querySelector('template')!.content.querySelector('#t'), label: 'A' });
      }, null),
    );
    const { errors, warnings } = await recorded(engine);
    assert.deepEqual(errors, []);
    // At most one warning for each: neither document has a window to make its sheet with.
    assert.ok(warnings.length <= 2 && warnings.every((w) => w.startsWith('crossclock: ')), JSON.stringify(warnings));
    await engine.evaluate(() => document.body.append((window as any).off.querySelector('#a'), document.querySelector('template')!.content), null);
    for (const id of ['#a', '#t']) {
      await waitForState(engine, id, 'synced');
      assert.deepEqual(await engine.evaluate(lookIn, [false, id]), styled);
    }
    assert.deepEqual((await recorded(engine)).errors, []);
  },
};

const fallbackText: EngineTest = {
  title: "the element's own text is a fallback: it gives way to the badge, which shows the time instead",
  async run({ engine, host, widget }) {
    // Some editors drop empty elements: text inside keeps the element, and shows where no script runs.
    const body = `<p><span data-crossclock id="a" data-label="Tokyo" data-tz="Asia/Tokyo">Tokyo time</span></p>${tagScript(widget)}`;
    await engine.goto(host.page('/fallback-text', { body }));
    await waitForState(engine, '#a', 'synced');
    const seen = await engine.evaluate(ownContent, '#a');
    // The fallback text node is no longer laid out: it has no boxes on screen.
    assert.equal(seen.fallbackBoxes, 0);
    assert.match(seen.badge ?? '', /^Tokyo \d{1,2}:\d{2}:\d{2}/);
  },
};

const refusedOptionsKeepFallback: EngineTest = {
  title: "an element whose options are refused keeps showing its own text, with one warning",
  async run({ engine, host, widget }) {
    // A mistyped zone makes no badge: the visitor should still read the host's own text.
    const body = `<p><span data-crossclock id="bad" data-tz="Asia/Tokio">Tokyo office</span> <span data-crossclock id="a"></span></p>${tagScript(widget)}`;
    await engine.goto(host.page('/refused-options', { body }));
    // Both are adopted at start, together: once #a is synced, #bad has been refused.
    await waitForState(engine, '#a', 'synced');
    const seen = await engine.evaluate(ownContent, '#bad');
    assert.ok(seen.fallbackBoxes > 0, 'the fallback text is laid out');
    assert.equal(seen.state, null);
    const { errors, warnings } = await recorded(engine);
    assert.deepEqual(errors, []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^crossclock: RangeError.*Asia\/Tokio/i);
  },
};

/** What a visitor sees of badges `#a` and `#b`: each one's display, and whether it takes room. */
const lookOfAB = (engine: Engine) =>
  engine.evaluate(
    () =>
      ['#a', '#b'].map((id) => {
        const el = document.querySelector(id)!;
        return [getComputedStyle(el).display, el.getBoundingClientRect().width > 20];
      }),
    null,
  );

const hiddenAttribute: EngineTest = {
  title: 'the hidden attribute hides a badge, and taking it away shows the badge again',
  async run({ engine, host, widget }) {
    const body = `<span data-crossclock id="a" data-label="A" hidden></span><span data-crossclock id="b" data-label="B"></span>${tagScript(widget)}`;
    await engine.goto(host.page('/hidden-attribute', { body }));
    await waitForState(engine, '#b', 'synced');
    const look = () => lookOfAB(engine);
    assert.deepEqual(await look(), [['none', false], ['inline-block', true]]);
    await engine.evaluate(() => document.querySelector('#a')!.removeAttribute('hidden'), null);
    assert.deepEqual(await look(), [['inline-block', true], ['inline-block', true]]);
    await engine.evaluate(() => document.querySelector('#a')!.toggleAttribute('hidden', true), null);
    assert.deepEqual(await look(), [['none', false], ['inline-block', true]]);
  },
};

const inlineDisplayNone: EngineTest = {
  title: "an inline display: none, set by script (React's suspended or hidden Activity subtree, Vue's v-show, jQuery's .hide()) or written in the markup, hides a badge, and taking it away shows the badge again",
  async run({ engine, host, widget }) {
    // #c as a page's markup, or a server render, writes it: without the space script's CSSOM puts in.
    const body = `<span data-crossclock id="a" data-label="A"></span><span data-crossclock id="b" data-label="B"></span><span data-crossclock id="c" data-label="C" style="display:none"></span>${tagScript(widget)}`;
    await engine.goto(host.page('/inline-display-none', { body }));
    for (const id of ['#a', '#b', '#c']) await waitForState(engine, id, 'synced');
    const lookOfC = () =>
      engine.evaluate(() => {
        const el = document.querySelector<HTMLElement>('#c')!;
        return [getComputedStyle(el).display, el.getBoundingClientRect().width > 20];
      }, null);
    assert.deepEqual(await lookOfC(), ['none', false]);
    await engine.evaluate(() => document.querySelector('#c')!.removeAttribute('style'), null);
    assert.deepEqual(await lookOfC(), ['inline-block', true]);
    const look = () => lookOfAB(engine);
    const shown = ['inline-block', true];
    assert.deepEqual(await look(), [shown, shown]);
    // React's way: `display: none !important`, which the badge's own `!important` beat.
    await engine.evaluate(() => document.querySelector<HTMLElement>('#a')!.style.setProperty('display', 'none', 'important'), null);
    assert.deepEqual(await look(), [['none', false], shown]);
    await engine.evaluate(() => document.querySelector<HTMLElement>('#a')!.style.removeProperty('display'), null);
    assert.deepEqual(await look(), [shown, shown]);
    // Vue's and jQuery's way.
    await engine.evaluate(() => (document.querySelector<HTMLElement>('#a')!.style.display = 'none'), null);
    assert.deepEqual(await look(), [['none', false], shown]);
    await engine.evaluate(() => (document.querySelector<HTMLElement>('#a')!.style.display = ''), null);
    assert.deepEqual(await look(), [shown, shown]);
    assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
  },
};

const popoverHost: EngineTest = {
  title: 'a badge that is itself a popover is hidden while the popover is closed, and shows, centred over the page, while it is open',
  async run({ engine, host, widget }) {
    const body = `<span data-crossclock id="a" data-label="A" popover></span><span data-crossclock id="b" data-label="B"></span>${tagScript(widget)}`;
    await engine.goto(host.page('/popover-host', { body }));
    for (const id of ['#a', '#b']) await waitForState(engine, id, 'synced');
    const look = () => lookOfAB(engine);
    assert.deepEqual(await look(), [['none', false], ['inline-block', true]]);
    await engine.evaluate(() => document.querySelector<HTMLElement>('#a')!.showPopover(), null);
    assert.deepEqual(await look(), [['block', true], ['inline-block', true]]);
    // The browser's own popover rules place it: in the middle of the viewport, off the page's text.
    const centred = await engine.evaluate(() => {
      const box = document.querySelector('#a')!.getBoundingClientRect();
      return Math.abs(box.left + box.width / 2 - innerWidth / 2) < 2 && Math.abs(box.top + box.height / 2 - innerHeight / 2) < 2;
    }, null);
    assert.ok(centred, 'the open popover is centred in the viewport');
    await engine.evaluate(() => document.querySelector<HTMLElement>('#a')!.hidePopover(), null);
    assert.deepEqual(await look(), [['none', false], ['inline-block', true]]);
    assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
  },
};

const invisibleAncestor: EngineTest = {
  title: "inside an element the page hides with visibility: hidden (Bootstrap's and Tailwind's invisible, a closed Bootstrap offcanvas), is hidden with it, and shows again with it",
  async run({ engine, host, widget }) {
    // Rules on the badge element itself still cannot hide it (the feature "hostile host CSS").
    const head = '<style>.invisible { visibility: hidden !important } [data-crossclock] { visibility: hidden !important }</style>';
    const body = `<div id="a-panel" class="invisible">Hidden text <span data-crossclock id="a" data-label="A"></span></div><p style="visibility: hidden"><span data-crossclock id="b" data-label="B"></span></p>${tagScript(widget)}`;
    await engine.goto(host.page('/invisible-ancestor', { head, body }));
    for (const id of ['#a', '#b']) await waitForState(engine, id, 'synced');
    // What paints: the badge's own box, and what a click at its centre would hit.
    const look = () =>
      engine.evaluate(
        () =>
          ['#a', '#b'].map((id) => {
            const el = document.querySelector(id)!;
            const box = el.getBoundingClientRect();
            return [getComputedStyle(el.shadowRoot!.querySelector('[role=timer]')!).visibility, document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === el];
          }),
        null,
      );
    assert.deepEqual(await look(), [['hidden', false], ['hidden', false]]);
    await engine.evaluate(() => document.querySelector('#a-panel')!.classList.remove('invisible'), null);
    assert.deepEqual(await look(), [['visible', true], ['hidden', false]]);
    assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
  },
};

export const feature: Feature = {
  name: 'host documents (running text, quirks mode, cross-origin isolated, sandboxed frame, friendly iframe, fallback text, the hidden attribute, an inline display: none, an invisible ancestor, a popover, a badge in a same-origin frame\'s document)',
  tests: [
    runningText(false),
    runningText(true),
    isolated('tag'),
    isolated('loader'),
    isolated('SRI-pinned tag'),
    sandboxed('tag'),
    sandboxed('loader'),
    sandboxed('SRI-pinned tag'),
    friendlyFrame,
    movedIntoFrame,
    apiTargetInFrame,
    frameRemoved,
    windowlessDocuments,
    fallbackText,
    refusedOptionsKeepFallback,
    hiddenAttribute,
    inlineDisplayNone,
    invisibleAncestor,
    popoverHost,
  ],
};
