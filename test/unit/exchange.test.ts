import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createExchange } from '../../widget/src/exchange.js';
import { TIMEOUT_MS } from '../../widget/src/jsonp.js';
import { FakeDocument, type FakeScript } from '../support/fake-script.js';

const T = Date.UTC(2026, 0, 1);
const URL_ = 'http://widget.test/v1/time?callback=crossclock.t&id=';

/** The request id in a tag's URL. */
const idOf = (script: FakeScript) => new URL(script.src).searchParams.get('id');

/**
 * An exchange over a fake document, a monotonic clock that advances 10 ms per read and manual
 * timers. `run(script, data)` is what the server's answer does: call `crossclock.t` with
 * `data` and the request's id (`id` overrides it), then (the browser, synchronously) fire
 * the tag's `load`.
 */
function fakeExchange(policy = { createScriptURL: (url: string) => url }) {
  const doc = new FakeDocument();
  let clock = 0;
  const timers = new Map<number, () => void>();
  const delays: number[] = [];
  let ids = 0;
  const [exchange, receive] = createExchange(
    URL_,
    () => doc.createElement() as unknown as HTMLScriptElement,
    () => doc.documentElement as unknown as Element,
    policy,
    'n0nce',
    () => (clock += 10),
    (fn, ms) => (delays.push(ms), timers.set(++ids, fn), ids),
    (id) => timers.delete(id),
  );
  const run = (script: FakeScript, data?: object, id = idOf(script)) => {
    if (data !== undefined) receive({ ...data, id });
    script.onload!();
  };
  return { doc, exchange, receive, run, timers, delays, fireTimers: () => [...timers.values()].forEach((f) => f()) };
}

describe('the bundle’s time exchange', () => {
  it('loads the vetted URL with the nonce and pairs the answer with its own tag, timed on the monotonic clock', async () => {
    const { doc, exchange, run, timers } = fakeExchange();
    const p = exchange();
    const [script] = doc.scripts;
    assert.ok(script.src.startsWith(URL_));
    assert.equal(script.nonce, 'n0nce');
    run(script, { t: T });
    // Sent at the clock's first read (10), received at its second (20).
    assert.deepEqual(await p, [10, 20, T]);
    assert.equal(doc.scripts.length, 0, 'the tag is removed');
    assert.equal(timers.size, 0, 'the timeout is cleared');
  });

  it('pairs each of two tags in flight with its own answer, whichever runs first', async () => {
    const { doc, exchange, run } = fakeExchange();
    const first = exchange();
    const second = exchange();
    const [a, b] = doc.scripts;
    run(b, { t: T + 2 });
    run(a, { t: T + 1 });
    assert.equal((await first)[2], T + 1);
    assert.equal((await second)[2], T + 2);
  });

  it('gives every request a URL of its own, which no cache can have an answer for', () => {
    const { doc, exchange } = fakeExchange();
    for (let i = 0; i < 100; i++) void exchange();
    assert.equal(new Set(doc.scripts.map(idOf)).size, 100);
    assert.ok(doc.scripts.every((s) => idOf(s)));
  });

  describe('gives server 0 (a failed sample), never a rejection', () => {
    it("when the answer is another request's (a stale one, from a cache that ignores the query)", async () => {
      const { doc, exchange, run } = fakeExchange();
      const p = exchange();
      run(doc.scripts[0], { t: T }, '1234');
      assert.equal((await p)[2], 0);
    });

    it('when the tag loaded but never called back', async () => {
      const { doc, exchange, run } = fakeExchange();
      const p = exchange();
      run(doc.scripts[0]);
      assert.equal((await p)[2], 0);
    });

    it('when the answer is not a time', async () => {
      const { doc, exchange, run } = fakeExchange();
      const p = exchange();
      run(doc.scripts[0], { error: 'rate limited' });
      assert.equal((await p)[2], 0);
    });

    it('when the tag failed to load', async () => {
      const { doc, exchange } = fakeExchange();
      const p = exchange();
      doc.scripts[0].onerror!();
      assert.equal((await p)[2], 0);
      assert.equal(doc.scripts.length, 0);
    });

    it(`when no answer came within ${TIMEOUT_MS} ms`, async () => {
      const { doc, exchange, delays, fireTimers } = fakeExchange();
      const p = exchange();
      assert.deepEqual(delays, [TIMEOUT_MS]);
      fireTimers();
      assert.equal((await p)[2], 0);
      assert.equal(doc.scripts.length, 0);
    });
  });

  /** An exchange whose request timed out (a failed sample): `old` is its tag, removed. */
  async function timedOut() {
    const fake = fakeExchange();
    const late = fake.exchange();
    const [old] = fake.doc.scripts;
    fake.fireTimers();
    assert.equal((await late)[2], 0);
    return { ...fake, old };
  }

  it('never pairs an answer that came after its timeout with a later request', async () => {
    const { doc, exchange, run, old } = await timedOut();
    // The removed tag still runs; its answer carries its own id, which the next request refuses.
    run(old, { t: T - 60_000 });
    const next = exchange();
    run(doc.scripts[0]);
    assert.equal((await next)[2], 0, 'a tag that did not call back is a failure, not the stale answer');
  });

  it('removes its tag once: the late `load` of a tag removed at its timeout leaves it alone', async () => {
    // The fake's `remove` throws on a detached tag, as a page's old polyfill does; the
    // browser would report that from the `load` handler as an error of the host page.
    const { run, old } = await timedOut();
    assert.doesNotThrow(() => run(old, { t: T }));
    assert.doesNotThrow(() => old.onerror!());
  });

  it('loads nothing the policy refuses', async () => {
    const { doc, exchange } = fakeExchange({ createScriptURL: () => '' });
    const p = exchange();
    assert.equal(doc.scripts[0].src, '');
    // A script whose src is empty fails to load.
    doc.scripts[0].onerror!();
    assert.equal((await p)[2], 0);
  });

});
