/** Why a JSONP request failed. */
export type JsonpFailure = 'network' | 'nocallback' | 'timeout' | 'abort';

/** A failed JSONP request; `reason` tells the failures apart. */
export class JsonpError extends Error {
  constructor(public reason: JsonpFailure) {
    super('crossclock: jsonp ' + reason);
  }
}

/** A registry of pending callbacks, reachable from the page by a global dotted name. */
export interface CallbackRegistry {
  /** The object holding the callbacks. */
  table: Record<string, (data: unknown) => void>;
  /** Its dotted global name, e.g. `crossclock.j`. */
  name: string;
}

/** What `jsonp` needs from the page, handed in so tests can use fakes. */
export interface JsonpOptions {
  doc: Document;
  registry: CallbackRegistry;
  /** Milliseconds before giving up; 0 waits forever. */
  timeout: number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (id: any) => void;
  signal?: AbortSignal;
  /** The host's CSP nonce, copied onto the script tag. */
  nonce?: string;
}

// Two copies of the bundle on one page share the registry, so ids carry a per-copy prefix.
const prefix = 'c' + Math.random().toString(36).slice(2, 7);
let counter = 0;

/**
 * Loads `url` (which must not already carry `callback=`) as a script and resolves with
 * the data it calls back with. The tag and the callback are always cleaned up; a late
 * answer after a timeout or abort finds no callback and is dropped by the server's
 * `typeof` guard.
 */
export function jsonp(url: string, o: JsonpOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = prefix + counter++;
    const script = o.doc.createElement('script');
    let timer: unknown;
    let done = false;
    const finish = (error: JsonpFailure | null, data?: unknown) => {
      if (done) return;
      done = true;
      delete o.registry.table[id];
      o.clearTimeout(timer);
      script.onload = script.onerror = null;
      o.signal?.removeEventListener('abort', onAbort);
      script.remove();
      if (error) reject(new JsonpError(error));
      else resolve(data);
    };
    const onAbort = () => finish('abort');
    if (o.signal?.aborted) return onAbort();
    o.registry.table[id] = (data) => finish(null, data);
    o.signal?.addEventListener('abort', onAbort);
    // `load` fires after the script ran: if it had called back we would be done already.
    script.onload = () => finish('nocallback');
    script.onerror = () => finish('network');
    if (o.timeout) timer = o.setTimeout(() => finish('timeout'), o.timeout);
    if (o.nonce) script.nonce = o.nonce;
    script.async = true;
    script.src = url + (url.includes('?') ? '&' : '?') + 'callback=' + o.registry.name + '.' + id;
    (o.doc.head || o.doc.documentElement).appendChild(script);
  });
}
