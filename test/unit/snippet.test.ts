import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCrossclock, type SnippetWindow, type Stub } from '../../widget/src/snippet.js';

/** A fake page: records inserted scripts and console warnings; `Date.now` is fixed. */
function fakePage() {
  const scripts: { src: string }[] = [];
  const warnings: string[] = [];
  const win: SnippetWindow = { console: { warn: (m) => warnings.push(m) } };
  const doc = {
    head: { appendChild: <T>(s: T) => (scripts.push(s as { src: string }), s) },
    createElement: () => ({ src: '' }),
  } as unknown as Document;
  let now = 1000;
  const paste = () => loadCrossclock(win, doc, () => now, 'http://widget.test:3000');
  return { win, scripts, warnings, paste, tick: (ms: number) => (now += ms) };
}

describe('loader snippet', () => {
  it('inserts the bundle and the first time request at once', () => {
    const { scripts, paste } = fakePage();
    paste();
    assert.deepEqual(
      scripts.map((s) => s.src),
      ['http://widget.test:3000/v1/crossclock.js', 'http://widget.test:3000/v1/time?callback=crossclock'],
    );
  });

  it('queues calls, with the time each was made, until the bundle takes over', () => {
    const { win, paste, tick } = fakePage();
    paste();
    const stub = win.crossclock as Stub;
    assert.equal(stub.t, 1000);
    tick(5);
    stub('badge', { target: '#clock' });
    assert.equal(stub.q.length, 1);
    assert.deepEqual([...stub.q[0][0]], ['badge', { target: '#clock' }]);
    assert.equal(stub.q[0][1], 1005);
  });

  it("queues the time request's answer too, since the stub is its callback", () => {
    const { win, paste, tick } = fakePage();
    paste();
    tick(80);
    (win.crossclock as Stub)({ t: 1, tz: 'UTC', offset: 0 });
    const [[args, at]] = (win.crossclock as Stub).q;
    assert.deepEqual(args[0], { t: 1, tz: 'UTC', offset: 0 });
    assert.equal(at - (win.crossclock as Stub).t, 80);
  });

  it('pasted twice, loads once and warns once', () => {
    const { win, scripts, warnings, paste } = fakePage();
    paste();
    const stub = win.crossclock;
    paste();
    assert.equal(scripts.length, 2);
    assert.equal(win.crossclock, stub);
    assert.deepEqual(warnings, ['crossclock: pasted twice']);
  });
});
