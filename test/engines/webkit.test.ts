import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { plan } from './engine.js';
import { findWebKit, launchWebKit, NO_WEBKIT } from './webkit.js';

const todo = plan(findWebKit(process.env) ? null : NO_WEBKIT, process.env);

/** A display number nothing serves: no X socket and no lock file. */
function unusedDisplay(): string {
  for (let n = 4200; ; n++) if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) return ':' + n;
}

describe('WebKit without a working display', { skip: 'skip' in todo ? todo.skip : false }, () => {
  it('gives up on the hanging session request and says why', async () => {
    if ('fail' in todo) assert.fail(todo.fail);
    const display = unusedDisplay();
    const started = Date.now();
    await assert.rejects(launchWebKit({ ...process.env, DISPLAY: display }, 3000), (err: Error) => {
      assert.equal(err.message, `webkit: no WebDriver session within 3 s on DISPLAY=${display}: MiniBrowser has no headless mode and hangs without a working display (is Xvfb running?)`);
      return true;
    });
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  });
});
