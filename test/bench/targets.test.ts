import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { serve, type Served } from '../support/http.js';
import { TARGET_KINDS, targetListener, type TargetKind } from './targets.js';
import { load, seedClientPaths, widgetTimePaths } from './throughput.js';

const [TIME_PATH] = widgetTimePaths(1);
const ID = new URL(TIME_PATH, 'http://x').searchParams.get('id');

// The throughput comparison is only fair when every server does the same work: each answer,
// run as the page would, calls the widget's callback with the same payload. Raw writes ours'
// very body; Express's guard tests only the last name of a dotted callback (a shorter body,
// and one that throws when the page has deleted `crossclock`).
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
    it(`${kind} answers the widget's request with a script calling its callback with the time`, async () => {
      const res = await fetch(served.get(kind)!.url + TIME_PATH);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
      const body = await res.text();
      assert.ok(body.startsWith('/**/ '), body);
      const calls: string[] = [];
      runInNewContext(body, { crossclock: { t: (data: unknown) => calls.push(JSON.stringify(data).replace(/"t":\d+/, '"t":0')) } });
      assert.deepEqual(calls, [`{"t":0,"tz":"UTC","offset":0,"id":"${ID}"}`]);
    });
  }

  it('raw writes the very body ours writes', async () => {
    const [raw, ours] = await Promise.all(
      (['raw', 'ours'] as const).map(async (k) => (await (await fetch(served.get(k)!.url + TIME_PATH)).text()).replace(/"t":\d+/, '"t":0')),
    );
    assert.equal(raw, ours);
  });

  it('raw refuses a callback that is not a dotted name', async () => {
    const res = await fetch(served.get('raw')!.url + '/v1/time?callback=' + encodeURIComponent('alert(1)//'));
    assert.equal(res.status, 400);
  });
});

/**
 * Loads ours for a second with `paths` in turn, as a bench row does, and checks that the
 * requests it saw were 8 distinct ones of the shape `shape`, never one twice in a row, each
 * answered.
 */
async function assertSentInTurn(paths: string[], shape: RegExp) {
  const seen: string[] = [];
  const ours = targetListener('ours');
  const served = await serve((req, res) => {
    seen.push(req.url ?? '');
    ours(req, res);
  });
  try {
    const sample = await load(served.url, 1, 1, null, paths);
    assert.equal(sample.errors, 0);
    assert.ok(seen.length > 50, `only ${seen.length} requests`);
    assert.equal(new Set(seen).size, 8);
    for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1]);
    for (const url of seen) assert.match(url, shape);
  } finally {
    await served.close();
  }
}

describe('the widget rows of the throughput bench', () => {
  it("send requests shaped like the widget's, never the same id twice in a row, and each is answered", () =>
    assertSentInTurn(widgetTimePaths(), /^\/v1\/time\?callback=crossclock\.t&id=\d+$/));
});

describe('the seed client row of the throughput bench', () => {
  it("sends requests shaped like jQuery's, never the same name twice in a row, and each is answered", () =>
    assertSentInTurn(seedClientPaths(), /^\/getTime\?callback=jQuery\d+_\d+&_=\d+$/));
});
