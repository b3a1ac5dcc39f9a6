import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Chromium flags for this sandbox: no GPU, no sandbox as root, and no calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  // Real, distinct origins on loopback: http://news.test:4001, http://widget.test:3000, …
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];

/**
 * The Chromium to test with: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`, else a
 * browser in Playwright's own cache (`bundled`), else `null`.
 */
export function findChromium(
  env: Record<string, string | undefined>,
  bundled: string | null,
  exists: (path: string) => boolean = existsSync,
): string | null {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', bundled];
  return candidates.find((p): p is string => !!p && exists(p)) ?? null;
}

/** The browser in Playwright's own cache, or `null` when Playwright has none for this platform. */
export function playwrightChromium(): string | null {
  try {
    return chromium.executablePath();
  } catch {
    // No Playwright-managed browser: fine when a system Chromium exists.
    return null;
  }
}

/** The one line printed when no browser can be found. */
export const NO_BROWSER =
  'crossclock: no Chromium found. Install one (Debian: apt-get install -y chromium), or set CHROMIUM_PATH to its executable.';
