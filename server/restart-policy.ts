/** How the cluster primary replaces workers that die. */
export interface RestartPolicyOptions {
  /** Delay before replacing the first worker to die in a quiet window. */
  baseMs: number;
  /** The delay doubles with each death in the window, up to this. */
  capMs: number;
  /** This many deaths within `windowMs` is a crash loop: the primary gives up. */
  maxDeaths: number;
  windowMs: number;
}

/** Defaults: a lone death is replaced within 0.1 s; ten within a minute end the primary. */
export const RESTART_DEFAULTS: RestartPolicyOptions = { baseMs: 100, capMs: 10_000, maxDeaths: 10, windowMs: 60_000 };

/** What to do about one worker's death. */
export type RestartDecision = { restart: true; delayMs: number } | { restart: false; deaths: number };

/**
 * Decides, death by death, when to fork a replacement: after a delay doubling with each death
 * within the window (so a worker that dies at once, forever, costs ever less CPU and log), and
 * not at all once the deaths reach `maxDeaths` in the window, when restarting only hides a
 * fault the operator (or the service manager restarting the whole process) must see.
 */
export function restartPolicy(options: RestartPolicyOptions, now: () => number): { onDeath(): RestartDecision } {
  const deaths: number[] = [];
  return {
    onDeath() {
      const t = now();
      deaths.push(t);
      while (deaths[0] <= t - options.windowMs) deaths.shift();
      if (deaths.length >= options.maxDeaths) return { restart: false, deaths: deaths.length };
      return { restart: true, delayMs: Math.min(options.capMs, options.baseMs * 2 ** (deaths.length - 1)) };
    },
  };
}
