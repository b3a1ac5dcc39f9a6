import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineRow, renderBlock, renderSummary, rowsIn, summaryRow } from '../engines/browsers-doc.js';
import { plan } from '../engines/engine.js';
import { zoneAtHour } from '../engines/features/zones.js';
import { findFirefox, NO_FIREFOX } from '../engines/firefox.js';
import { findWebKit, NO_WEBKIT } from '../engines/webkit.js';
import { findMooTools, NO_MOOTOOLS } from '../support/host-libraries.js';

const only = (...present: string[]) => (p: string) => present.includes(p);
const LIB = () => ['/usr/lib/x86_64-linux-gnu'];
const MINI = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

describe('finding the engines for the cross-engine suite', () => {
  it('Firefox: FIREFOX_PATH first, then Debian\'s firefox-esr, then firefox', () => {
    assert.equal(findFirefox({ FIREFOX_PATH: '/opt/ff' }, only('/opt/ff', '/usr/bin/firefox-esr')), '/opt/ff');
    assert.equal(findFirefox({ FIREFOX_PATH: '/missing' }, only('/usr/bin/firefox-esr', '/usr/bin/firefox')), '/usr/bin/firefox-esr');
    assert.equal(findFirefox({}, only('/usr/bin/firefox')), '/usr/bin/firefox');
    assert.equal(findFirefox({}, only()), null);
  });

  it('WebKit: needs the driver, MiniBrowser, and Xvfb unless a display is given', () => {
    const all = only('/usr/bin/WebKitWebDriver', MINI, '/usr/bin/Xvfb');
    assert.deepEqual(findWebKit({}, all, LIB), { driver: '/usr/bin/WebKitWebDriver', miniBrowser: MINI, xvfb: '/usr/bin/Xvfb' });
    assert.deepEqual(findWebKit({ DISPLAY: ':0' }, only('/usr/bin/WebKitWebDriver', MINI), LIB), { driver: '/usr/bin/WebKitWebDriver', miniBrowser: MINI, xvfb: null });
    assert.equal(findWebKit({}, only('/usr/bin/WebKitWebDriver', MINI), LIB), null);
    assert.equal(findWebKit({}, only(MINI, '/usr/bin/Xvfb'), LIB), null);
    assert.equal(findWebKit({}, only('/usr/bin/WebKitWebDriver', '/usr/bin/Xvfb'), LIB), null);
  });

  it('MooTools: MOOTOOLS_DIR first, then Debian\'s libjs-mootools, Core and More both there', () => {
    const debian = '/usr/share/javascript/mootools';
    const both = (dir: string) => only(`${dir}/mootools-core.min.js`, `${dir}/mootools-more.min.js`);
    assert.equal(findMooTools({ MOOTOOLS_DIR: '/opt/moo' }, both('/opt/moo')), '/opt/moo');
    assert.equal(findMooTools({}, both(debian)), debian);
    assert.equal(findMooTools({ MOOTOOLS_DIR: '/opt/moo' }, both(debian)), debian);
    assert.equal(findMooTools({}, only(`${debian}/mootools-core.min.js`)), null);
  });

  it('says in one line how to install a missing engine or library', () => {
    for (const line of [NO_FIREFOX, NO_WEBKIT, NO_MOOTOOLS]) assert.ok(!line.includes('\n'));
    assert.match(NO_MOOTOOLS, /apt-get install -y libjs-mootools/);
    assert.match(NO_FIREFOX, /apt-get install -y firefox-esr/);
    assert.match(NO_WEBKIT, /apt-get install -y webkit2gtk-driver xvfb/);
  });

  it('skips a missing engine on a developer\'s machine and fails it under CI', () => {
    assert.deepEqual(plan(null, { CI: 'true' }), { run: true });
    assert.deepEqual(plan(NO_FIREFOX, {}), { skip: NO_FIREFOX });
    assert.deepEqual(plan(NO_FIREFOX, { CI: 'false' }), { skip: NO_FIREFOX });
    assert.deepEqual(plan(NO_FIREFOX, { CI: 'true' }), { fail: `CI must run every engine and test: ${NO_FIREFOX}` });
  });
});

describe('the zone where it is now a given hour', () => {
  it('names the Etc zone whose local hour is the one asked for, at every UTC hour', () => {
    for (let utc = 0; utc < 24; utc++) {
      for (const hour of [0, 12]) {
        const zone = zoneAtHour(hour, utc);
        const at = new Date(Date.UTC(2026, 0, 1, utc, 30));
        const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(at);
        assert.equal(Number(local), hour, `${zone} at ${utc}:30 UTC`);
      }
    }
  });
});

describe('docs/browsers.md table', () => {
  it('writes one row per engine with its version and the features that passed, and reads it back', () => {
    const rows = {
      chromium: engineRow({ engine: 'chromium', version: '156.0.8078.108', features: ['a', 'b'] }),
      firefox: engineRow({ engine: 'firefox', version: '153.7.0', features: ['a'] }),
      webkit: engineRow({ engine: 'webkit', version: '2.50.6', features: [] }),
    };
    assert.equal(rows.chromium, '| Chromium | Playwright | 156 | a; b |');
    const block = renderBlock(rows, [{ name: 'a', tests: [{ title: 't', todo: 'later', run: async () => {} }] }]);
    assert.deepEqual(rowsIn(block), rows);
    assert.match(rows.firefox, /^\| Firefox ESR \| [^|]+\| 153 \| a \|$/);
    assert.match(rows.webkit, /^\| WebKitGTK [^|]+\| [^|]+\| 2\.50 \|  \|$/);
    assert.match(block, /^- pending in every engine: a: t: later$/m);
  });
});

describe("the README's browser-support table", () => {
  it('says per engine its release line and whether every feature passed', () => {
    const rows = {
      chromium: summaryRow({ engine: 'chromium', version: '156.0.8078.108', features: ['a', 'b'] }, 2),
      firefox: summaryRow({ engine: 'firefox', version: '153.7.0', features: ['a'] }, 2),
      webkit: summaryRow({ engine: 'webkit', version: '2.50.6', features: [] }, 2),
    };
    assert.equal(rows.chromium, '| Chromium (Chrome, Edge) | 156 | all 2 features of the cross-engine suite |');
    assert.match(rows.firefox, /^\| Firefox ESR \| 153 \| 1 of 2 features /);
    assert.match(rows.webkit, /^\| WebKitGTK [^|]+\| 2\.50 \| 0 of 2 features /);
    const block = renderSummary(rows);
    assert.equal(block.split('\n').filter((l) => l.startsWith('|')).length, 5);
  });
});
