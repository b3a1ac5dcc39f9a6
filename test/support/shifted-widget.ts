import { builtPath } from './built.js';
import { startInstance } from './instance.js';

/** How far the shifted server's clock is behind the device's: −3 h 17 min 41.25 s, which no device clock matches by accident. */
export const SHIFT_MS = -(((3 * 60 + 17) * 60 + 41) * 1000 + 250);

/** A widget server whose clock runs `shiftMs` away from this machine's (and so from the browser's). */
export interface ShiftedWidget {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  shiftMs: number;
  kill(): Promise<void>;
}

/**
 * Starts test/support/shifted-main.js (the app with its clock shifted; the CLI has no such
 * flag) on 127.0.0.1, on `port` (0: a free one): a page whose device clock disagrees with
 * the server by `shiftMs`.
 */
export async function startShiftedWidget(shiftMs: number, port = 0): Promise<ShiftedWidget> {
  const instance = await startInstance(['--shift-ms', String(shiftMs)], port, builtPath('test/support/shifted-main.js'));
  return { url: instance.url, port: instance.port, shiftMs, kill: () => instance.kill() };
}
