import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scriptWorkUntilMark, type TraceEvent } from './start-up.js';

const main = { pid: 1, tid: 7 };
const thread: TraceEvent = { name: 'thread_name', ph: 'M', ts: 0, ...main, args: { name: 'CrRendererMain' } };
const mark: TraceEvent = { name: 'crossclock-first-badge', ph: 'I', ts: 50_000, ...main };
const work = (name: string, ts: number, dur: number, url: string, where = main): TraceEvent => ({ name, ph: 'X', ts, dur, ...where, args: { data: { url } } });
const ours = 'http://widget.test:1/v1/crossclock.js';

describe('the start-up figure read from a Chromium trace', () => {
  it('counts the time the bundle ran on the main thread once, however its entry points nest', () => {
    const events = [thread, mark, work('EvaluateScript', 10_000, 20_000, ours), work('FunctionCall', 12_000, 5_000, ours), work('FunctionCall', 40_000, 2_000, `${ours}?v=1`)];
    assert.equal(scriptWorkUntilMark(events, '/crossclock.js'), 22);
  });

  it('leaves out other scripts, other threads and whatever ran after the first badge', () => {
    const events = [
      thread,
      mark,
      work('EvaluateScript', 0, 5_000, 'http://host.test:1/analytics.js'),
      work('FunctionCall', 1_000, 5_000, ours, { pid: 1, tid: 8 }),
      work('EvaluateScript', 45_000, 10_000, ours),
      work('FunctionCall', 60_000, 3_000, ours),
    ];
    assert.equal(scriptWorkUntilMark(events, '/crossclock.js'), 5);
  });

  it('gives no figure for a trace without the first-badge mark', () => {
    assert.equal(scriptWorkUntilMark([thread, work('EvaluateScript', 0, 5_000, ours)], '/crossclock.js'), null);
  });
});
