import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { pollUntil } from './nginx.js';
import { findProgram, freePort } from './system.js';

/** The redis-server binary to test with: `REDIS_SERVER_PATH`, else Debian's, else one on PATH, else `null`. */
export function findRedis(env: Record<string, string | undefined>): string | null {
  return findProgram([env.REDIS_SERVER_PATH, '/usr/bin/redis-server'], 'redis-server');
}

/** The one line printed when the Redis tests are skipped. */
export const NO_REDIS =
  'no redis-server found: install it (Debian: apt-get install -y redis-server, as .ci/run does) or set REDIS_SERVER_PATH';

/**
 * Whether the Redis tests skip: only outside CI. Under `CI=true` a missing redis-server fails
 * them instead, so a CI image without it cannot pass by skipping.
 */
export function redisSkip(redis: string | null, env: Record<string, string | undefined>): false | string {
  return redis || env.CI === 'true' ? false : NO_REDIS;
}

/** A throwaway redis-server on loopback. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** SIGKILL: Redis vanishes with its connections, as in a crash. */
  kill(): Promise<void>;
  /** SIGSTOP: Redis keeps its connections open and answers nothing, as when it hangs. */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
  /** Starts it again on the same port, empty (nothing is persisted). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}


/** Resolves once something answers PING with PONG on `port`. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

async function launch(binary: string, port: number): Promise<ChildProcess> {
  // No persistence (nothing written to disk), loopback only, no protected-mode surprises.
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  await pollUntil(async () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}: ${stderr}`);
    return (await pong(port)) ? true : undefined;
  }, 10_000, 'redis-server to answer PING');
  return child;
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // A frozen (SIGSTOP) server would not act on SIGTERM until continued.
  child.kill('SIGCONT');
  child.kill(signal);
  await once(child, 'exit');
}

/** Starts `binary` on a free loopback port and resolves once it answers. */
export async function startRedis(binary: string): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(binary, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => end(child, 'SIGKILL'),
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGCONT')),
    async restart() {
      await end(child, 'SIGKILL');
      child = await launch(binary, port);
    },
    stop: () => end(child, 'SIGTERM'),
  };
}
