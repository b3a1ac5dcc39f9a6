/**
 * Page functions that make the page look hidden or visible, as switching tabs does, and tell
 * it with `visibilitychange`, or make the device look as if it slept. Each runs inside the
 * page (`page.evaluate`, `engine.evaluate`), so each is self-contained. The `hidden` getter
 * goes on Document.prototype, where the widget finds it past any named element (through
 * HTMLDocument.prototype, which defines no `hidden` of its own).
 */

/** Hidden (`true`) or visible (`false`). */
export const setHidden = (hidden: boolean) => {
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
};

/**
 * Lets the page simulate a device sleep: `deviceSleeps(ms)` then makes performance.now() fall
 * behind the wall clock by `ms`, as a sleeping device's monotonic clock stands still while
 * the world's time goes on. Runs before the widget: Playwright's `addInitScript`, or `SLEEPS`
 * in the markup of a page the cross-engine suite serves.
 */
export const installSleep = () => {
  const real = performance.now.bind(performance);
  let lag = 0;
  performance.now = () => real() - lag;
  (window as any).__sleep = (ms: number) => (lag += ms);
};

/** `installSleep` as markup. */
export const SLEEPS = `<script>(${installSleep})()</script>`;

/** In a page with `installSleep`: the device sleeps `ms`. */
export const deviceSleeps = (ms: number) => (window as any).__sleep(ms);
