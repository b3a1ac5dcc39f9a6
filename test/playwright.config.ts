import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER, playwrightChromium } from './support/browser.js';

const executablePath = findChromium(process.env, playwrightChromium());
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
  reporter: 'list',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
});
