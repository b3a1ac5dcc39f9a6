import assert from 'node:assert/strict';
import type { Feature } from '../suite.js';

export const feature: Feature = {
  name: 'two origins',
  tests: [
    {
      title: 'the host page (localhost) and the widget server (127.0.0.1) are distinct origins to the browser',
      async run({ engine, host, widget }) {
        // A frame of another origin hides its document; one of the page's own origin does not.
        const url = host.page('/origins', {
          body: `<iframe id="same" src="${host.origin}/record.js"></iframe><iframe id="other" src="${widget.url}/healthz"></iframe>`,
        });
        await engine.goto(url);
        // The page's load event waits for its frames: both have navigated by now.
        const seen = await engine.evaluate(() => {
          const doc = (id: string) => (document.getElementById(id) as HTMLIFrameElement).contentDocument;
          return { page: location.origin, sameVisible: doc('same') !== null, otherVisible: doc('other') !== null };
        }, null);
        assert.equal(seen.page, host.origin);
        assert.match(host.origin, /^http:\/\/localhost:\d+$/);
        assert.match(widget.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.deepEqual({ sameVisible: seen.sameVisible, otherVisible: seen.otherVisible }, { sameVisible: true, otherVisible: false });
      },
    },
  ],
};
