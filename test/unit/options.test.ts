import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LABEL, parseOptions, type RawOptions } from '../../widget/src/options.js';

const AT = Date.UTC(2026, 6, 1, 13, 4, 5);

/** Parses `raw`, returning the options (by name) and the warnings given. */
function parse(raw: RawOptions) {
  const warnings: string[] = [];
  const [format, lang, unit, theme, label] = parseOptions(raw, (w) => warnings.push(w));
  return { o: { format, lang, unit, theme, label }, warnings };
}

describe('badge options', () => {
  it('defaults to seconds, the auto theme and no label', () => {
    const { o, warnings } = parse({});
    assert.match(o.format(AT), /\d:\d\d:\d\d/);
    assert.equal(o.theme, 'auto');
    assert.equal(o.label, undefined);
    assert.deepEqual(warnings, []);
  });

  it('shows the time in the requested zone, DST included', () => {
    const tokyo = parse({ tz: 'Asia/Tokyo', locale: 'en-GB' }).o;
    assert.equal(tokyo.format(AT), '22:04:05');
    // London is on summer time in July and on GMT in January.
    const london = parse({ tz: 'Europe/London', locale: 'en-GB' }).o;
    assert.equal(london.format(AT), '14:04:05');
    assert.equal(london.format(Date.UTC(2026, 0, 1, 13, 4, 5)), '13:04:05');
  });

  it('follows a DST change with the one formatter a badge keeps while the page stays open, a half-hour change too', () => {
    // [zone, the last second before the change (UTC), shown then, shown one second later].
    const changes = [
      ['Europe/Berlin', '2027-03-28T00:59:59Z', '01:59:59', '03:00:00'],
      ['Europe/London', '2026-10-25T00:59:59Z', '01:59:59', '01:00:00'],
      ['Australia/Lord_Howe', '2026-10-03T15:29:59Z', '01:59:59', '02:30:00'],
      ['Pacific/Chatham', '2026-09-26T13:59:59Z', '02:44:59', '03:45:00'],
    ];
    for (const [tz, before, then, after] of changes) {
      const { format } = parse({ tz, locale: 'en-GB' }).o;
      assert.deepEqual([format(Date.parse(before)), format(Date.parse(before) + 1000)], [then, after], tz);
    }
  });

  it('shows zones 30 and 45 minutes off the hour to the minute, and their minute without seconds', () => {
    assert.equal(parse({ tz: 'Asia/Kolkata', locale: 'en-GB' }).o.format(AT), '18:34:05');
    assert.equal(parse({ tz: 'Asia/Kathmandu', locale: 'en-GB' }).o.format(AT), '18:49:05');
    assert.equal(parse({ tz: 'Australia/Eucla', locale: 'en-GB', seconds: false }).o.format(AT), '21:49');
  });

  it('honours 12h and 24h whatever the locale', () => {
    assert.match(parse({ tz: 'UTC', locale: 'en-GB', format: '12h' }).o.format(AT), /^0?1:04:05\s?pm$/i);
    assert.equal(parse({ tz: 'UTC', locale: 'en-US', format: '24h' }).o.format(AT), '13:04:05');
  });

  // Any case: Django's and Jinja's templates write Python's `False`.
  for (const off of ['false', '0', 'no', false, 0, 'False', 'NO']) {
    it(`hides seconds for seconds=${JSON.stringify(off)}, the shown unit becoming the minute`, () => {
      const { o } = parse({ tz: 'UTC', locale: 'en-GB', seconds: off });
      assert.equal(o.format(AT), '13:04');
      assert.equal(o.unit, 60_000);
    });
  }

  it("names the language its text is in: the locale given, else the runtime's own, and its fallback for one it lacks", () => {
    assert.equal(parse({ locale: 'ar-EG' }).o.lang, 'ar-EG');
    assert.equal(parse({ locale: 'hi-IN-u-nu-deva' }).o.lang, 'hi-IN-u-nu-deva');
    const own = new Intl.DateTimeFormat().resolvedOptions().locale;
    assert.equal(parse({}).o.lang, own);
    // Klingon is a well-formed tag no runtime has data for: the text is in the fallback.
    assert.equal(parse({ locale: 'tlh' }).o.lang, own);
  });

  it('shows the second as its unit by default', () => {
    assert.equal(parse({}).o.unit, 1000);
  });

  it('reads data- attributes as given by an element dataset', () => {
    const { o } = parse({ tz: 'America/New_York', format: '12h', seconds: 'false', locale: 'en-US', theme: 'dark', label: 'NYC' });
    assert.match(o.format(AT), /^9:04\s?AM$/);
    assert.equal(o.theme, 'dark');
    assert.equal(o.label, 'NYC');
  });

  describe('with bad input', () => {
    it('warns and falls back to defaults for format, theme and label', () => {
      const { o, warnings } = parse({ tz: 'UTC', locale: 'en-GB', format: '13h', theme: 'neon', label: 'x'.repeat(MAX_LABEL + 1) });
      assert.equal(o.format(AT), '13:04:05');
      assert.equal(o.theme, 'auto');
      assert.equal(o.label, undefined);
      assert.deepEqual(warnings, ['bad format 13h', 'bad theme neon', 'bad label ' + 'x'.repeat(MAX_LABEL + 1)]);
    });

    it('warns about a seconds value that spells neither yes nor no, and keeps the seconds', () => {
      for (const v of ['off', 'none', 'hide', 'nope', 'false ']) {
        const { o, warnings } = parse({ tz: 'UTC', locale: 'en-GB', seconds: v });
        assert.equal(o.format(AT), '13:04:05');
        assert.deepEqual(warnings, ['bad seconds ' + v]);
      }
    });

    it('takes every spelling of yes for seconds, and none at all, without a warning', () => {
      for (const v of ['true', 'True', '1', 'yes', 'YES', true, 1, '', undefined]) {
        const { o, warnings } = parse({ tz: 'UTC', locale: 'en-GB', seconds: v });
        assert.equal(o.format(AT), '13:04:05', String(v));
        assert.deepEqual(warnings, [], String(v));
      }
    });

    it(`keeps a label of ${MAX_LABEL} characters`, () => {
      assert.equal(parse({ label: 'x'.repeat(MAX_LABEL) }).o.label, 'x'.repeat(MAX_LABEL));
    });

    it('warns about a label that is not text', () => {
      const { o, warnings } = parse({ label: 42 });
      assert.equal(o.label, undefined);
      assert.deepEqual(warnings, ['bad label 42']);
    });

    it('refuses an unknown zone with an error naming it, rather than showing another zone', () => {
      assert.throws(() => parse({ tz: 'Mars/Olympus' }), (e: Error) => e instanceof RangeError && /Mars\/Olympus/.test(e.message));
    });

    it('refuses a malformed locale', () => {
      assert.throws(() => parse({ locale: 'not a locale!' }), RangeError);
    });
  });
});
