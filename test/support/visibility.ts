/**
 * Page functions that make the page look hidden or visible, as switching tabs does, and tell
 * it with `visibilitychange`. Each runs inside the page (`page.evaluate`, `engine.evaluate`),
 * so each is self-contained. The getter goes on Document.prototype, where the widget reads
 * `hidden` past any named element.
 */

/** Hidden (`true`) or visible (`false`). */
export const setHidden = (hidden: boolean) => {
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
};

/** Hidden then visible again in one go: a tab left and come back to. */
export const hideAndShow = () => {
  for (const hidden of [true, false]) {
    Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }
};
