import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect, createScriptPolicy, type PolicyFactory, type ScriptPolicy, type TrustWindow } from '../../widget/src/trusted.js';

/** A `<script>` element as `connect` sees it: its `src` and `nonce`. */
const script = (src = '', nonce = '') => ({ src, nonce }) as HTMLScriptElement;

/** A fake `trustedTypes` that allows the names in `allowed`, once each, as a CSP would. */
function fakeTrustedTypes(allowed = ['crossclock']) {
  const created: string[] = [];
  const factory: PolicyFactory = {
    createPolicy(name, rules) {
      if (!allowed.includes(name)) throw new TypeError(`Policy "${name}" disallowed.`);
      if (created.includes(name)) throw new TypeError(`Policy with name "${name}" already exists.`);
      created.push(name);
      return { createScriptURL: (url: string) => `trusted:${rules.createScriptURL(url)}` };
    },
  };
  return { factory, created };
}

function setup(trustedTypes?: PolicyFactory) {
  const warnings: unknown[] = [];
  const w: TrustWindow = { trustedTypes };
  return { w, warnings, warn: (m: unknown) => void warnings.push(m) };
}

const OURS = 'https://clock.example';

/** Every src is the URL its script was fetched from, as on a page without `<base>`. */
const fetched = () => true;

describe('the crossclock script policy', () => {
  const policy: ScriptPolicy = createScriptPolicy(undefined, OURS + '/v1/');

  it('passes URLs on our server', () => {
    assert.equal(policy.createScriptURL(OURS + '/v1/time?callback=crossclock.j.c1'), OURS + '/v1/time?callback=crossclock.j.c1');
  });

  for (const url of [
    'https://evil.example/v1/time?',
    'https://clock.example.evil.example/v1/time?',
    'https://clock.example@evil.example/v1/',
    '//evil.example/v1/',
    '/v1/time?',
    `https://evil.example/?${OURS}/v1/`,
  ]) {
    it(`turns ${url} into an empty URL, which loads nothing`, () => {
      assert.equal(policy.createScriptURL(url), '');
    });
  }

  it('is a real Trusted Types policy named crossclock where the page has them', () => {
    const { factory, created } = fakeTrustedTypes();
    const p = createScriptPolicy(factory, OURS + '/v1/');
    assert.deepEqual(created, ['crossclock']);
    assert.equal(p.createScriptURL(OURS + '/v1/x'), `trusted:${OURS}/v1/x`);
    assert.equal(p.createScriptURL('https://evil.example/v1/x'), 'trusted:');
  });
});

describe('connect: where the bundle sends its requests', () => {
  it('uses the URL the loader was pasted with, and the nonce of its script', () => {
    const { w, warn } = setup();
    const link = connect({ u: OURS + '/v1/', s: script('', 'n0nce') }, 'https://baked.example/v1/', null, fetched, w, warn);
    assert.equal(link?.[0], OURS + '/v1/');
    assert.equal(link?.[2], 'n0nce');
  });

  it('uses the baked-in URL over its own tag', () => {
    const { w, warn } = setup();
    const link = connect({}, OURS + '/v1/', script('https://cdn.example/v1/crossclock.js', 'n0nce'), fetched, w, warn);
    assert.equal(link?.[0], OURS + '/v1/');
    assert.equal(link?.[2], 'n0nce');
  });

  it('works with no current script when the URL is baked in', () => {
    const { w, warn, warnings } = setup();
    assert.equal(connect({}, OURS + '/v1/', null, fetched, w, warn)?.[0], OURS + '/v1/');
    assert.deepEqual(warnings, []);
  });

  it('without a baked URL, trusts the src of the running script', () => {
    const { w, warn } = setup();
    const hashed = connect({}, '', script(OURS + '/v1/crossclock.0123456789abcdef.js', 'n0nce'), fetched, w, warn);
    assert.deepEqual(hashed?.[0], OURS + '/v1/');
    assert.equal(hashed?.[2], 'n0nce');
  });

  it("without a baked URL, trusts a <script> of another realm too (a parent page's, appended into a friendly iframe)", () => {
    const { w, warn } = setup();
    // Nothing like `instanceof HTMLScriptElement` is asked of it: that would be the parent's class.
    const foreign = Object.create(null, { src: { value: OURS + '/v1/crossclock.js' }, nonce: { value: '' } });
    assert.equal(connect({}, '', foreign, fetched, w, warn)?.[0], OURS + '/v1/');
  });

  it('without a baked URL, refuses a src that is not the URL its script was fetched from (a <base> parsed after the tag)', () => {
    const { w, warn, warnings } = setup();
    const asked: string[] = [];
    const notFetched = (src: string) => (asked.push(src), false);
    assert.equal(connect({}, '', script('https://evil.example/v1/crossclock.js'), notFetched, w, warn), undefined);
    assert.deepEqual(asked, ['https://evil.example/v1/crossclock.js']);
    assert.deepEqual(warnings, ['unknown server']);
  });

  it('asks nothing of the src when the loader or the baked URL names the server', () => {
    const { w, warn } = setup();
    const never = () => assert.fail('src checked');
    assert.equal(connect({ u: OURS + '/v1/' }, '', script('https://evil.example/v1/crossclock.js'), never, w, warn)?.[0], OURS + '/v1/');
    assert.equal(connect({}, OURS + '/v1/', script('https://evil.example/v1/crossclock.js'), never, w, warn)?.[0], OURS + '/v1/');
  });

  describe('without a baked URL, from a running script that names no server of ours', () => {
    for (const [what, running] of [
      ['nothing (a tag manager evaluating fetched code)', null],
      ["a tag manager's own script", script('https://tags.example/gtm.js?id=1')],
      ['an inline script', script('')],
      ['an SVG <script>, which has no src', { nonce: '' } as SVGScriptElement],
      ['a script of another scheme', script('javascript:crossclock.js')],
    ] as const) {
      it(`given ${what}: no link, one warning`, () => {
        const { w, warn, warnings } = setup();
        assert.equal(connect({}, '', running, fetched, w, warn), undefined);
        assert.deepEqual(warnings, ['unknown server']);
      });
    }
  });

  it('creates the policy once it knows the server, and warns once where the page forbids it', () => {
    const { factory } = fakeTrustedTypes([]);
    const { w, warn, warnings } = setup(factory);
    assert.equal(connect({}, OURS + '/v1/', null, fetched, w, warn), undefined);
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]), /Policy "crossclock" disallowed/);
  });
});
