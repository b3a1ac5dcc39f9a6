import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));

describe('node dist/server/main.js', () => {
  it('prints one "listening on" line with the real port when given --port 0, then serves', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      assert.ok(m, line);
      assert.notEqual(m[2], '0');
      const res = await fetch(m[1] + '/healthz');
      assert.equal(res.status, 200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('exits with a clear message on a bad flag', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', 'eighty'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(err, /--port must be a port number/);
  });
});
