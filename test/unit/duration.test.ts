import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { durationFormat, durationParts, isoDuration, parseInstant, type IntlWithDuration } from '../../widget/src/duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('durationParts', () => {
  it('splits into days, hours, minutes and seconds', () => {
    assert.deepEqual(durationParts(2 * D + 3 * H + 4 * M + 5 * S, true), [2, 3, 4, 5]);
    assert.deepEqual(durationParts(59 * S, true), [0, 0, 0, 59]);
  });

  it('rounds up to the second: the last second reads 1, and 0 only at the instant', () => {
    assert.deepEqual(durationParts(4 * M + 4 * S + 1, true), [0, 0, 4, 5]);
    assert.deepEqual(durationParts(1, true), [0, 0, 0, 1]);
    assert.deepEqual(durationParts(0, true), [0, 0, 0, 0]);
  });

  it('counts the past as zero', () => {
    assert.deepEqual(durationParts(-5 * H, true), [0, 0, 0, 0]);
  });

  it('rounds up to the minute when seconds are hidden, so the text changes once a minute, and leaves the seconds out', () => {
    assert.deepEqual(durationParts(3 * H + 4 * M + 5 * S, false), [0, 3, 5]);
    assert.deepEqual(durationParts(3 * H + 4 * M, false), [0, 3, 4]);
    assert.deepEqual(durationParts(1 * S, false), [0, 0, 1]);
    assert.deepEqual(durationParts(23 * H + 59 * M + 1, false), [1, 0, 0]);
    assert.deepEqual(durationParts(-5 * H, false), [0, 0, 0]);
  });

  it('keeps whole days for deadlines months away', () => {
    assert.deepEqual(durationParts(400 * D + 1 * S, true), [400, 0, 0, 1]);
  });
});

describe('isoDuration', () => {
  it('writes days, hours, minutes and seconds as the text shows them', () => {
    assert.equal(isoDuration([2, 3, 4, 5]), 'P2DT3H4M5S');
  });

  it('leaves out days under a day but keeps hours and minutes, like HH:MM:SS', () => {
    assert.equal(isoDuration([0, 0, 4, 5]), 'PT0H4M5S');
    assert.equal(isoDuration([0, 0, 0, 0]), 'PT0H0M0S');
  });

  it('leaves out seconds when they are hidden (the parts have none)', () => {
    assert.equal(isoDuration([2, 3, 5]), 'P2DT3H5M');
    assert.equal(isoDuration([0, 0, 0]), 'PT0H0M');
  });

  it('is a valid HTML duration string', () => {
    // HTML's "duration string" grammar (days, then T with hours, minutes, seconds).
    const html = /^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/;
    for (const p of [[2, 3, 4, 5], [0, 0, 0, 0], [400, 23, 59, 59], [2, 3, 5]]) assert.match(isoDuration(p), html);
  });
});

/** Makes the global `Intl.DurationFormat`, which `durationFormat` reads, `value` for the suite it is called in. */
function stubDurationFormat(value: IntlWithDuration['DurationFormat']) {
  const intl = Intl as IntlWithDuration;
  const own = Object.getOwnPropertyDescriptor(intl, 'DurationFormat');
  before(() => {
    intl.DurationFormat = value;
  });
  after(() => {
    if (own) Object.defineProperty(intl, 'DurationFormat', own);
    else delete intl.DurationFormat;
  });
}

describe('durationFormat without Intl.DurationFormat (the compact fallback)', () => {
  // Node 20 has no Intl.DurationFormat; pin that so this suite keeps testing the fallback.
  stubDurationFormat(undefined);

  it('shows HH:MM:SS under a day', () => {
    assert.equal(durationFormat('en', true)([0, 3, 4, 5]), '03:04:05');
    assert.equal(durationFormat('en', true)([0, 0, 0, 0]), '00:00:00');
  });

  it('puts days first above a day', () => {
    assert.equal(durationFormat('en', true)([2, 3, 4, 5]), '2d 03:04:05');
  });

  it('drops the seconds when hidden', () => {
    assert.equal(durationFormat('en', false)([2, 3, 5]), '2d 03:05');
    assert.equal(durationFormat('en', false)([0, 0, 0]), '00:00');
  });
});

describe('durationFormat with Intl.DurationFormat', () => {
  // A stand-in that records what the formatter is asked for; the real one is checked in the e2e tests.
  let calls: { locale: string | undefined; options: object; formatted: object[] }[] = [];
  class DurationFormat {
    formatted: object[] = [];
    constructor(locale: string | undefined, options: object) {
      calls.push({ locale, options, formatted: this.formatted });
    }
    format(d: object) {
      this.formatted.push(d);
      return 'formatted';
    }
  }
  stubDurationFormat(DurationFormat);
  const recording = () => {
    calls = [];
    return { calls };
  };

  it('asks for digital style, two-digit hours and the locale given, and passes every part', () => {
    const { calls } = recording();
    assert.equal(durationFormat('de-DE', true)([2, 3, 4, 5]), 'formatted');
    assert.deepEqual(calls, [
      { locale: 'de-DE', options: { style: 'digital', hours: '2-digit', secondsDisplay: 'always' }, formatted: [{ days: 2, hours: 3, minutes: 4, seconds: 5 }] },
    ]);
  });

  it('lets it leave out the zero seconds when they are hidden', () => {
    const { calls } = recording();
    durationFormat(undefined, false)([0, 3, 5]);
    assert.equal((calls[0].options as { secondsDisplay: string }).secondsDisplay, 'auto');
    assert.deepEqual(calls[0].formatted, [{ days: 0, hours: 3, minutes: 5, seconds: undefined }]);
  });
});

describe('parseInstant', () => {
  it('reads instants with Z or an explicit offset, seconds and fractions optional', () => {
    assert.equal(parseInstant('2026-12-31T23:00:00Z'), Date.UTC(2026, 11, 31, 23));
    assert.equal(parseInstant('2026-12-31T23:00Z'), Date.UTC(2026, 11, 31, 23));
    assert.equal(parseInstant('2027-01-01T00:00:00+01:00'), Date.UTC(2026, 11, 31, 23));
    assert.equal(parseInstant('2026-12-31T18:30:00.250-04:30'), Date.UTC(2026, 11, 31, 23, 0, 0, 250));
  });

  it("reads the microseconds and nanoseconds servers write, to the millisecond (Python's isoformat, Go's RFC 3339)", () => {
    assert.equal(parseInstant('2026-12-31T23:00:00.1Z'), Date.UTC(2026, 11, 31, 23, 0, 0, 100));
    assert.equal(parseInstant('2026-12-31T23:00:00.123456+00:00'), Date.UTC(2026, 11, 31, 23, 0, 0, 123));
    assert.equal(parseInstant('2026-12-31T23:00:00.999999999Z'), Date.UTC(2026, 11, 31, 23, 0, 0, 999));
  });

  it('reads them itself where a library replaced Date.parse (Datejs answers null, MooTools More a Date)', (t) => {
    for (const replacement of [() => null, (v: string) => new Date(v)]) {
      t.mock.method(Date, 'parse', replacement);
      assert.equal(parseInstant('2027-01-01T00:00:00+01:00'), Date.UTC(2026, 11, 31, 23));
      t.mock.restoreAll();
    }
  });

  for (const bad of [
    '2026-12-31T23:00:00', // no zone: would be the device's local time
    '2026-12-31',
    '2026-12-31 23:00:00Z',
    '2026-12-31T23:00:00+0100',
    '2026-12-31T23:00:00.1234567890Z', // more decimals than any clock writes
    '2026-12-31T23:00:00.Z',
    '2026-02-30T00:00:00Z', // no such day
    '2026-13-01T00:00:00Z',
    '2026-12-31T23:60:00Z',
    '2026-12-31T23:59:60Z', // a leap second: WebKit's Date would take it as the next minute
    'tomorrow',
    '',
    ' 2026-12-31T23:00:00Z',
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.ok(Number.isNaN(parseInstant(bad))));
  }

  for (const bad of [1798758000000, new Date(0), null, undefined, ['2026-12-31T23:00:00Z']]) {
    it(`rejects the non-string ${String(bad)}`, () => assert.ok(Number.isNaN(parseInstant(bad))));
  }
});
