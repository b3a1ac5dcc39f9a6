import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';

/** Runs `body` against `createApp(options)` served on a free port, closing it afterwards. */
export async function withServer<T>(options: AppOptions, body: (srv: Served) => Promise<T>): Promise<T> {
  const srv = await serve(createApp(options));
  try {
    return await body(srv);
  } finally {
    await srv.close();
  }
}

/** A stand-in `dist/widget` holding `files` (name → text), so expected bytes are known. */
export function widgetDir(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'crossclock-widget-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
