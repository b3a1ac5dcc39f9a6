import assert from 'node:assert/strict';
import { tagScript } from '../embeds.js';
import { waitForState, type Feature } from '../suite.js';

const HOSTILE =
  '<style>* { all: unset } div { display: none !important } html { font-size: 120px } ' +
  '[data-crossclock] { visibility: hidden !important; opacity: 0 !important; font-size: 300px !important; color: red !important }</style>';

export const feature: Feature = {
  name: 'hostile host CSS',
  tests: [
    {
      title: 'stays visible, on top, readable and normally sized under hostile page CSS',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/hostile', { head: HOSTILE, body: `<div data-crossclock id="a" data-label="Here"></div>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        const seen = await engine.evaluate(() => {
          const el = document.querySelector('#a') as HTMLElement;
          // The unset page shows its <style> text at 120px: the badge is far down the page.
          el.scrollIntoView();
          const box = el.getBoundingClientRect();
          const inner = getComputedStyle(el.shadowRoot!.querySelector('[role=timer]')!);
          const time = el.shadowRoot!.querySelector('time')!.getBoundingClientRect();
          return {
            height: box.height,
            timeWidth: time.width,
            // What a click at the badge's centre would hit: the badge, not something over it.
            hit: document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === el,
            fontSize: inner.fontSize,
            opacity: getComputedStyle(el).opacity,
            visibility: getComputedStyle(el).visibility,
            display: getComputedStyle(el).display,
          };
        }, null);
        assert.ok(seen.height > 10 && seen.height < 60, `height ${seen.height}`);
        assert.ok(seen.timeWidth > 20, `time width ${seen.timeWidth}`);
        assert.deepEqual(
          { hit: seen.hit, fontSize: seen.fontSize, opacity: seen.opacity, visibility: seen.visibility, display: seen.display },
          { hit: true, fontSize: '15px', opacity: '1', visibility: 'visible', display: 'inline-block' },
        );
      },
    },
    {
      title: 'changes nothing on the host page around it',
      async run({ engine, host, widget }) {
        await engine.goto(
          host.page('/neighbours', {
            head: '<style>p { font: 13px serif; color: rgb(1, 2, 3) }</style>',
            body: `<p id="before">text</p><span data-crossclock id="a"></span><p id="after">text</p>${tagScript(widget)}`,
          }),
        );
        await waitForState(engine, '#a', 'synced');
        const seen = await engine.evaluate(
          () =>
            ['#before', '#after'].map((id) => {
              const s = getComputedStyle(document.querySelector(id)!);
              return [s.fontSize, s.color];
            }).concat([document.querySelector('#a')!.getAttributeNames().sort()]),
          null,
        );
        assert.deepEqual(seen, [['13px', 'rgb(1, 2, 3)'], ['13px', 'rgb(1, 2, 3)'], ['data-crossclock', 'data-state', 'id']]);
      },
    },
  ],
};
