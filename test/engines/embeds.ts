import { snippet } from '../support/host-pages.js';
import type { WidgetServer } from '../support/widget-server.js';
import { manifest } from './site.js';

/** ` nonce="…"` or nothing. */
const nonceAttr = (nonce?: string) => (nonce ? ` nonce="${nonce}"` : '');

/** The single-tag form's `<script>`. */
export const tagScript = (widget: Pick<WidgetServer, 'url'>, nonce?: string) => `<script async src="${widget.url}/v1/crossclock.js"${nonceAttr(nonce)}></script>`;

/** The loader snippet followed by `calls` (JavaScript), as a host pastes it. */
export const loaderScript = (widget: WidgetServer, calls: string, nonce?: string) => `<script${nonceAttr(nonce)}>${snippet(widget.url)}${calls}</script>`;

/** The SRI-pinned form's `<script>`, with the hash and integrity the server's manifest names. */
export async function sriScript(widget: WidgetServer, nonce?: string): Promise<string> {
  const { bundle, integrity } = await manifest(widget);
  return `<script async src="${widget.url}${bundle}" integrity="${integrity}" crossorigin="anonymous"${nonceAttr(nonce)}></script>`;
}
