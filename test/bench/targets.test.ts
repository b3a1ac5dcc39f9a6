import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serve, type Served } from '../support/http.js';
import { TARGET_KINDS, targetListener, type TargetKind } from './targets.js';

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
      const res = await fetch(served.get(kind)!.url + '/v1/time?callback=crossclock.j.cbench0');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
      const body = (await res.text()).replace(/"t":\d+/, '"t":0');
      assert.equal(body, `/**/ typeof crossclock.j.cbench0 === 'function' && crossclock.j.cbench0({"t":0,"tz":"UTC","offset":0});`);
    });
  }

  it('raw refuses a callback that is not a dotted name', async () => {
    const res = await fetch(served.get('raw')!.url + '/v1/time?callback=' + encodeURIComponent('alert(1)//'));
    assert.equal(res.status, 400);
  });
});
