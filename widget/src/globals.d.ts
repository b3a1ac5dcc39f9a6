/** True only in debug builds: terser's `global_defs` sets it to `false` and drops the code it guards. */
declare const DEBUG: boolean;
/**
 * The widget server's public URL followed by `/v1/`, which the server writes into the bundle
 * it serves (see server/bake.ts); `''` when it has none. The server appends `/v1/`, not the
 * bundle (10 B; 7 B without countdowns).
 */
declare const CROSSCLOCK_URL: string;
/** False in the build without countdown badges (the bench's measure of what they cost); true otherwise. */
declare const COUNTDOWN: boolean;
