import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Show } from '../../widget/src/badge.js';
import { countdown } from '../../widget/src/countdown.js';
import type { RawOptions } from '../../widget/src/options.js';

const UNTIL = Date.UTC(2026, 11, 31, 23);
const SYNCED = { offset: 0, rtt: 10, uncertainty: 5 };

/** A countdown render over a fake `show`, recording what the badge would show each tick. */
function mount(raw: RawOptions) {
  const warnings: string[] = [];
  const shown: Parameters<Show>[] = [];
  const render = countdown({ locale: 'en', ...raw }, (w) => warnings.push(w))((...a) => void shown.push(a));
  return { render, shown, warnings, last: () => shown[shown.length - 1] };
}

describe('countdown badge', () => {
  it('shows the time left until the instant and its ISO duration', () => {
    const { render, last } = mount({ until: '2026-12-31T23:00:00Z' });
    render(UNTIL - (2 * 86400 + 3 * 3600 + 4 * 60 + 5) * 1000, 'synced', SYNCED);
    assert.match(last()[1]!, /^2\D+03:04:05$/);
    assert.deepEqual([last()[0], last()[2]], ['synced', 'P2DT3H4M5S']);
  });

  it('shows dashes and no duration until the clock has synced, whatever the device clock says', () => {
    const { render, last } = mount({ until: '2026-12-31T23:00:00Z' });
    // No instant to wake for or announce before the sync: the ticker just keeps the second.
    assert.equal(render(UNTIL + 5000, 'syncing', undefined), undefined);
    assert.deepEqual(last(), ['syncing', '--:--', '']);
    render(UNTIL + 5000, 'offline', undefined);
    assert.deepEqual(last(), ['offline', '--:--', '']);
  });

  it('returns its instant while ahead, so the ticker can wake for it', () => {
    const { render } = mount({ until: '2026-12-31T23:00:00.437Z' });
    assert.equal(render(UNTIL - 1000, 'synced', SYNCED), UNTIL + 437);
  });

  it('ends at the instant: zero, state ended, and its instant returned on that tick only', () => {
    const { render, shown, last } = mount({ until: '2026-12-31T23:00:00Z' });
    render(UNTIL - 1, 'synced', SYNCED);
    assert.deepEqual(last(), ['synced', '00:00:01', 'PT0H0M1S']);
    assert.equal(render(UNTIL, 'synced', SYNCED), UNTIL);
    assert.deepEqual(last(), ['ended', '00:00:00', 'PT0H0M0S']);
    const count = shown.length;
    // Later ticks, a resync that moves the clock back, going offline: it stays ended, silently,
    // the state alone shown again (the host's `data-state`, which a morph may have removed).
    assert.equal(render(UNTIL + 1000, 'synced', SYNCED), undefined);
    assert.equal(render(UNTIL - 3000, 'synced', SYNCED), undefined);
    assert.equal(render(UNTIL + 2000, 'offline', SYNCED), undefined);
    assert.deepEqual(shown.slice(count), [['ended'], ['ended'], ['ended']]);
  });

  it('ends at once when the instant is already past', () => {
    const { render, last } = mount({ until: '2020-01-01T00:00:00Z' });
    assert.equal(render(UNTIL, 'synced', SYNCED), Date.UTC(2020, 0, 1));
    assert.deepEqual(last(), ['ended', '00:00:00', 'PT0H0M0S']);
  });

  it('shows the host’s ended text at the end', () => {
    const { render, last } = mount({ until: '2026-12-31T23:00:00Z', ended: 'Sale over' });
    render(UNTIL, 'synced', SYNCED);
    assert.deepEqual(last(), ['ended', 'Sale over', 'PT0H0M0S']);
  });

  it('warns about an ended text over 80 characters and shows zero instead', () => {
    const { render, last, warnings } = mount({ until: '2026-12-31T23:00:00Z', ended: 'x'.repeat(81) });
    assert.deepEqual(warnings, ['bad ended ' + 'x'.repeat(81)]);
    render(UNTIL, 'synced', SYNCED);
    assert.equal(last()[1], '00:00:00');
  });

  it('hides seconds on request and then changes once a minute', () => {
    const { render, last } = mount({ until: '2026-12-31T23:00:00Z', seconds: 'false' });
    render(UNTIL - (3 * 3600 + 4 * 60 + 5) * 1000, 'synced', SYNCED);
    assert.deepEqual(last().slice(1), ['03:05', 'PT3H5M']);
    render(UNTIL - (3 * 3600 + 4 * 60) * 1000, 'synced', SYNCED);
    assert.deepEqual(last().slice(1), ['03:04', 'PT3H4M']);
  });

  it('hides seconds for any case of false, as the clock does, and leaves the warning about other words to the clock options', () => {
    const { render, last, warnings } = mount({ until: '2026-12-31T23:00:00Z', seconds: 'False' });
    render(UNTIL - (3 * 3600 + 4 * 60 + 5) * 1000, 'synced', SYNCED);
    assert.deepEqual(last().slice(1), ['03:05', 'PT3H5M']);
    // parseOptions reads the same options first and warns once; a second warning here would double it.
    const off = mount({ until: '2026-12-31T23:00:00Z', seconds: 'off' });
    off.render(UNTIL - 5000, 'synced', SYNCED);
    assert.deepEqual([off.last()[1], [...warnings, ...off.warnings]], ['00:00:05', []]);
  });

  for (const until of ['2026-12-31T23:00:00', 'tomorrow', '', 1798758000000]) {
    it(`refuses until=${JSON.stringify(until)} with the warning to print`, () => {
      assert.throws(() => mount({ until }), (e) => e === 'bad until ' + until);
    });
  }
});
