import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const START = fileURLToPath(new URL('../../dist/sites/start.js', import.meta.url));

/** Runs `npm start`'s program with `args`; resolves with the printed rows once it says `ready`. */
async function start(args: string[]) {
  const child = spawn(process.execPath, [START, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const rows: Record<string, string> = {};
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^ {2}(.+?)\s{2,}(http\S+)$/.exec(line);
      if (m) rows[m[1]] = m[2];
      if (line === 'ready') resolve();
    });
  });
  return { child, rows, stderr: () => stderr };
}

/** Whether a port on loopback can be listened on again. */
const free = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

test.describe('npm start', () => {
  test('prints one URL per origin, each site on its own host name', async () => {
    const { child, rows } = await start(['--port', '0', '--sites-port', '0']);
    try {
      expect(Object.keys(rows)).toEqual(['widget server', 'news', 'shop', 'strict', 'seed', 'iframe', 'frame']);
      expect(rows['widget server']).toMatch(/^http:\/\/widget\.localhost:\d+\/$/);
      for (const name of ['news', 'shop', 'strict', 'seed', 'iframe', 'frame']) expect(rows[name]).toMatch(new RegExp(`^http://${name}\\.localhost:\\d+/$`));
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  test('Ctrl-C (SIGINT) stops everything with exit code 0 and frees every port', async () => {
    const { child, rows } = await start(['--port', '0', '--sites-port', '0']);
    const ports = Object.values(rows).map((url) => Number(new URL(url).port));
    // An open keep-alive connection must not hold the shutdown up.
    const res = await fetch(rows.news.replace('news.localhost', '127.0.0.1'));
    expect(res.status).toBe(200);
    child.kill('SIGINT');
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    for (const port of ports) expect(await free(port), `port ${port} is free`).toBe(true);
  });

  test('a public URL given by flag is what the pages and snippets point at', async ({ request }) => {
    const { child, rows } = await start(['--port', '0', '--sites-port', '0', '--public-url', 'https://clock.example.org/']);
    try {
      expect(rows['widget server']).toBe('https://clock.example.org/');
      const news = await request.get(rows.news.replace('news.localhost', '127.0.0.1'));
      const loader = /<script>([\s\S]*?)<\/script>/.exec(await news.text())?.[1];
      expect(loader).toContain('https://clock.example.org/');
      expect(loader).not.toMatch(/localhost|127\.0\.0\.1|CROSSCLOCK_URL/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  test('a bad flag is refused with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, [START, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a port number, not "eighty"');
  });
});
