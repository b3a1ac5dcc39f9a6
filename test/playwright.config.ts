import { chromium, defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER } from './support/browser.js';

let bundled: string | null = null;
try {
  bundled = chromium.executablePath();
} catch {
  // No Playwright-managed browser: fine when a system Chromium exists.
}
const executablePath = findChromium(process.env, bundled);
if (!executablePath) {
  console.error(NO_BROWSER);
  process.exit(1);
}

export default defineConfig({
  testDir: './e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
});
