import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REQUEST_ID } from '../../server/time-routes.js';
import { createClock, JUMP_MS, requestId, serverTime } from '../../widget/src/clock.js';

const SERVER = Date.UTC(2026, 0, 1, 12);

/** A clock over fake time sources; the device's wall clock runs 5 minutes slow. */
function fakeClock() {
  const t = { perf: 1000, wall: SERVER - 300_000 };
  const [now, add, detail, jumped] = createClock(
    () => t.wall,
    () => t.perf,
  );
  return { t, now, add, detail, jumped };
}

describe('clock model', () => {
  it('shows the local wall clock until the first exchange', () => {
    const { t, now, detail } = fakeClock();
    assert.equal(detail(), undefined);
    assert.equal(now(), t.wall);
  });

  it('assumes the server read its clock half-way through the round trip', () => {
    const { t, now, add, detail } = fakeClock();
    assert.equal(add(1000, 1100, SERVER), true);
    // At receipt (perf 1100) the server's clock has moved on by half the 100 ms round trip.
    t.perf = 1100;
    assert.equal(now(), SERVER + 50);
    assert.equal(detail()!.uncertainty, 50);
    assert.equal(detail()!.rtt, 100);
  });

  it('keeps counting on the monotonic clock between exchanges', () => {
    const { t, now, add } = fakeClock();
    add(1000, 1000, SERVER);
    t.perf += 61_000;
    // The wall clock being set meanwhile changes nothing by itself (see `jumped` below).
    t.wall += 3_600_000;
    assert.equal(now(), SERVER + 61_000);
  });

  it('keeps the exchange with the lowest round trip', () => {
    const { t, now, add } = fakeClock();
    add(0, 40, SERVER);
    assert.equal(add(100, 300, SERVER + 5000), false);
    assert.equal(add(400, 410, SERVER + 405), true);
    t.perf = 410;
    assert.equal(now(), SERVER + 410);
  });

  it('accepts a fresh burst whatever its round trip, without falling back to the local clock meanwhile', () => {
    const { t, now, add, detail } = fakeClock();
    add(0, 10, SERVER);
    t.perf = 10;
    assert.equal(now(), SERVER + 5);
    assert.equal(add(100, 300, SERVER + 1000, true), true);
    assert.equal(detail()!.rtt, 200);
  });

  it('measures the offset from the device clock', () => {
    const { t, add, detail } = fakeClock();
    t.perf = 10;
    add(0, 10, SERVER - 5);
    assert.equal(detail()!.offset, 300_000);
  });

  it('ignores an exchange whose round trip is negative or whose answer was not a time', () => {
    const { add, detail } = fakeClock();
    assert.equal(add(10, 5, SERVER), false);
    assert.equal(add(10, 20, 0), false);
    assert.equal(detail(), undefined);
  });

  describe('when the device sleeps', () => {
    it('reports the wall clock jumping past the monotonic one, once', () => {
      const { t, jumped } = fakeClock();
      // An hour asleep: the wall clock moved on, the monotonic clock stood still.
      t.wall += 3_600_000;
      assert.equal(jumped(), true);
      assert.equal(jumped(), false);
    });

    it('is right again at once after a sleep, before any resync', () => {
      const { t, now, add, jumped } = fakeClock();
      add(1000, 1000, SERVER);
      // An hour asleep: the monotonic clock stood still, so without the jump `now` would lag by the hour.
      t.wall += 3_600_000;
      assert.equal(jumped(), true);
      assert.equal(now(), SERVER + 3_600_000);
      // Checked again without a jump: nothing moves twice.
      assert.equal(jumped(), false);
      assert.equal(now(), SERVER + 3_600_000);
    });

    it('moves nothing when the wall clock is set back', () => {
      const { t, now, add, jumped } = fakeClock();
      add(1000, 1000, SERVER);
      t.wall -= 3_600_000;
      // Reported, for a resync, but no sleep makes the wall clock fall behind.
      assert.equal(jumped(), true);
      assert.equal(now(), SERVER);
    });

    it('takes timer noise below the threshold for no jump', () => {
      const { t, jumped } = fakeClock();
      t.wall += 1000 + JUMP_MS;
      t.perf += 1000;
      assert.equal(jumped(), false);
    });
  });
});

describe('time payload validation', () => {
  it('takes the epoch ms of a /v1/time payload answering the request', () => {
    assert.equal(serverTime({ t: SERVER, tz: 'UTC', offset: 0, id: '42' }, '42'), SERVER);
  });

  for (const [what, payload] of [
    ["another request's answer (a stale one a cache kept)", { t: SERVER, tz: 'UTC', offset: 0, id: '41' }],
    ['an answer without an id', { t: SERVER, tz: 'UTC', offset: 0 }],
    ['an error payload', { error: { code: 'invalid_tz', message: 'x' }, id: '42' }],
    ['a string time', { t: String(SERVER), id: '42' }],
    ['seconds instead of milliseconds', { t: SERVER / 1000, id: '42' }],
    ['NaN', { t: NaN, id: '42' }],
    ['null', null],
    ['a number', 5],
  ] as const) {
    it(`rejects ${what}`, () => assert.equal(serverTime(payload, '42'), 0));
  }
});

describe('request ids', () => {
  it('are new every time, and what the server accepts as an id', () => {
    const ids = new Set(Array.from({ length: 1000 }, requestId));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, REQUEST_ID);
  });

  it('stay new where the page made Math.random repeat itself (a seeded generator), as time goes on', (t) => {
    t.mock.method(Math, 'random', () => 0.25);
    t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 10, 27) });
    const ids = Array.from({ length: 3 }, () => (t.mock.timers.tick(1), requestId()));
    assert.equal(new Set(ids).size, 3);
  });

  it('stay digits where a library made Date.now answer a Date (Datejs does)', (t) => {
    t.mock.method(Date, 'now', () => new Date());
    assert.match(requestId(), REQUEST_ID);
    assert.match(requestId(), /^\d+$/);
  });

  // The standalone client puts them in callback names (`crossclock.j.c<id>`).
  for (const r of [1e-7, 2 ** -52, 0.5, 0.999999999999]) {
    it(`are digits only, also from a random ${r}`, (t) => {
      t.mock.method(Math, 'random', () => r);
      assert.match(requestId(), /^\d+$/);
    });
  }
});
