import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClock } from '../../widget/src/clock.js';

/** Fake time sources: the device's wall clock runs 5 minutes slow. */
function sources() {
  const t = { perf: 1000, wall: Date.UTC(2026, 0, 1, 12) - 300_000 };
  return { t, src: { now: () => t.wall, performanceNow: () => t.perf } };
}

describe('clock model', () => {
  it('shows the local wall clock until the first exchange', () => {
    const { t, src } = sources();
    const clock = createClock(src);
    assert.equal(clock.synced(), false);
    assert.equal(clock.now(), t.wall);
  });

  it('assumes the server read its clock half-way through the round trip', () => {
    const { src } = sources();
    const clock = createClock(src);
    const server = Date.UTC(2026, 0, 1, 12);
    assert.equal(clock.add({ sent: 1000, received: 1100, server }), true);
    // At receipt (perf 1100) the server's clock has moved on by half the 100 ms round trip.
    src.performanceNow = () => 1100;
    assert.equal(clock.now(), server + 50);
    assert.equal(clock.uncertainty(), 50);
    assert.equal(clock.rtt(), 100);
  });

  it('keeps the exchange with the lowest round trip', () => {
    const { src } = sources();
    const clock = createClock(src);
    const server = Date.UTC(2026, 0, 1, 12);
    clock.add({ sent: 0, received: 40, server });
    assert.equal(clock.add({ sent: 100, received: 300, server: server + 5000 }), false);
    assert.equal(clock.add({ sent: 400, received: 410, server: server + 405 }), true);
    src.performanceNow = () => 410;
    assert.equal(clock.now(), server + 410);
  });

  it('measures the offset from the device clock', () => {
    const { t, src } = sources();
    const clock = createClock(src);
    t.perf = 10;
    clock.add({ sent: 0, received: 10, server: t.wall + 300_000 - 5 });
    assert.equal(clock.offset(), 300_000);
  });

  it('ignores an exchange whose round trip is negative', () => {
    const { src } = sources();
    const clock = createClock(src);
    assert.equal(clock.add({ sent: 10, received: 5, server: 1 }), false);
    assert.equal(clock.synced(), false);
  });
});
