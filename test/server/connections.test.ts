// Slow and greedy clients against one real `node dist/server/main.js` process.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { startInstance } from '../support/instance.js';
import { pollUntil } from '../support/nginx.js';
import { scrape, valueOf } from '../support/prometheus.js';

const UNLIMITED = ['--rate-limit', '0'];

/** A raw connection to `port`, connected, collecting what the server sends. */
async function open(port: number): Promise<{ socket: Socket; received(): string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (text += c));
  // A reset is a close too: either way the server let go of the connection.
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.on('error', () => {});
  });
  await once(socket, 'connect');
  return { socket, received: () => text, closed };
}

/** One complete GET over `socket`, read up to the end of its (small) body. */
async function getOver(c: { socket: Socket; received(): string }, path: string): Promise<string> {
  const before = c.received().length;
  c.socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  return pollUntil(() => {
    const text = c.received().slice(before);
    const m = /content-length: (\d+)\r\n[\s\S]*?\r\n\r\n([\s\S]*)$/i.exec(text);
    return m && Buffer.byteLength(m[2]) >= Number(m[1]) ? text : undefined;
  }, 5000, `an answer to ${path}`);
}

/**
 * Checks that a connection was cut `held` ms after its timeout (of `timeout` ms) started
 * running: not before, and long before what the bug looked like (held for as long as the
 * client liked, or until Node's own 30 s check). The cut itself comes within the timeout plus
 * one check (a quarter of it); the rest of 12 s is slack for a loaded 2-core machine, where
 * the stalled server's writes of megabytes alone took over 5 s. Then checks that the instance
 * still serves.
 */
async function assertCutOnTime(held: number, timeout: number, instance: { url: string }) {
  assert.ok(held >= timeout, `cut after ${held} ms, before the timeout`);
  assert.ok(held < timeout + 12_000, `held ${held} ms`);
  assert.equal((await fetch(instance.url + '/v1/time')).status, 200);
}

describe('a client trickling its request headers', () => {
  it('is answered 408 and cut once --headers-timeout has passed since its first byte', async () => {
    const instance = await startInstance([...UNLIMITED, '--headers-timeout', '1000']);
    try {
      const c = await open(instance.port);
      const start = Date.now();
      c.socket.write('GET /v1/time HTTP/1.1\r\nHost: x\r\n');
      const trickle = setInterval(() => c.socket.writable && c.socket.write('X-A: b\r\n'), 100);
      await c.closed;
      clearInterval(trickle);
      assert.match(c.received(), /^HTTP\/1\.1 408 /);
      // Node's own 30 s check interval would hold it past 30 s.
      await assertCutOnTime(Date.now() - start, 1000, instance);
    } finally {
      await instance.stop();
    }
  });

  it('does not cut a keep-alive connection idle between requests: that is the keep-alive timeout\'s job', async () => {
    const instance = await startInstance([...UNLIMITED, '--headers-timeout', '300', '--keep-alive-timeout', '10000']);
    try {
      const c = await open(instance.port);
      assert.match(await getOver(c, '/healthz'), /^HTTP\/1\.1 200 /);
      // Three headers timeouts of idleness (polled, not slept: the answer must come back each time).
      const idleUntil = Date.now() + 900;
      await pollUntil(() => (Date.now() > idleUntil ? true : undefined), 2000, 'the idle time');
      assert.match(await getOver(c, '/v1/time'), /^HTTP\/1\.1 200 /);
      c.socket.destroy();
    } finally {
      await instance.stop();
    }
  });
});

describe('a client that stops reading its answers', () => {
  // Pipelined bundle answers: several megabytes, more than loopback's socket buffers hold.
  const pipeline = (n: number) => 'GET /v1/crossclock.js HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(n);

  it('is cut once --send-timeout has passed with its answers not moving', async () => {
    // All the requests arrive in one packet and are parsed at once: the headers timeout has
    // nothing left to time (lifted anyway), and Node, owing answers, starts no keep-alive timeout.
    const instance = await startInstance([...UNLIMITED, '--send-timeout', '1000', '--headers-timeout', '60000']);
    try {
      const c = await open(instance.port);
      c.socket.pause();
      c.socket.write(pipeline(1000));
      const start = Date.now();
      // A paused socket notices the server's reset only when it writes: one more request now
      // and then (the server, stalled, parses none of them).
      const poke = setInterval(() => c.socket.writable && c.socket.write(pipeline(1)), 100);
      let cut = false;
      void c.closed.then(() => (cut = true));
      try {
        await pollUntil(() => (cut ? true : undefined), 15_000, 'the server to cut the connection');
      } finally {
        clearInterval(poke);
        c.socket.destroy();
      }
      // Before, the connection was held for as long as the client liked.
      await assertCutOnTime(Date.now() - start, 1000, instance);
    } finally {
      await instance.stop();
    }
  });

  it('is not cut while it still reads, however slowly', async () => {
    // Pipelined requests wait in the server's buffer while we read: Node counts their headers
    // time from their arrival, so that bound is lifted here.
    const instance = await startInstance([...UNLIMITED, '--send-timeout', '2000', '--headers-timeout', '60000']);
    try {
      const c = await open(instance.port);
      const N = 1000;
      c.socket.pause();
      c.socket.write(pipeline(N));
      const start = Date.now();
      // A chunk every 20 ms, a few MB/s: the server could write far faster, so its answers wait
      // on us all along. The kernel lets it write again only once a large part of its socket
      // buffer is free (as nginx's send_timeout, this sees progress as the kernel does), which
      // at this pace is well within the timeout.
      const trickle = setInterval(() => c.socket.read(), 20);
      // Not anchored to a line start: the bundle ends without a newline, so the next answer's
      // status line follows its last byte.
      const answers = () => c.received().match(/HTTP\/1\.1 200 OK\r\n/g)?.length ?? 0;
      try {
        await pollUntil(() => (answers() === N && /\}\)\(\);?\s*$/.test(c.received()) ? true : undefined), 30_000, `${N} answers`);
      } finally {
        clearInterval(trickle);
      }
      assert.ok(Date.now() - start > 2000, 'reading took longer than the timeout');
      c.socket.resume();
      assert.match(await getOver(c, '/v1/time'), /^HTTP\/1\.1 200 /);
      c.socket.destroy();
    } finally {
      await instance.stop();
    }
  });
});

describe('connections beyond --max-connections', () => {
  it('are answered 503 with Retry-After at once and closed, and the process serves again as others leave', async () => {
    const CAP = 4;
    const instance = await startInstance([...UNLIMITED, '--max-connections', String(CAP), '--metrics-port', '0']);
    const held: Awaited<ReturnType<typeof open>>[] = [];
    try {
      // Fill the cap with kept-alive connections, each proven accepted by an answer.
      for (let i = 0; i < CAP; i++) {
        const c = await open(instance.port);
        assert.match(await getOver(c, '/healthz'), /^HTTP\/1\.1 200 /);
        held.push(c);
      }
      const FLOOD = 40;
      const flood = await Promise.all(
        Array.from({ length: FLOOD }, async () => {
          const c = await open(instance.port);
          c.socket.write('GET /v1/time HTTP/1.1\r\nHost: x\r\n\r\n');
          await c.closed;
          return c.received();
        }),
      );
      for (const answer of flood) {
        assert.match(answer, /^HTTP\/1\.1 503 /);
        assert.match(answer, /\r\nretry-after: 1\r\n/);
        assert.match(answer, /\r\nconnection: close\r\n/);
        assert.equal(JSON.parse(answer.split('\r\n\r\n')[1]).error.code, 'overloaded');
      }
      // Each refusal is counted where an operator looks, though no request was ever read.
      assert.equal(valueOf(await scrape(instance.metricsUrl!), 'crossclock_connections_refused_total'), FLOOD);
      // The connections already accepted are served as before.
      assert.match(await getOver(held[0], '/v1/time'), /^HTTP\/1\.1 200 /);
      for (const c of held.splice(0)) c.socket.destroy();
      await pollUntil(async () => ((await fetch(instance.url + '/v1/time')).status === 200 ? true : undefined), 5000, 'a free slot');
    } finally {
      for (const c of held) c.socket.destroy();
      await instance.stop();
    }
  });
});

describe('SIGTERM with slow and idle clients connected', () => {
  it('closes them and exits 0 well before --shutdown-timeout', async () => {
    // Long headers timeout: the shutdown, not the timeout, must deal with the slow clients.
    const instance = await startInstance([...UNLIMITED, '--headers-timeout', '60000', '--shutdown-timeout', '8000']);
    const clients: Awaited<ReturnType<typeof open>>[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const slow = await open(instance.port);
        slow.socket.write('GET /v1/time HTTP/1.1\r\nHost: x\r\n');
        clients.push(slow);
        const idle = await open(instance.port);
        assert.match(await getOver(idle, '/healthz'), /^HTTP\/1\.1 200 /);
        clients.push(idle);
        // A connection that never sends a byte.
        clients.push(await open(instance.port));
      }
      const start = Date.now();
      assert.equal(await instance.stop(), 0, 'a clean exit, not the forced one');
      assert.ok(Date.now() - start < 8000, 'before the shutdown timeout');
      await Promise.all(clients.map((c) => c.closed));
    } finally {
      for (const c of clients) c.socket.destroy();
    }
  });
});
