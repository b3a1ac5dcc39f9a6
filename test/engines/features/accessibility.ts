import assert from 'node:assert/strict';
import { contrast } from '../../support/contrast.js';
import { tagScript } from '../embeds.js';
import { waitForState, type Feature } from '../suite.js';

export const feature: Feature = {
  name: 'themes and accessibility',
  tests: [
    {
      title: 'light and dark themes differ and each is readable (system colours under color-scheme)',
      async run({ engine, host, widget }) {
        const body = `<span data-crossclock id="light" data-theme="light"></span><span data-crossclock id="dark" data-theme="dark"></span>${tagScript(widget)}`;
        await engine.goto(host.page('/themes', { body }));
        for (const id of ['#light', '#dark']) await waitForState(engine, id, 'synced');
        const colours = await engine.evaluate(
          () =>
            ['light', 'dark'].map((id) => {
              const s = getComputedStyle(document.getElementById(id)!.shadowRoot!.querySelector('[role=timer]')!);
              return [s.color, s.backgroundColor];
            }),
          null,
        );
        for (const [i, [fg, bg]] of colours.entries()) assert.ok(contrast(fg, bg) >= 4.5, `${['light', 'dark'][i]} theme: ${fg} on ${bg}`);
        assert.notEqual(colours[0][1], colours[1][1], 'light and dark backgrounds are the same');
        // Light means a light background.
        assert.ok(contrast(colours[0][1], 'rgb(0, 0, 0)') > contrast(colours[1][1], 'rgb(0, 0, 0)'), JSON.stringify(colours));
      },
    },
    {
      title: 'is a timer named by its label, and never a live region announced every second',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/a11y', { body: `<span data-crossclock id="a" data-label="Tokyo" data-tz="Asia/Tokyo"></span>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        const seen = await engine.evaluate(() => {
          const root = document.getElementById('a')!.shadowRoot!;
          const timer = root.querySelector('[role=timer]');
          return {
            // The attributes, not the reflected properties: what assistive technology reads.
            name: timer?.getAttribute('aria-label'),
            live: root.querySelectorAll('[aria-live], [role=status], [role=alert]').length,
          };
        }, null);
        assert.deepEqual(seen, { name: 'Tokyo', live: 0 });
      },
    },
  ],
};
