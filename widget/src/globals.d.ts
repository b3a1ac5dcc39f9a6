/** True only in debug builds: terser's `global_defs` sets it to `false` and drops the code it guards. */
declare const DEBUG: boolean;
/** False in the build without countdown badges (the bench's measure of what they cost); true otherwise. */
declare const COUNTDOWN: boolean;
