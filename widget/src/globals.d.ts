/** True only in debug builds: terser's `global_defs` sets it to `false` and drops the code it guards. */
declare const DEBUG: boolean;
/**
 * The widget server's public URL, which the server writes into the bundle it serves (see
 * server/bake.ts); `''` when it has none.
 */
declare const CROSSCLOCK_URL: string;
/** False in the build without countdown badges (the bench's measure of what they cost); true otherwise. */
declare const COUNTDOWN: boolean;
