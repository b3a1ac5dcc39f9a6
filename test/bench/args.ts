/** The bench's command line, validated once. */

/** The parts of the bench, in the order they run. */
export const PARTS = ['sizes', 'server', 'edge', 'first_badge', 'clock', 'countdown', 'leaks', 'idle'] as const;
/** One part of the bench, named as `--only` takes it and as its JSON section is keyed. */
export type Part = (typeof PARTS)[number];

/** What `npm run bench -- …` asked for. */
export interface BenchArgs {
  /** Where to write the figures as JSON, if anywhere. */
  json: string | null;
  /** The parts to run (all by default). */
  parts: Part[];
  /** Autocannon rounds per server, and seconds per run. */
  rounds: number;
  seconds: number;
}

/** Raised for a command line the bench cannot use. */
export class UsageError extends Error {}

/** The one usage line printed after a command-line error. */
export const USAGE = `usage: npm run bench -- [--json FILE] [--only ${PARTS.join(',')}] [--rounds N] [--seconds S]`;

function count(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

/** Parses `argv` (without node and the script); throws `UsageError` with the reason. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { json: null, parts: [...PARTS], rounds: 5, seconds: 2 };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new UsageError(`unexpected argument "${argv[i]}"`);
    if (!['json', 'only', 'rounds', 'seconds'].includes(m[1])) throw new UsageError(`unknown flag --${m[1]}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${m[1]} needs a value`);
    if (m[1] === 'json') args.json = value;
    else if (m[1] === 'rounds') args.rounds = count(value, '--rounds', 10);
    else if (m[1] === 'seconds') args.seconds = count(value, '--seconds', 10);
    else if (m[1] === 'only') {
      const parts = value.split(',');
      const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
      if (unknown.length) throw new UsageError(`--only: unknown part ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`);
      args.parts = PARTS.filter((p) => parts.includes(p));
    }
  }
  return args;
}
