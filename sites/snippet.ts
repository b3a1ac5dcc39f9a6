/**
 * The copy-paste loader exactly as the widget server hands it out: `GET /v1/snippet?form=loader`
 * at `serverUrl`, the badge element followed by the loader `<script>`.
 */
export async function fetchLoaderSnippet(serverUrl: string): Promise<string> {
  const res = await fetch(serverUrl + '/v1/snippet?form=loader');
  if (!res.ok) throw new Error(`the widget server answered ${res.status} to GET /v1/snippet?form=loader: ${await res.text()}`);
  return (await res.text()).trim();
}

/** The script inside the loader form, for a host that writes its own `<script nonce=…>` tag. */
export function loaderBody(loader: string): string {
  const m = /<script>([\s\S]*?)<\/script>/.exec(loader);
  if (!m) throw new Error('the loader snippet has no <script> element');
  return m[1];
}
