import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const START = fileURLToPath(new URL('../../sites/start.js', import.meta.url));
const USAGE = 'usage: node dist/sites/start.js [--port N] [--sites-port N] [--domain D] [--host H] [--public-url URL]';

/** Runs `npm start`'s program with `args`, which it must refuse before listening: exit code, stdout, stderr. */
async function refused(args: string[]): Promise<[number | null, string, string]> {
  const child = spawn(process.execPath, [START, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const [code] = await once(child, 'close');
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
