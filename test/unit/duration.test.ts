import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { durationFormat, parseInstant, type IntlWithDuration } from '../../widget/src/duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

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
  /** The text and ISO duration of `ms` left. */
  const left = (ms: number, seconds = true) => durationFormat('en', seconds)(ms);

  it('splits into days, hours, minutes and seconds: HH:MM:SS under a day, days first above it', () => {
    assert.deepEqual(left(2 * D + 3 * H + 4 * M + 5 * S), ['2d 03:04:05', 'P2DT3H4M5S']);
    assert.deepEqual(left(3 * H + 4 * M + 5 * S), ['03:04:05', 'PT3H4M5S']);
    assert.deepEqual(left(59 * S), ['00:00:59', 'PT0H0M59S']);
  });

  it('rounds up to the second: the last second reads 1, and 0 only at the instant', () => {
    assert.deepEqual(left(4 * M + 4 * S + 1), ['00:04:05', 'PT0H4M5S']);
    assert.deepEqual(left(1), ['00:00:01', 'PT0H0M1S']);
    assert.deepEqual(left(0), ['00:00:00', 'PT0H0M0S']);
  });

  it('counts the past as zero', () => {
    assert.deepEqual(left(-5 * H), ['00:00:00', 'PT0H0M0S']);
    assert.deepEqual(left(-5 * H, false), ['00:00', 'PT0H0M']);
  });

  it('rounds up to the minute when seconds are hidden, so the text changes once a minute, and leaves them out', () => {
    assert.deepEqual(left(3 * H + 4 * M + 5 * S, false), ['03:05', 'PT3H5M']);
    assert.deepEqual(left(3 * H + 4 * M, false), ['03:04', 'PT3H4M']);
    assert.deepEqual(left(1 * S, false), ['00:01', 'PT0H1M']);
    assert.deepEqual(left(23 * H + 59 * M + 1, false), ['1d 00:00', 'P1DT0H0M']);
    assert.deepEqual(left(2 * D + 3 * H + 4 * M + 5 * S, false), ['2d 03:05', 'P2DT3H5M']);
  });

  it('keeps whole days for deadlines months away, and millennia away (year 9999)', () => {
    assert.deepEqual(left(400 * D + 1 * S), ['400d 00:00:01', 'P400DT0H0M1S']);
    assert.deepEqual(left(Date.UTC(9999, 11, 31, 23, 59, 59) - Date.UTC(2026, 0, 1)), ['2912442d 23:59:59', 'P2912442DT23H59M59S']);
  });

  it('writes a valid HTML duration string', () => {
    // HTML's "duration string" grammar (days, then T with hours, minutes, seconds).
    const html = /^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/;
    for (const ms of [2 * D + 3 * H + 4 * M + 5 * S, 0, 400 * D + 23 * H + 59 * M + 59 * S]) {
      assert.match(left(ms)[1], html);
      assert.match(left(ms, false)[1], html);
    }
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

  it('asks for digital style (seconds shown by default), two-digit hours and the locale given, and passes every part', () => {
    const { calls } = recording();
    assert.deepEqual(durationFormat('de-DE', true)(2 * D + 3 * H + 4 * M + 5 * S), ['formatted', 'P2DT3H4M5S']);
    assert.deepEqual(calls, [
      { locale: 'de-DE', options: { style: 'digital', hours: '2-digit', secondsDisplay: undefined }, formatted: [{ days: 2, hours: 3, minutes: 4, seconds: 5 }] },
    ]);
  });

  it('lets it leave out the seconds when they are hidden', () => {
    const { calls } = recording();
    assert.deepEqual(durationFormat(undefined, false)(3 * H + 4 * M + 5 * S), ['formatted', 'PT3H5M']);
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
