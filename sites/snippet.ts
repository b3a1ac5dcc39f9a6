import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const SNIPPET_BODY = fileURLToPath(new URL('../widget/snippet.js', import.meta.url));

/**
 * The copy-paste loader exactly as the widget server hands it out (`GET /v1/snippet?form=loader`
 * at `serverUrl`). A server built before that route existed answers 404: then the same text
 * is made the way the server makes it, from the built `snippet.js` with `CROSSCLOCK_URL`
 * replaced by `publicUrl`.
 */
export async function fetchLoaderSnippet(serverUrl: string, publicUrl: string): Promise<string> {
  const res = await fetch(serverUrl + '/v1/snippet?form=loader');
  if (res.ok) return (await res.text()).trim();
  const body = (await readFile(SNIPPET_BODY, 'utf8')).trim();
  return '<script>' + body.replaceAll('CROSSCLOCK_URL', publicUrl) + '</script>';
}

/** The script inside the loader form, for a host that writes its own `<script nonce=…>` tag. */
export function loaderBody(loader: string): string {
  const m = /<script>([\s\S]*?)<\/script>/.exec(loader);
  if (!m) throw new Error('the loader snippet has no <script> element');
  return m[1];
}
