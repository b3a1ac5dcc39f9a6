import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

// Strings that would tell a visitor where and how the server is installed.
const DIST = fileURLToPath(new URL('../../', import.meta.url));
const FORBIDDEN = [DIST, DIST.replace(/\/dist\/$/, ''), process.cwd(), tmpdir(), 'node_modules', '/usr/', 'Error:', '    at '];

/** Asserts an answer a client could get for `path`: not a server error, naming no file. */
export function assertSafeAnswer(res: { status: number; text: string }, path: string): void {
  assert.ok(res.status < 500, `${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
  for (const word of FORBIDDEN) assert.ok(!res.text.includes(word), `${path}: the answer names "${word}"`);
}
