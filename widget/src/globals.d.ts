/** True only in debug builds: terser's `global_defs` sets it to `false` and drops the code it guards. */
declare const DEBUG: boolean;
