/**
 * The one interface every cross-engine test drives: a browser with one tab, which can
 * navigate, run a function in the page and wait for a condition. One thin adapter per
 * engine (chromium.ts, firefox.ts, webkit.ts) implements it, so each test is written once.
 */

/** A function run inside the page: serialised, so it may use only its argument and page globals. */
export type PageFunction<A, T> = (arg: A) => T | Promise<T>;

/** One running browser, its single tab reused by every test. */
export interface Engine {
  /** `chromium`, `firefox` or `webkit`. */
  name: EngineName;
  /** The browser's own version string, as its driver reports it (e.g. `153.7.0`). */
  version: string;
  /** Loads `url` in the tab and resolves once its `load` event has fired. */
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page and resolves with its (awaited, JSON-serialisable) result. */
  evaluate<A, T>(fn: PageFunction<A, T>, arg: A): Promise<T>;
  /**
   * Clicks the element at `selector` as a user does, through the driver's input (a user
   * gesture to the page, unlike `element.click()` run by `evaluate`).
   */
  click(selector: string): Promise<void>;
  /**
   * Sends keys to the focused element through the driver's input: `text` typed as it is, or
   * one of the named `Key`s.
   */
  press(keys: string | Key): Promise<void>;
  /**
   * Goes back one entry in the tab's history, as the back button does. The page may come back
   * from the back/forward cache, firing no `load`: wait for what it shows with
   * `waitThroughNavigation`.
   */
  back(): Promise<void>;
  /** Stops the browser and everything started for it. */
  close(): Promise<void>;
}

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** The named keys `Engine.press` sends, by their `KeyboardEvent.key`. */
export type Key = { key: 'Enter' | 'ArrowDown' | 'ArrowUp' | 'Tab' };

/** How to start one engine, or why it cannot start on this machine. */
export interface EngineLauncher {
  name: EngineName;
  /** `null` when everything needed is installed, else the one line telling how to install it. */
  missing(env: Record<string, string | undefined>): string | null;
  launch(env: Record<string, string | undefined>): Promise<Engine>;
}

/**
 * What to do with an engine, or a test needing something an engine does not bring (see
 * EngineTest.missing): run it; skip it, saying how to install it (as the nginx tests do on a
 * developer's machine); or, under `CI`, fail, since CI must drive every engine and test.
 */
export function plan(missing: string | null, env: Record<string, string | undefined>): { run: true } | { skip: string } | { fail: string } {
  if (!missing) return { run: true };
  return env.CI && env.CI !== 'false' ? { fail: `CI must run every engine and test: ${missing}` } : { skip: missing };
}

/**
 * Polls `fn(arg)` in the page until it returns something truthy, and resolves with that;
 * rejects after `timeoutMs` with `what` and the last value seen. Polling, not sleeping: a
 * condition met early ends the wait early.
 */
export async function waitFor<A, T>(engine: Engine, what: string, fn: PageFunction<A, T>, arg: A, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await engine.evaluate(fn, arg);
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`${engine.name}: timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `waitFor` while the tab is navigating: an evaluation the navigation cut short (every
 * driver words that its own way) counts as not yet.
 */
export function waitThroughNavigation<A, T>(engine: Engine, what: string, fn: PageFunction<A, T>, arg: A, timeoutMs = 10_000): Promise<T> {
  const patient: Engine = { ...engine, evaluate: (f, a) => engine.evaluate(f, a).catch(() => null as never) };
  return waitFor(patient, what, fn, arg, timeoutMs);
}

/**
 * `Engine.back` for drivers that follow a navigation the page starts: the page goes back
 * itself once the evaluation has answered, so no driver loses its page mid-call.
 */
export const backFromPage = (engine: Pick<Engine, 'evaluate'>) => engine.evaluate(() => void setTimeout(() => history.back()), null);

/** Rejects with `message` if `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]);
}
