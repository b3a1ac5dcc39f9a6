/**
 * Countdown badges: the options a `data-until` element or `crossclock('badge', {until})`
 * adds, validated once, and the render that shows the time left by the synchronised clock.
 */
import type { Render, Show } from './badge.js';
import { durationFormat, parseInstant } from './duration.js';
import { hidesSeconds, pick, type RawOptions } from './options.js';

/**
 * Validates the countdown options of `raw` and returns the countdown's render, given the
 * badge's `show`. A bad `until` (not an ISO 8601 instant with `Z` or an offset) makes no
 * badge: it throws, and the entry prints the warning; a countdown to a guessed instant is
 * worse than none. So does a formatter that throws. A bad `ended` text is warned about and
 * left out.
 *
 * The render shows dashes until the clock has synced: the device's own clock is never used
 * for a countdown. At the instant by the synchronised clock it shows zero or the `ended`
 * text and takes `data-state="ended"` for good. Until then, and on the tick it ends, it
 * returns the instant (nothing before the first sync, as a clock's render: no instant to wake
 * for yet): the ticker wakes for an instant between two second boundaries, and the entry,
 * given an instant that has passed, fires `crossclock:end` once for that badge and instant.
 */
export function countdown(raw: RawOptions, warn: (problem: string) => void): (show: Show) => Render {
  const until = parseInstant(raw.until);
  // A string, not an Error: the entry prints it as `crossclock: bad until …` like other bad options.
  // eslint-disable-next-line no-throw-literal
  if (until !== until) throw 'bad until ' + raw.until;
  // {1,80} is MAX_LABEL spelled out, as for the label.
  const ended = pick(raw, 'ended', /^.{1,80}$/, warn);
  const format = durationFormat((raw.locale as string) || undefined, !hidesSeconds(raw));
  // Used once now: a formatter that cannot format (formatjs's polyfill forced without its
  // locale data throws `Missing locale data`) throws here, where a refused option leaves the
  // element's own content showing, not at the first tick, which left an empty badge.
  format(0);
  return (show) => {
    let done: boolean | undefined;
    return (t, state, synced) => {
      // Ended for good; the state shown again puts back a `data-state` a morph removed.
      if (done) return show('ended');
      done = synced && until <= t;
      const [text, iso] = format(until - t);
      show(done ? 'ended' : state, (done && ended) || (synced ? text : '--:--'), synced ? iso : '');
      return synced && until;
    };
  };
}
