/**
 * What the widget trusts: which server it loads script from, and the Trusted Types policy
 * that vets every script URL it sets. Shared by the loader snippet and the bundle; globals
 * come in as parameters so unit tests can hand in fakes.
 */

/** Turns a URL into something `script.src` accepts: a Trusted Types policy, or the same rule as a plain object. */
export interface ScriptPolicy {
  /** The URL itself (as a `TrustedScriptURL` under Trusted Types) when it is on our server; `''` otherwise. */
  createScriptURL(url: string): string;
}

/** The part of `window.trustedTypes` we use (TypeScript 5.9's DOM types do not have it). */
export interface PolicyFactory {
  createPolicy(name: 'crossclock', rules: ScriptPolicy): ScriptPolicy;
}

/**
 * Creates the `crossclock` policy, the one name a host allows with
 * `trusted-types crossclock`. It passes only URLs under `base` (our server's `…/v1/`, with
 * its trailing slash, so `https://ours.example.evil.test/` cannot pass as
 * `https://ours.example/`); anything else becomes `''`, and a script whose `src` is empty
 * loads nothing. Without Trusted Types (`factory` undefined) the same rule comes back as a
 * plain object, so callers never branch. Throws where the host's CSP forbids the policy,
 * or where it already exists (callers keep the one they made on the `crossclock` global).
 */
export const createScriptPolicy = (factory: PolicyFactory | undefined, base: string): ScriptPolicy =>
  // Without Trusted Types a stand-in factory hands the rule back as the policy.
  (factory || { createPolicy: (_, rule) => rule }).createPolicy('crossclock', {
    createScriptURL: (url) => (url.startsWith(base) ? url : ''),
  });

/** What the loader's stub leaves for the bundle (see snippet.ts). */
export interface LoaderState {
  /** Our server's `…/v1/`, from the URL the loader was pasted with. */
  u?: string;
  /** `document.currentScript` as the loader saw it: its own inline <script>. */
  s?: unknown;
}

/** Where the bundle sends its requests: `[base, policy, nonce]`, `base` being `…/v1/` on our server. */
export type Link = [base: string, policy: ScriptPolicy, nonce?: string];

/** The global `connect` reads. */
export interface TrustWindow {
  trustedTypes?: PolicyFactory;
}

/**
 * Decides which server the bundle talks to, from what page markup cannot forge, in order:
 * the URL the loader snippet was pasted with (`prior`, what the loader's stub left, a
 * function only script can make; `{}` without one);
 * `baked`, the public URL's `…/v1/` the server wrote into the bundle it served; the `src` of the
 * running `<script>`, `script`. The caller reads `document.currentScript` with Document's
 * getter (reached through HTMLDocument.prototype: MooTools replaces the `Document` global),
 * which answers the element whose code is running, past a named element (`<img
 * name="currentScript">`) or a collection of them that shadow it on `document`: only script,
 * never markup, can be there. It is not checked against the page's `HTMLScriptElement`: a
 * `<script>` created by a parent page and appended into a same-origin iframe (a "friendly
 * iframe", as ad slots use) belongs to the parent's realm and would fail that check. An SVG
 * `<script>` has no `src`, so names no server. Markup can still change what `src` says:
 * every read resolves the attribute anew against the document's base URL, so a `<base href>`
 * parsed after our tag (`async` or `defer`) turns a relative `src` into a URL on the
 * attacker's server. `fetched(src)` tells whether `src` is the URL the page really fetched the
 * script from. Returns the link, or `undefined` after one warning when there is no server to
 * trust or Trusted Types forbid our policy.
 */
export function connect(
  prior: LoaderState,
  baked: string,
  script: HTMLOrSVGScriptElement | null,
  fetched: (src: string) => boolean,
  w: TrustWindow,
  warn: (problem: unknown) => void,
): Link | undefined {
  // A module `import()`ed by the loader has no current script: the loader's own tag tells the nonce.
  const own = (script || prior.s) as HTMLScriptElement | undefined;
  // Our own URL, …/v1/crossclock.js or …/v1/crossclock.<hash>.js, names the server's /v1/.
  const base = prior.u || baked || (own && fetched(own.src) && /^https?:\/\/.+\/(?=crossclock[^/]*$)/.exec(own.src)?.[0]);
  // Run without its own tag (a tag manager evaluating fetched code) by a server without --public-url.
  if (!base) return void warn('unknown server');
  try {
    return [base, createScriptPolicy(w.trustedTypes, base), own?.nonce];
  } catch (e) {
    // The host's `trusted-types` directive does not list `crossclock`.
    warn(e);
  }
}
