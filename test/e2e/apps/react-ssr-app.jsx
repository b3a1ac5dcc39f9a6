// A server-rendered React 19 page with one badge, as Next.js or Remix would serve it: the
// HTML comes from `render` (run in Node by the test), and the browser hydrates it when the
// test calls `window.hydrate(suppress)`. `suppress` puts React's suppressHydrationWarning on
// the badge element, as docs/api.md tells server-rendering React apps to.
import { useEffect } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';

function App({ suppress }) {
  useEffect(() => {
    window.hydrated = true;
  }, []);
  return (
    <main>
      <p>
        Time in Tokyo: <span data-crossclock="" id="ssr" data-tz="Asia/Tokyo" data-label="Tokyo" suppressHydrationWarning={suppress} />
      </p>
    </main>
  );
}

export const render = (suppress) => renderToString(<App suppress={suppress} />);

if (typeof window !== 'undefined') {
  window.hydrate = (suppress) => hydrateRoot(document.getElementById('root'), <App suppress={suppress} />);
}
