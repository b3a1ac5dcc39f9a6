import { fileURLToPath } from 'node:url';

// Playwright runs the helpers from test/support/; Node's test runner and scripts run their
// compiled copies from dist/test/support/. Both must reach the same built files.
const DIST = new URL(import.meta.url.includes('/dist/test/') ? '../../' : '../../dist/', import.meta.url);

/** The absolute path of `relative` (e.g. `server/main.js`) inside the build output, dist/. */
export function builtPath(relative: string): string {
  return fileURLToPath(new URL(relative, DIST));
}
