import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startChild } from './process.js';

const SERVER_MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));

describe('a bench server in a child process', () => {
  it('is reachable at the URL it printed, and gone after stop', async () => {
    const child = await startChild(SERVER_MAIN, ['--port', '0', '--host', '127.0.0.1']);
    assert.match(child.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(child.url + '/healthz')).status, 200);
    await child.stop();
    await assert.rejects(fetch(child.url + '/healthz'));
  });

  it('rejects with the child\'s own complaint when it refuses a flag (how a missing --workers shows)', async () => {
    await assert.rejects(startChild(SERVER_MAIN, ['--no-such-flag', '1']), /exited with code 2: crossclock: unknown flag --no-such-flag/);
  });
});
