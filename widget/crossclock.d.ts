/**
 * Types for pages that embed Crossclock: the `crossclock` global and the events its badges
 * fire. Reference this file (`/// <reference path="crossclock.d.ts" />`) or add it to your
 * tsconfig's `files`.
 */
export {};

declare global {
  /** Options of one badge; the same as the `data-` attributes of the single-tag form. */
  interface CrossclockBadgeOptions {
    /** The element to turn into a badge, or a CSS selector for it. */
    target: string | Element;
    /** IANA time zone, e.g. `Asia/Tokyo`; default: the visitor's. */
    tz?: string;
    /** `12h` or `24h`; default: the locale's habit. */
    format?: '12h' | '24h';
    /** `false` hides seconds; default `true`. */
    seconds?: boolean;
    /** BCP 47 locale for the text; default: the browser's. */
    locale?: string;
    /** Default `auto` (follows `prefers-color-scheme`). */
    theme?: 'light' | 'dark' | 'auto';
    /** Text shown before the time and used as its accessible name (at most 80 characters). */
    label?: string;
    /**
     * Makes a countdown badge: the time left until this instant by the synchronised clock.
     * An ISO 8601 instant with `Z` or an explicit offset, e.g. `2026-12-31T23:00:00Z` or
     * `2027-01-01T00:00:00+01:00` (`date.toISOString()` gives one); anything else is a console
     * warning and no badge.
     */
    until?: string;
    /** A countdown's text once its instant is reached (at most 80 characters); default: zero. */
    ended?: string;
  }

  /** `detail` of `crossclock:sync`, in milliseconds. */
  interface CrossclockSyncDetail {
    /** Server time minus this device's clock. */
    offset: number;
    /** Round trip of the best exchange. */
    rtt: number;
    /** Half that round trip: the true time is within ± this. */
    uncertainty: number;
  }

  interface Crossclock {
    /**
     * Turns `options.target` into a badge (or renders it again with new options); calls
     * before the bundle arrives are queued. Needed only for elements the widget cannot find
     * by itself: those without `data-crossclock`, or inside another component's shadow root.
     */
    (command: 'badge', options: CrossclockBadgeOptions): void;
    /**
     * Releases the badge on `target` (an element or a CSS selector for it): the element shows
     * its own content again, without a `data-state`. It is not made a badge again when put back in the page, until
     * `crossclock('badge', …)`.
     */
    (command: 'remove', target: string | Element): void;
    /** Synchronised epoch ms (the device's clock until the first sync); absent until the bundle ran. */
    now?: () => number;
  }

  var crossclock: Crossclock;

  /** The events a badge fires. They bubble and are composed: the document hears every badge's. */
  interface CrossclockEventMap {
    /** The badge's clock was synchronised (again). */
    'crossclock:sync': CustomEvent<CrossclockSyncDetail>;
    /** The time server could not be reached; the badge shows `data-state="offline"`. */
    'crossclock:offline': CustomEvent<undefined>;
    /** A countdown reached its instant (once per badge; on becoming visible if the page was hidden then). */
    'crossclock:end': CustomEvent<undefined>;
  }

  interface HTMLElementEventMap extends CrossclockEventMap {}
  interface DocumentEventMap extends CrossclockEventMap {}
}
