import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCrossclock, type SnippetWindow, type Stub } from '../../widget/src/snippet.js';

/** A fake page: records the modules imported and console warnings; `currentScript` is `script`. */
function fakePage(crossclock?: unknown, script: unknown = { nonce: 'n0nce' }, fail = false) {
  const imported: string[] = [];
  const warnings: string[] = [];
  const win: SnippetWindow = { crossclock, console: { warn: (m) => warnings.push(m) } };
  const load = async (url: string) => {
    imported.push(url);
    if (fail) throw new TypeError('Failed to fetch dynamically imported module: ' + url);
  };
  const paste = () => loadCrossclock(win, script, load, 'http://widget.test:3000/v1/', '8734');
  return { win, imported, warnings, paste };
}

describe('loader snippet', () => {
  it('loads the bundle and the first time request, with its id, at once', () => {
    const { imported, paste } = fakePage();
    paste();
    assert.deepEqual(imported, ['http://widget.test:3000/v1/crossclock.js', 'http://widget.test:3000/v1/time?callback=crossclock&id=8734']);
  });

  it('queues calls until the bundle takes over', () => {
    const { win, paste } = fakePage();
    paste();
    const stub = win.crossclock as Stub;
    stub('badge', { target: '#clock' });
    assert.equal(stub.q.length, 1);
    assert.deepEqual([...stub.q[0]], ['badge', { target: '#clock' }]);
  });

  it("queues the time request's answer too, since the stub is its callback", () => {
    const { win, paste } = fakePage();
    paste();
    (win.crossclock as Stub)({ t: 1, tz: 'UTC', offset: 0 });
    assert.deepEqual([...(win.crossclock as Stub).q[0]], [{ t: 1, tz: 'UTC', offset: 0 }]);
  });

  it("leaves the bundle its server's /v1/ and its own script element, for the nonce", () => {
    const script = { nonce: 'abc' };
    const { win, paste } = fakePage(undefined, script);
    paste();
    assert.equal((win.crossclock as Stub).u, 'http://widget.test:3000/v1/');
    assert.equal((win.crossclock as Stub).s, script);
  });

  it('pasted twice, loads once and warns once', () => {
    const { win, imported, warnings, paste } = fakePage();
    paste();
    const stub = win.crossclock;
    paste();
    assert.equal(imported.length, 2);
    assert.equal(win.crossclock, stub);
    assert.deepEqual(warnings, ['crossclock: pasted twice']);
  });

  describe('when window.crossclock is not ours', () => {
    for (const [what, value] of [
      ['a named element (an object)', { id: 'crossclock', tagName: 'DIV' }],
      ['another library', { version: '1.0', q: [] }],
      ['a string', 'crossclock'],
    ] as const) {
      it(`replaces ${what} and loads`, () => {
        const { win, imported, warnings, paste } = fakePage(value);
        paste();
        assert.equal(typeof win.crossclock, 'function');
        assert.equal(imported.length, 2);
        assert.deepEqual(warnings, []);
      });
    }
  });

  it('reports a failed load as a warning, not an unhandled rejection', async () => {
    const { warnings, paste } = fakePage(undefined, null, true);
    paste();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /^crossclock: TypeError: Failed to fetch dynamically imported module/);
  });
});
