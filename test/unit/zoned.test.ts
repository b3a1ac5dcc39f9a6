import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// The configurator's plain-JavaScript module, as the build copies it beside the server.
const { zonedInstant } = (await import(new URL('../../server/configurator/zoned.js', import.meta.url).href)) as {
  zonedInstant: (local: string, tz?: string) => string | null;
};

describe("the configurator's countdown instant: a date and time on a zone's clocks", () => {
  it("is written with that zone's offset then, summer or winter", () => {
    assert.equal(zonedInstant('2031-07-01T12:00', 'Europe/Berlin'), '2031-07-01T12:00:00+02:00');
    assert.equal(zonedInstant('2031-01-01T12:00', 'Europe/Berlin'), '2031-01-01T12:00:00+01:00');
    assert.equal(zonedInstant('2031-06-01T12:00:30', 'Asia/Kathmandu'), '2031-06-01T12:00:30+05:45');
    assert.equal(zonedInstant('2031-06-01T12:00', 'UTC'), '2031-06-01T12:00:00Z');
  });

  describe('a time that a spring-forward change skips is the instant just after the gap, as the clocks then read', () => {
    for (const [local, tz, instant] of [
      ['2031-03-09T02:30', 'America/New_York', '2031-03-09T03:30:00-04:00'],
      ['2031-03-09T02:00', 'America/Los_Angeles', '2031-03-09T03:00:00-07:00'],
      // Brazil's old midnight change: the skipped hour is the first of the day.
      ['2018-11-04T00:30', 'America/Sao_Paulo', '2018-11-04T01:30:00-02:00'],
      ['2031-03-30T02:30', 'Europe/Berlin', '2031-03-30T03:30:00+02:00'],
      // Lord Howe Island moves its clocks by half an hour.
      ['2031-10-05T02:15', 'Australia/Lord_Howe', '2031-10-05T02:45:00+11:00'],
    ]) {
      it(`${local} in ${tz}`, () => assert.equal(zonedInstant(local, tz), instant));
    }
  });

  describe('a time that a fall-back change repeats is its first occurrence, west and east of UTC alike', () => {
    for (const [local, tz, instant] of [
      ['2031-11-02T01:30', 'America/New_York', '2031-11-02T01:30:00-04:00'],
      ['2031-10-26T02:30', 'Europe/Berlin', '2031-10-26T02:30:00+02:00'],
    ]) {
      it(`${local} in ${tz}`, () => assert.equal(zonedInstant(local, tz), instant));
    }
  });

  it('reads the years 0 to 99 as such, not as 1900 to 1999', () => {
    assert.equal(zonedInstant('0099-01-01T00:00', 'UTC'), '0099-01-01T00:00:00Z');
  });

  it('writes an instant in UTC where the offset is not whole minutes (local mean time), which data-until cannot spell', () => {
    assert.equal(zonedInstant('1960-01-01T00:00', 'Africa/Monrovia'), '1960-01-01T00:44:30Z');
  });

  it('is null for what is not a date and time', () => {
    assert.equal(zonedInstant('2031-02-30T00:00', 'UTC'), null);
    assert.equal(zonedInstant('soon', 'UTC'), null);
  });
});
