import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pollUntil } from '../support/nginx.js';
import { runToEnd } from '../support/run-to-end.js';
import { rawExchange } from './request.js';

const MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  /** JSON records the process wrote to stderr, in order. */
  records: Record<string, unknown>[];
  /** JSON lines the process wrote to stdout after its "listening on" line (the access log), in order. */
  access: Record<string, unknown>[];
  /** Resolves with the first stderr record matching `test`, already written or still to come. */
  record(test: (r: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

async function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const records: Record<string, unknown>[] = [];
  const waiters: { test: (r: Record<string, unknown>) => boolean; resolve: (r: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line);
    } catch {
      process.stderr.write(line + '\n');
      return;
    }
    records.push(r);
    for (const w of waiters.splice(0)) (w.test(r) ? w.resolve(r) : waiters.push(w));
  });
  const out = createInterface({ input: child.stdout! });
  const [line] = (await once(out, 'line')) as [string];
  const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
  assert.ok(m, line);
  const access: Record<string, unknown>[] = [];
  out.on('line', (l) => access.push(JSON.parse(l)));
  return {
    child,
    url: m[1],
    records,
    access,
    record: (test) => {
      const found = records.find(test);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

describe('node dist/server/main.js', () => {
  it('prints one "listening on" line with the real port when given --port 0, then serves', async () => {
    const { child, url } = await start([]);
    try {
      assert.equal((await fetch(url + '/healthz')).status, 200);
    } finally {
      await stop(child);
    }
  });

  it('keeps idle connections 65 s by default, and as long as --keep-alive-timeout says', async () => {
    const keepAlive = async (args: string[]) => {
      const { child, url } = await start(args);
      const agent = new Agent({ keepAlive: true });
      try {
        return await new Promise<string | undefined>((resolve, reject) => {
          request(url + '/healthz', { agent }, (res) => {
            res.resume();
            resolve(String(res.headers['keep-alive']));
          }).on('error', reject).end();
        });
      } finally {
        agent.destroy();
        await stop(child);
      }
    };
    assert.equal(await keepAlive([]), 'timeout=65');
    assert.equal(await keepAlive(['--keep-alive-timeout', '5000']), 'timeout=5');
  });

  it('answers CONNECT with the 405 and Allow every other unserved method gets, logs it, then keeps serving', async () => {
    const { child, url, access } = await start(['--access-log']);
    try {
      const { port } = new URL(url);
      const socket = connect(+port, '127.0.0.1');
      socket.end('CONNECT /getTime HTTP/1.1\r\nHost: localhost\r\n\r\n');
      let answer = '';
      for await (const chunk of socket) answer += chunk;
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 405 /);
      assert.match(head, /\r\nallow: GET, HEAD\r\n/i);
      assert.equal(JSON.parse(body).error.code, 'method_not_allowed');
      assert.equal((await fetch(url + '/v1/time')).status, 200);
      // An operator sees the refusal like any other answer, before the next request's record.
      await pollUntil(() => (access.length >= 2 ? true : undefined), 5000, 'two access records');
      const { time, id, ms, ...refusal } = access[0];
      assert.equal(typeof time, 'string');
      assert.equal(typeof id, 'string');
      assert.equal(typeof ms, 'number');
      assert.deepEqual(refusal, { level: 'access', method: 'CONNECT', path: '/getTime', status: 405, bytes: Buffer.byteLength(body), ip: '127.0.0.1', complete: true });
      assert.deepEqual([access[1].method, access[1].path, access[1].status], ['GET', '/v1/time', 200]);
    } finally {
      await stop(child);
    }
  });

  it('answers a method its HTTP parser does not know (FOO, get) with the same 405 and Allow, and garbage with 400', async () => {
    const { child, url } = await start([]);
    const exchange = (request: string) => rawExchange(url, request);
    try {
      for (const method of ['FOO', 'get', 'BREW']) {
        const answer = await exchange(`${method} /v1/time HTTP/1.1\r\nHost: localhost\r\n\r\n`);
        const [head, body] = answer.split('\r\n\r\n');
        assert.match(head, /^HTTP\/1\.1 405 /, method);
        assert.match(head, /\r\nallow: GET, HEAD\r\n/i, method);
        assert.match(head, /\r\nx-content-type-options: nosniff\r\n/i, method);
        assert.equal(JSON.parse(body).error.code, 'method_not_allowed', method);
      }
      // Not a method at all (a TLS handshake on the plain port, say): a 400.
      assert.match(await exchange('\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03'), /^HTTP\/1\.1 400 /);
      assert.equal((await fetch(url + '/v1/time')).status, 200);
    } finally {
      await stop(child);
    }
  });

  it('answers every other request its HTTP parser refuses with Node\'s status as a JSON error with nosniff, never cached', async () => {
    const { child, url } = await start([]);
    const exchange = (request: string | Buffer) => rawExchange(url, request);
    try {
      const cases: [name: string, request: string | Buffer, status: number, code: string][] = [
        ['no HTTP at all (a TLS handshake)', '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03', 400, 'bad_request'],
        // nginx passes such a header value on: only the instance's parser refuses it.
        ['a control character in a header value', Buffer.from('GET /v1/time HTTP/1.1\r\nHost: localhost\r\nX: a\x01b\r\n\r\n', 'latin1'), 400, 'bad_request'],
        ['two Content-Lengths', 'GET /v1/time HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400, 'bad_request'],
        ['headers past 64 kB', `GET /v1/time HTTP/1.1\r\nHost: localhost\r\nX: ${'a'.repeat(70_000)}\r\n\r\n`, 431, 'headers_too_large'],
      ];
      for (const [name, request, status, code] of cases) {
        const answer = await exchange(request);
        const [head, body] = answer.split('\r\n\r\n');
        assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `), name);
        assert.match(head, /\r\ncontent-type: application\/json; charset=utf-8\r\n/i, name);
        assert.match(head, /\r\nx-content-type-options: nosniff\r\n/i, name);
        assert.match(head, /\r\ncache-control: no-store\r\n/i, name);
        assert.equal(JSON.parse(body).error.code, code, name);
      }
      assert.equal((await fetch(url + '/v1/time')).status, 200);
    } finally {
      await stop(child);
    }
  });

  it('logs every request its HTTP parser refuses, with the method and path its request line gave, before the next request\'s record', async () => {
    const { child, url, access } = await start(['--access-log']);
    try {
      const refused: [request: string, method: string | null, path: string | null, status: number][] = [
        ['FOO /v1/time?callback=x HTTP/1.1\r\nHost: localhost\r\n\r\n', 'FOO', '/v1/time', 405],
        ['GET /getTime HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 'GET', '/getTime', 400],
        ['\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03', null, null, 400],
      ];
      const bodies: number[] = [];
      for (const [request] of refused) bodies.push(Buffer.byteLength((await rawExchange(url, request)).split('\r\n\r\n')[1]));
      assert.equal((await fetch(url + '/v1/time')).status, 200);
      // An operator (or a probe of the plain port) sees each refusal like any other answer.
      await pollUntil(() => (access.length >= refused.length + 1 ? true : undefined), 5000, 'the access records');
      refused.forEach(([, method, path, status], i) => {
        const { time, id, ...record } = access[i];
        assert.equal(typeof time, 'string');
        assert.equal(typeof id, 'string');
        assert.deepEqual(record, { level: 'access', method, path, status, bytes: bodies[i], ms: 0, ip: '127.0.0.1', complete: true });
      });
      assert.deepEqual([access[refused.length].method, access[refused.length].status], ['GET', 200]);
    } finally {
      await stop(child);
    }
  });

  it('answers an HTTP/1.1 request without Host with a 400 JSON error, as the edge does, and logs it', async () => {
    const { child, url, access } = await start(['--access-log']);
    try {
      // RFC 9112 (3.2) makes it a 400. node:http's own answer had no body and no record.
      const answer = await rawExchange(url, 'GET /v1/time?callback=cb HTTP/1.1\r\n\r\n');
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 400 /);
      assert.match(head, /\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
      assert.match(head, /\r\nx-content-type-options: nosniff\r\n/i);
      assert.match(head, /\r\ncache-control: no-store\r\n/i);
      assert.equal(JSON.parse(body).error.code, 'bad_request');
      // HTTP/1.0 has no Host to require: health checkers and scripts send none.
      assert.match(await rawExchange(url, 'GET /v1/time HTTP/1.0\r\n\r\n'), /^HTTP\/1\.1 200 /);
      await pollUntil(() => (access.length >= 2 ? true : undefined), 5000, 'the access records');
      assert.deepEqual(access.map((r) => [r.method, r.path, r.status]), [['GET', '/v1/time', 400], ['GET', '/v1/time', 200]]);
    } finally {
      await stop(child);
    }
  });

  it('answers a request with an expectation it does not know as any other, as the edge does, and logs it', async () => {
    const { child, url, access } = await start(['--access-log']);
    try {
      const socket = connect(+new URL(url).port, '127.0.0.1');
      socket.end('GET /v1/time?callback=cb HTTP/1.1\r\nHost: localhost\r\nExpect: bogus\r\nConnection: close\r\n\r\n');
      let answer = '';
      for await (const chunk of socket) answer += chunk;
      assert.match(answer, /^HTTP\/1\.1 200 /);
      assert.match(answer, /\r\n\/\*\*\/ typeof cb === 'function' && cb\(/);
      await pollUntil(() => (access.length >= 1 ? true : undefined), 5000, 'the access record');
      assert.deepEqual([access[0].method, access[0].path, access[0].status], ['GET', '/v1/time', 200]);
    } finally {
      await stop(child);
    }
  });

  it('exits with a clear message on a bad flag', async () => {
    const { code, err } = await runToEnd(MAIN, ['--port', 'eighty']);
    assert.equal(code, 2);
    assert.match(err, /--port must be a port number/);
  });

  it('exits with a clear message on a rate limit store URL it cannot use, before serving', async () => {
    const { code, out, err } = await runToEnd(MAIN, ['--port', '0', '--rate-limit-store', 'redis//cache:6379']);
    assert.equal(code, 2);
    assert.equal(err, 'crossclock: --rate-limit-store must be "memory" or a redis://host[:port][/db] URL (rediss:// for TLS), got "redis//cache:6379"\n');
    assert.equal(out, '', 'it never listened');
  });

  it('writes one JSON access line per request to stdout with --access-log', async () => {
    const { child, url } = await start(['--access-log']);
    try {
      const lines = createInterface({ input: child.stdout! });
      const next = once(lines, 'line');
      await (await fetch(url + '/v1/time?callback=cb')).text();
      const [line] = (await next) as [string];
      const record = JSON.parse(line);
      assert.equal(record.level, 'access');
      assert.equal(record.path, '/v1/time');
      assert.equal(record.status, 200);
    } finally {
      await stop(child);
    }
  });
});

describe('when the access log cannot be written any more', () => {
  /**
   * Starts the server with `args` and the access log on, then closes the reading end of its
   * stdout (a pipe to a log shipper that went away) and sends requests until the process is
   * gone. Resolves with its exit code and what it wrote to stderr.
   */
  async function loseStdout(args: string[]): Promise<[code: number | null, err: string]> {
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--access-log', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const url = /^listening on (\S+)$/.exec(line)![1];
    child.stdout.destroy();
    await pollUntil(async () => {
      if (child.exitCode !== null) return true;
      await fetch(url + '/healthz').then((r) => r.arrayBuffer()).catch(() => {});
      return undefined;
    }, 10_000, 'the process to stop').finally(() => child.exitCode === null && child.kill('SIGKILL'));
    const [code] = await exited;
    return [code, err];
  }

  it('exits 1 with one line saying so, not a stack trace, once its reader is gone', async () => {
    const [code, err] = await loseStdout([]);
    assert.equal(code, 1);
    assert.equal(err, 'crossclock: cannot write the access log to stdout: write EPIPE\n');
  });

  it('with --workers, stops the primary with exit 1 at the first worker that finds it gone, starting no replacement', async () => {
    // Every worker writes to the primary's stdout: a replacement would die at its first
    // request, and only a restart of the whole process gives the log a reader again.
    const [code, err] = await loseStdout(['--workers', '2']);
    assert.equal(code, 1);
    assert.match(err, /^crossclock: cannot write the access log to stdout: write EPIPE$/m);
    assert.doesNotMatch(err, /"event":"worker-restart-scheduled"/);
  });
});

describe('graceful shutdown', () => {
  it('fails no request when SIGTERM arrives during a keep-alive load, then exits 0', async () => {
    const { child, url } = await start(['--rate-limit', '0', '--shutdown-timeout', '5000']);
    const { port } = new URL(url);
    // 6 connections, each sending requests back to back until the server says Connection: close.
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    let ok = 0;
    const failures: string[] = [];
    let sigtermSent = false;
    const TOTAL = 600;
    let sent = 0;
    const one = () =>
      new Promise<boolean>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/v1/time?callback=cb', agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) ok++;
            else failures.push(`status ${res.statusCode}`);
            // A client told to close opens its next request elsewhere: here, nowhere.
            resolve(res.headers.connection !== 'close');
          });
        });
        req.on('error', (err) => {
          failures.push(err.message);
          resolve(false);
        });
        req.end();
      });
    const connection = async () => {
      while (sent < TOTAL) {
        sent++;
        if (sent === 150 && !sigtermSent) {
          sigtermSent = true;
          child.kill('SIGTERM');
        }
        if (!(await one())) return;
      }
    };
    const exit = once(child, 'exit');
    await Promise.all(Array.from({ length: 6 }, connection));
    const [code] = await exit;
    agent.destroy();
    assert.ok(sigtermSent, 'the load ended before SIGTERM was sent');
    assert.deepEqual(failures, []);
    assert.ok(ok >= 150, `only ${ok} requests answered`);
    assert.equal(code, 0);
  });

  it('answers /readyz 503 while draining, on a connection it already accepted', async () => {
    const running = await start(['--shutdown-timeout', '5000']);
    const { child } = running;
    const { port } = new URL(running.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        }).on('error', reject).end();
      });
    try {
      assert.equal((await get('/readyz')).status, 200);
      const exit = once(child, 'exit');
      child.kill('SIGTERM');
      await running.record((r) => r.event === 'shutdown');
      // The idle socket is kept for a grace period, so this request reaches the draining server.
      const draining = await get('/readyz');
      assert.equal(draining.status, 503);
      assert.equal(draining.connection, 'close');
      assert.equal((await exit)[0], 0);
    } finally {
      agent.destroy();
      await stop(child);
    }
  });
});

describe('forced shutdown', () => {
  it('cuts a request still unfinished after --shutdown-timeout and exits 1', async () => {
    // Headers sent, body still coming: a request accepted and not yet complete. (A client
    // still sending headers is simply closed: see connections.test.ts.)
    const running = await start(['--shutdown-timeout', '400', '--headers-timeout', '30000']);
    const socket = connect(Number(new URL(running.url).port), '127.0.0.1');
    try {
      await once(socket, 'connect');
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab');
      // Once answered, the request is certainly in flight: its body is what is missing.
      await once(socket, 'data');
      const closed = once(socket, 'close');
      const exit = once(running.child, 'exit');
      running.child.kill('SIGTERM');
      assert.equal((await exit)[0], 1);
      await closed;
      await running.record((r) => r.event === 'shutdown-forced');
    } finally {
      socket.destroy();
      await stop(running.child);
    }
  });
});

describe('--workers', () => {
  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const running = await start(['--workers', '2']);
    try {
      const first = await running.record((r) => r.event === 'worker-listening');
      await running.record((r) => r.event === 'worker-listening' && r.pid !== first.pid);
      const pids = running.records.filter((r) => r.event === 'worker-listening').map((r) => r.pid as number);
      process.kill(pids[0], 'SIGKILL');
      const exited = await running.record((r) => r.event === 'worker-exited');
      assert.deepEqual([exited.pid, exited.signal], [pids[0], 'SIGKILL']);
      for (let i = 0; i < 6; i++) assert.equal((await fetch(running.url + '/healthz')).status, 200);
      const replaced = await running.record((r) => r.event === 'worker-listening' && !pids.includes(r.pid as number));
      assert.equal(typeof replaced.pid, 'number');
      for (let i = 0; i < 6; i++) assert.equal((await fetch(running.url + '/healthz')).status, 200);
    } finally {
      const exit = once(running.child, 'exit');
      running.child.kill('SIGTERM');
      assert.equal((await exit)[0], 0);
    }
  });
});

describe('with its port already taken', () => {
  /** Runs the server on a port something else holds: exit code, stdout, stderr, once every pipe closed. */
  async function onTakenPort(args: string[]): Promise<{ code: number | null; port: number; out: string; err: string }> {
    const taken = createServer(() => {});
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      return { port, ...(await runToEnd(MAIN, ['--port', String(port), ...args])) };
    } finally {
      taken.close();
    }
  }

  it('stops with one message naming the address and exit code 1', async () => {
    const { code, port, out, err } = await onTakenPort([]);
    assert.deepEqual([code, out], [1, '']);
    assert.match(err, new RegExp(`^crossclock: cannot listen on 127\\.0\\.0\\.1:${port}: [^\\n]*EADDRINUSE[^\\n]*\\n$`));
  });

  it('with --workers, stops the primary with exit code 1 once the first worker says why, and no stack trace', async () => {
    const { code, port, out, err } = await onTakenPort(['--workers', '2']);
    assert.deepEqual([code, out], [1, '']);
    assert.match(err, new RegExp(`^crossclock: cannot listen on 127\\.0\\.0\\.1:${port}: [^\\n]*EADDRINUSE`, 'm'));
    assert.match(err, /"event":"worker-never-listened"/);
    for (const line of err.trim().split('\n')) assert.ok(line.startsWith('{') || line.startsWith('crossclock: '), line);
  });
});

describe('--workers with a metrics port already taken', () => {
  it('stops at once with one message and exit 1, starting no worker that could outlive it', async () => {
    const taken = createServer(() => {});
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      // runToEnd waits for every holder of the pipes: a worker left behind by the primary
      // would still be writing here.
      const { code, out, err } = await runToEnd(MAIN, ['--port', '0', '--workers', '2', '--metrics-port', String(port)]);
      assert.equal(code, 1);
      assert.equal(out, '', 'it never listened');
      assert.match(err, new RegExp(`^crossclock: cannot listen for metrics on 127\\.0\\.0\\.1:${port}: [^\\n]*EADDRINUSE[^\\n]*\\n$`));
    } finally {
      taken.close();
    }
  });
});

describe('--workers while a replacement is still starting', () => {
  it('replaces one killed before it listens (the port stays served), and a SIGTERM then still ends the primary with exit 0', async () => {
    // A "Redis" that accepts connections and never answers: every worker waits on it while
    // starting, so a replacement is reliably caught before it listens.
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const store = `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const running = await start(['--workers', '2', '--rate-limit-store', store]);
    try {
      const first = await running.record((r) => r.event === 'worker-listening');
      const second = await running.record((r) => r.event === 'worker-listening' && r.pid !== first.pid);
      process.kill(first.pid as number, 'SIGKILL');
      const known = new Set([first.pid, second.pid]);
      const replacement = await running.record((r) => r.event === 'worker-started' && !known.has(r.pid));
      process.kill(replacement.pid as number, 'SIGKILL');
      // The primary's decision about that death: a replacement scheduled, or (wrongly) giving up.
      const decision = await pollUntil(() => {
        const died = running.records.findIndex((r) => r.event === 'worker-exited' && r.pid === replacement.pid);
        return died < 0 ? undefined : running.records.slice(died + 1).find((r) => r.event === 'worker-restart-scheduled' || r.event === 'worker-never-listened');
      }, 5000, 'the primary to decide about the replacement');
      assert.equal(decision.event, 'worker-restart-scheduled');
      assert.equal((await fetch(running.url + '/healthz')).status, 200);
      // The next replacement, still starting, gets the primary's SIGTERM with the others.
      known.add(replacement.pid);
      await running.record((r) => r.event === 'worker-started' && !known.has(r.pid));
      const exit = once(running.child, 'exit');
      running.child.kill('SIGTERM');
      assert.equal((await exit)[0], 0);
    } finally {
      await stop(running.child);
      silent.close();
    }
  });
});

describe('--workers when workers keep dying', () => {
  it('waits twice as long before each replacement, then ends the primary with exit 1 and says why', async () => {
    const running = await start(['--workers', '2', '--max-worker-deaths', '4']);
    // One worker is left alone throughout, so the port always has a worker behind it.
    const survivor = (await running.record((r) => r.event === 'worker-listening')).pid as number;
    const killed = new Set<number>([survivor]);
    /** Kills one other listening worker and waits for the primary's decision about it. */
    const killOne = async () => {
      const listening = await running.record((r) => r.event === 'worker-listening' && !killed.has(r.pid as number));
      const pid = listening.pid as number;
      killed.add(pid);
      const decisions = () => running.records.filter((r) => r.event === 'worker-restart-scheduled' || r.event === 'crash-loop').length;
      const before = decisions();
      process.kill(pid, 'SIGKILL');
      await pollUntil(() => (decisions() > before ? true : undefined), 5000, 'the primary to decide');
    };
    const exit = once(running.child, 'exit');
    try {
      for (let i = 0; i < 3; i++) {
        await killOne();
        // Still serving from the other worker meanwhile (a fresh connection: a pooled one
        // may have gone to the worker just killed).
        const status = await new Promise<number>((resolve, reject) => {
          request(running.url + '/healthz', { agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          }).on('error', reject).end();
        });
        assert.equal(status, 200);
      }
      const delays = running.records.filter((r) => r.event === 'worker-restart-scheduled').map((r) => r.delayMs);
      assert.deepEqual(delays, [100, 200, 400]);
      await killOne();
      const [code] = await exit;
      assert.equal(code, 1);
      const loop = running.records.find((r) => r.event === 'crash-loop')!;
      assert.equal(loop.deaths, 4);
      assert.match(String(loop.message), /workers died 4 times within a minute: a crash loop, stopping/);
    } finally {
      await stop(running.child);
    }
  });
});
