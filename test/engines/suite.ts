import type { WidgetServer } from '../support/widget-server.js';
import { waitFor, type Engine } from './engine.js';
import type { HostSite, ShiftedWidget } from './site.js';

/** What each cross-engine test gets: the engine's tab, the host site and the shared widget server. */
export interface Context {
  engine: Engine;
  host: HostSite;
  /** Shared by every test of the run: never kill it; `ownWidget()` gives one to kill. */
  widget: WidgetServer;
  /** Starts a widget server for this test alone, stopped when the test ends. */
  ownWidget(): Promise<WidgetServer>;
  /**
   * A widget server run as production is, its public URL baked into the bundle it serves
   * (`--public-url`), shared by the run like `widget`.
   */
  baked(): Promise<WidgetServer>;
  /**
   * A widget server whose clock is hours off the device's (`SHIFT_MS` in site.ts), shared
   * by the run.
   */
  shifted(): Promise<ShiftedWidget>;
}

/** One cross-engine test, run once in each engine. */
export interface EngineTest {
  title: string;
  /**
   * Set for a test of behaviour another branch is delivering: it still runs in every
   * engine and is reported as TODO (not skipped, not failing) until the mark is removed.
   */
  todo?: string;
  /**
   * One line saying how to install what the test needs and this machine lacks (a Debian
   * package), or null: the test is then skipped with that line, and fails under `CI`.
   */
  missing?: string | null;
  run(ctx: Context): Promise<void>;
}

/** A feature file's export: its name (a column of docs/browsers.md) and its tests. */
export interface Feature {
  name: string;
  tests: EngineTest[];
}

/** What the page recorded (see site.ts): the widget must cause no error and no violation. */
export interface Recorded {
  errors: string[];
  violations: string[];
  warnings: string[];
}

/** Reads `window.__rec`. */
export const recorded = (engine: Engine) => engine.evaluate(() => (window as any).__rec as Recorded, null);

/** A badge as a visitor sees it: its host's `data-state`, its shadow root's text, its `<time>`. */
export interface BadgeView {
  state: string | null;
  text: string;
  time: string;
  datetime: string;
}

/** Reads the badge at `selector`, or `null` if it has no shadow root yet. */
export const readBadge = (engine: Engine, selector: string) =>
  engine.evaluate((sel): BadgeView | null => {
    // From the prototype: a page may name an element `querySelector` (see hostile-markup.ts).
    // HTMLDocument's, whose chain ends in Document's: MooTools replaces `Document` (host-libraries.ts).
    const el = HTMLDocument.prototype.querySelector.call(document, sel);
    const time = el?.shadowRoot?.querySelector('time');
    if (!el || !time) return null;
    return { state: el.getAttribute('data-state'), text: el.shadowRoot!.textContent ?? '', time: time.textContent ?? '', datetime: time.dateTime };
  }, selector);

/** Waits until the badge at `selector` has `data-state="state"`. */
export const waitForState = (engine: Engine, selector: string, state: string, timeoutMs = 10_000) =>
  waitFor(engine, `${selector} to be ${state}`, ([sel, st]) => HTMLDocument.prototype.querySelector.call(document, sel)?.getAttribute('data-state') === st, [selector, state], timeoutMs);
