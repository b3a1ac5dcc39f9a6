import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serve, type Served } from '../support/http.js';
import { TARGET_KINDS, targetListener, type TargetKind } from './targets.js';
import { load, seedClientPaths, TIME_PATH } from './throughput.js';

// The throughput comparison is only fair when every server sends the same bytes.
describe('the throughput targets', () => {
  const kinds = TARGET_KINDS;
  const served = new Map<TargetKind, Served>();
  before(async () => {
    for (const kind of kinds) served.set(kind, await serve(targetListener(kind)));
  });
  after(async () => {
    for (const s of served.values()) await s.close();
  });

  for (const kind of kinds) {
    it(`${kind} answers the widget's request with the same JSONP body shape`, async () => {
      const res = await fetch(served.get(kind)!.url + TIME_PATH);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
      const body = (await res.text()).replace(/"t":\d+/, '"t":0');
      assert.equal(body, `/**/ typeof crossclock.t === 'function' && crossclock.t({"t":0,"tz":"UTC","offset":0});`);
    });
  }

  it('raw refuses a callback that is not a dotted name', async () => {
    const res = await fetch(served.get('raw')!.url + '/v1/time?callback=' + encodeURIComponent('alert(1)//'));
    assert.equal(res.status, 400);
  });
});

describe('the seed client row of the throughput bench', () => {
  it('sends requests shaped like jQuery\'s, never the same name twice in a row, and each is answered', async () => {
    const seen: string[] = [];
    const ours = targetListener('ours');
    const served = await serve((req, res) => {
      seen.push(req.url ?? '');
      ours(req, res);
    });
    try {
      const sample = await load(served.url, 1, 1, null, seedClientPaths());
      assert.equal(sample.errors, 0);
      assert.ok(seen.length > 50, `only ${seen.length} requests`);
      assert.equal(new Set(seen).size, 8);
      for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1]);
      for (const url of seen) assert.match(url, /^\/getTime\?callback=jQuery\d+_\d+&_=\d+$/);
    } finally {
      await served.close();
    }
  });
});
