import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runToEnd } from '../support/run-to-end.js';

const START = fileURLToPath(new URL('../../sites/start.js', import.meta.url));
const USAGE = 'usage: node dist/sites/start.js [--port N] [--sites-port N] [--domain D] [--host H] [--public-url URL]';

/** Runs `npm start`'s program with `args`, which it must refuse before listening: exit code, stdout, stderr. */
async function refused(args: string[]): Promise<[number | null, string, string]> {
  const { code, out, err } = await runToEnd(START, args);
  return [code, out, err];
}

describe('npm start with flags it cannot use', () => {
  it('answers --help, like any unknown flag, with the usage line', async () => {
    assert.deepEqual(await refused(['--help']), [2, '', `crossclock start: unknown flag --help\n${USAGE}\n`]);
  });

  it('names the flag when a --sites-port leaves no room for every site', async () => {
    const [code, out, err] = await refused(['--port', '0', '--sites-port', '65534']);
    assert.deepEqual([code, out], [2, '']);
    assert.equal(err, 'crossclock start: --sites-port 65534 leaves no room for the 6 sites (65534 to 65539): at most 65530\n');
  });

  it('refuses an empty --host, which would listen on every interface', async () => {
    assert.deepEqual(await refused(['--port', '0', '--sites-port', '0', '--host', '']), [2, '', 'crossclock start: --host must be an address or host name, got ""\n']);
  });

  it('says what --domain takes', async () => {
    assert.deepEqual(await refused(['--domain', 'bad domain']), [2, '', 'crossclock start: --domain must be a host name such as localhost, got "bad domain"\n']);
  });
});
