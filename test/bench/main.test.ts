import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runToEnd } from '../support/run-to-end.js';

const BENCH_MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

describe('npm run bench -- --json FILE', () => {
  it('refuses a file it cannot write with one line and exit code 2, before measuring anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossclock-bench-'));
    const file = join(dir, 'no-such-folder', 'bench-out.json');
    try {
      const { code, out, err } = await runToEnd(BENCH_MAIN, ['--only', 'sizes', '--json', file]);
      assert.equal(code, 2);
      assert.equal(out, '', 'no table: nothing was measured');
      assert.equal(err, `bench: --json cannot write ${file}: its folder does not exist\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
