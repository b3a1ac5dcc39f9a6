import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BENCH_MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

describe('npm run bench -- --json FILE', () => {
  it('refuses a file it cannot write with one line and exit code 2, before measuring anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossclock-bench-'));
    const file = join(dir, 'no-such-folder', 'bench-out.json');
    try {
      const child = spawn(process.execPath, [BENCH_MAIN, '--only', 'sizes', '--json', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      const [code] = await once(child, 'close');
      assert.equal(code, 2);
      assert.equal(out, '', 'no table: nothing was measured');
      assert.equal(err, `bench: --json cannot write ${file}: its folder does not exist\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
