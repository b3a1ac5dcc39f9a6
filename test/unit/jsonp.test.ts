import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonp, JsonpError, TIMEOUT_MS } from '../../widget/src/jsonp.js';
import { FakeDocument, type FakeScript } from '../support/fake-script.js';

/** A fake window with manual timers; `crossclock` appears once a request needs it. */
function fakePage() {
  const doc = new FakeDocument();
  const timers = new Map<number, () => void>();
  const delays: number[] = [];
  let ids = 0;
  const win: any = {
    setTimeout: (fn: () => void, ms: number) => (delays.push(ms), timers.set(++ids, fn), ids),
    clearTimeout: (id: number) => timers.delete(id),
  };
  /** Runs the script's answer the way the server's body does: `typeof cb === 'function' && cb(data)`. */
  const answer = (script: FakeScript, data: unknown) => {
    const name = new URL(script.src).searchParams.get('callback')!;
    const cb = name.split('.').reduce((o: any, k) => o?.[k], win);
    if (typeof cb === 'function') cb(data);
    script.onload?.();
  };
  const opts = { doc: doc as unknown as Document, win: win as Window };
  return { doc, win, timers, delays, answer, opts, fireTimers: () => [...timers.values()].forEach((f) => f()) };
}

const reason = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => assert.fail('resolved'),
    (e: unknown) => e,
  );
  assert.ok(e instanceof JsonpError);
  return e.reason;
};

describe('JSONP client', () => {
  it('resolves with the data the script calls back with, and cleans up', async () => {
    const { doc, win, timers, answer, opts } = fakePage();
    const p = jsonp('http://widget.test/v1/time', { ...opts, nonce: 'abc' });
    const [script] = doc.scripts;
    assert.match(script.src, /^http:\/\/widget\.test\/v1\/time\?callback=crossclock\.j\.c\d+$/);
    assert.equal(script.nonce, 'abc');
    answer(script, { t: 1 });
    assert.deepEqual(await p, { t: 1 });
    assert.equal(doc.scripts.length, 0);
    assert.equal(timers.size, 0);
    assert.deepEqual(Object.keys(win.crossclock.j), []);
  });

  it('appends the callback to a URL that already has a query', () => {
    const { doc, opts } = fakePage();
    void jsonp('http://widget.test/v1/time?tz=UTC', opts).catch(() => {});
    assert.match(doc.scripts[0].src, /\?tz=UTC&callback=crossclock\.j\.c\d+$/);
  });

  it('keeps its callbacks under the crossclock global only', () => {
    const { win, opts } = fakePage();
    void jsonp('http://widget.test/a', opts).catch(() => {});
    assert.deepEqual(Object.keys(win).sort(), ['clearTimeout', 'crossclock', 'setTimeout']);
  });

  it('never reuses an id, also across two copies sharing the registry', () => {
    const { doc, opts } = fakePage();
    for (let i = 0; i < 3; i++) void jsonp('http://widget.test/a', opts).catch(() => {});
    // A second copy of the client (two scripts on one page, each bundling jsonp.mjs) reads the same counter.
    for (let i = 0; i < 3; i++) void jsonp('http://widget.test/a', { ...opts, policy: { createScriptURL: (u) => u } }).catch(() => {});
    const ids = doc.scripts.map((s) => new URL(s.src).searchParams.get('callback'));
    assert.equal(new Set(ids).size, 6);
  });

  it("never asks for the URL of an earlier page's request, which a cache could answer with stale data", () => {
    // Each fake page starts with an empty registry, as every page load does.
    const first = fakePage();
    void jsonp('http://widget.test/a', first.opts).catch(() => {});
    const next = fakePage();
    void jsonp('http://widget.test/a', next.opts).catch(() => {});
    assert.notEqual(next.doc.scripts[0].src, first.doc.scripts[0].src);
  });

  describe('tells failures apart', () => {
    it('network: the script failed to load', async () => {
      const { doc, opts } = fakePage();
      const p = jsonp('http://widget.test/a', opts);
      doc.scripts[0].onerror!();
      assert.equal(await reason(p), 'network');
      assert.equal(doc.scripts.length, 0);
    });

    it('nocallback: the script loaded but never called back', async () => {
      const { doc, opts } = fakePage();
      const p = jsonp('http://widget.test/a', opts);
      doc.scripts[0].onload!();
      assert.equal(await reason(p), 'nocallback');
    });

    it(`timeout: no answer in time (${TIMEOUT_MS} ms unless told otherwise)`, async () => {
      const { delays, opts } = fakePage();
      void jsonp('http://widget.test/a', opts).catch(() => {});
      assert.deepEqual(delays, [TIMEOUT_MS]);
    });

    it('timeout: no answer within the given time', async () => {
      const { doc, opts, fireTimers } = fakePage();
      const p = jsonp('http://widget.test/a', { ...opts, timeout: 50 });
      fireTimers();
      assert.equal(await reason(p), 'timeout');
      assert.equal(doc.scripts.length, 0);
    });

    it('abort: the signal fired', async () => {
      const { doc, timers, opts } = fakePage();
      const ac = new AbortController();
      const p = jsonp('http://widget.test/a', { ...opts, signal: ac.signal });
      ac.abort();
      assert.equal(await reason(p), 'abort');
      assert.equal(doc.scripts.length, 0);
      assert.equal(timers.size, 0);
    });

    it('abort: the signal had fired before the call, so nothing is requested', async () => {
      const { doc, opts } = fakePage();
      assert.equal(await reason(jsonp('http://widget.test/a', { ...opts, signal: AbortSignal.abort() })), 'abort');
      assert.equal(doc.scripts.length, 0);
    });
  });

  it('swallows an answer arriving after the timeout, keeping nothing', async () => {
    const { doc, win, answer, opts, fireTimers } = fakePage();
    const p = jsonp('http://widget.test/a', opts);
    const [script] = doc.scripts;
    fireTimers();
    assert.equal(await reason(p), 'timeout');
    // The removed tag's script still runs: it finds no callback and does nothing.
    assert.doesNotThrow(() => answer(script, { t: 1 }));
    assert.deepEqual(Object.keys(win.crossclock.j), []);
  });

  it('stops listening to the signal once settled', async () => {
    const { doc, answer, opts } = fakePage();
    const ac = new AbortController();
    let listeners = 0;
    const signal = {
      aborted: false,
      addEventListener: () => listeners++,
      removeEventListener: () => listeners--,
    } as unknown as AbortSignal;
    const p = jsonp('http://widget.test/a', { ...opts, signal });
    answer(doc.scripts[0], 1);
    await p;
    assert.equal(listeners, 0);
    ac.abort();
  });
});
