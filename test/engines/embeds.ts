import { snippet } from '../support/host-pages.js';
import { manifest, type WidgetServer } from '../support/widget-server.js';

/** ` nonce="…"` or nothing. */
const nonceAttr = (nonce?: string) => (nonce ? ` nonce="${nonce}"` : '');

/** The single-tag form's `<script>`. */
export const tagScript = (widget: Pick<WidgetServer, 'url'>, nonce?: string) => `<script async src="${widget.url}/v1/crossclock.js"${nonceAttr(nonce)}></script>`;

/** The loader snippet followed by `calls` (JavaScript), as a host pastes it. */
export const loaderScript = (widget: Pick<WidgetServer, 'url'>, calls: string, nonce?: string) => `<script${nonceAttr(nonce)}>${snippet(widget.url)}${calls}</script>`;

/** The SRI-pinned form's `<script>`, with the hash and integrity the server's manifest names. */
export async function sriScript(widget: WidgetServer, nonce?: string): Promise<string> {
  const { bundle, integrity } = await manifest(widget);
  return `<script async src="${widget.url}${bundle}" integrity="${integrity}" crossorigin="anonymous"${nonceAttr(nonce)}></script>`;
}

/** The three ways a host embeds the widget. */
export type Form = 'tag' | 'loader' | 'SRI-pinned tag';

/**
 * A badge `#a` embedded the `form` way, with `nonce` on the script when given: the loader
 * asks for it with `crossclock('badge', …)`, the tags find it by `data-crossclock`.
 */
export async function embedBadge(widget: WidgetServer, form: Form, nonce?: string): Promise<string> {
  if (form === 'loader') return '<span id="a"></span>' + loaderScript(widget, "crossclock('badge', {target: '#a'});", nonce);
  return '<span data-crossclock id="a"></span>' + (form === 'tag' ? tagScript(widget, nonce) : await sriScript(widget, nonce));
}
