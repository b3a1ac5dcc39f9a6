import type { BadgeOptions } from './options.js';

/** What a badge shows about its synchronisation. */
export type BadgeState = 'syncing' | 'synced' | 'offline';

/** A rendered badge. */
export interface Badge {
  /** Shows `text` for the instant `t` in state `state`. */
  render(text: string, t: number, state: BadgeState): void;
}

// `!important` inside a shadow tree beats the host page's own `!important` rules for the
// host element, so `* { all: unset }` or `div { display: none !important }` cannot hide us.
const CSS =
  ':host{all:initial!important;display:inline-block!important;visibility:visible!important;' +
  'font:600 15px/1.2 system-ui,sans-serif!important;color-scheme:light dark}' +
  '.b{display:inline-flex;gap:.4em;align-items:baseline;padding:.3em .6em;border-radius:.4em;' +
  'background:#fff;color:#111;border:1px solid #8888;font-variant-numeric:tabular-nums}' +
  '.d{background:#111;color:#f5f5f5}' +
  '@media (prefers-color-scheme:dark){.a{background:#111;color:#f5f5f5}}' +
  '.l{font-weight:400}.m{color:#b45309}.d .m{color:#fbbf24}' +
  '@media (prefers-color-scheme:dark){.a .m{color:#fbbf24}}';

let sheet: CSSStyleSheet | undefined;

/**
 * Renders a badge into an open shadow root of `host`. Styles come only from a constructed
 * stylesheet: `<style>` elements and `style` attributes are blocked by a strict CSP, even
 * inside a shadow root. Server data reaches the DOM only as text and attributes.
 */
export function mountBadge(host: HTMLElement, o: BadgeOptions): Badge {
  const doc = host.ownerDocument;
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  root.adoptedStyleSheets = [sheet];
  const el = (tag: string, cls: string, parent: Node) => {
    const e = doc.createElement(tag);
    e.className = cls;
    parent.appendChild(e);
    return e;
  };
  root.textContent = '';
  const box = el('span', 'b ' + o.theme[0], root);
  if (o.label) el('span', 'l', box).textContent = o.label;
  const time = el('time', '', box);
  const mark = el('span', 'm', box);
  mark.title = 'not synchronised with the time server: showing this device\u2019s clock';
  let last = '';
  return {
    render(text, t, state) {
      if (host.dataset.state !== state) {
        host.dataset.state = state;
        mark.textContent = state === 'synced' ? '' : state === 'offline' ? '\u26a0 unsynced' : '\u2026';
      }
      if (text !== last) {
        last = text;
        time.textContent = text;
        // The shown second, so the machine-readable instant agrees with the text.
        time.setAttribute('datetime', new Date(t - (t % 1000)).toISOString());
      }
    },
  };
}
