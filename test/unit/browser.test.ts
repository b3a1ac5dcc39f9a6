import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findChromium, NO_BROWSER } from '../support/browser.js';

const only = (...present: string[]) => (p: string) => present.includes(p);

describe('finding a browser for the e2e tests', () => {
  it('prefers CHROMIUM_PATH when it exists', () => {
    const found = findChromium({ CHROMIUM_PATH: '/opt/c/chrome' }, '/cache/chrome', only('/opt/c/chrome', '/usr/bin/chromium'));
    assert.equal(found, '/opt/c/chrome');
  });

  it('falls back to Debian\'s chromium, then to Playwright\'s cache', () => {
    assert.equal(findChromium({ CHROMIUM_PATH: '/missing' }, '/cache/chrome', only('/usr/bin/chromium')), '/usr/bin/chromium');
    assert.equal(findChromium({}, '/cache/chrome', only('/cache/chrome')), '/cache/chrome');
  });

  it('finds none when nothing exists, and the message says in one line how to get one', () => {
    assert.equal(findChromium({}, null, only()), null);
    assert.ok(!NO_BROWSER.includes('\n'));
    assert.match(NO_BROWSER, /apt-get install -y chromium/);
    assert.match(NO_BROWSER, /CHROMIUM_PATH/);
  });
});
