import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTemplate, renderNginxConf, type EdgeSettings } from '../../server/deploy/nginx-conf.js';
import { startInstances, type Instance } from './instance.js';
import { findProgram, freePort } from './system.js';

/** The nginx binary to test with: `NGINX_PATH`, else Debian's `/usr/sbin/nginx`, else `nginx` on PATH, else `null`. */
export function findNginx(env: Record<string, string | undefined>): string | null {
  return findProgram([env.NGINX_PATH, '/usr/sbin/nginx'], 'nginx');
}

/** The one line printed when the nginx tests are skipped. */
export const NO_NGINX =
  'no nginx found: install it (Debian: apt-get install -y nginx, as .ci/run does) or set NGINX_PATH';

/** One line of the edge's access log (`log_format crossclock` in server/deploy/nginx.conf). */
export interface EdgeLogEntry {
  client: string;
  method: string;
  /** The request target, query included. */
  target: string;
  status: number;
  /** nginx's `$request_id`, sent on to the instance as `X-Request-Id`. */
  id: string;
  /** Every instance nginx tried, in order; the last one answered. Empty when none was asked. */
  upstreams: string[];
  upstreamStatuses: string[];
  /** `HIT`, `MISS`, `REVALIDATED`…, or `null` where the cache was not consulted. */
  cache: string | null;
}

const LOG_LINE = /^(\S+) \[\S+\] "(\S+) (\S+) [^"]*" (\d+) id=(\S+) upstream=(.*) upstream_status=(.*) cache=(\S+) request_time=\S+$/;

/** Parses the edge's access log text. */
export function parseEdgeLog(text: string): EdgeLogEntry[] {
  const entries: EdgeLogEntry[] = [];
  for (const line of text.split('\n')) {
    const m = LOG_LINE.exec(line);
    if (!m) continue;
    const list = (s: string) => (s === '-' ? [] : s.split(/, | : /));
    entries.push({
      client: m[1],
      method: m[2],
      target: m[3],
      status: Number(m[4]),
      id: m[5],
      upstreams: list(m[6]),
      upstreamStatuses: list(m[7]),
      cache: m[8] === '-' ? null : m[8],
    });
  }
  return entries;
}

/** A running nginx edge built from the repository's template. */
export interface Edge {
  url: string;
  /** The access log so far. */
  log(): EdgeLogEntry[];
  /**
   * Resolves with the log once `done(log)` holds. nginx writes a log line just after the
   * response, so a client can be a moment ahead of the log: this polls, bounded.
   */
  waitForLog(done: (log: EdgeLogEntry[]) => boolean, timeoutMs?: number): Promise<EdgeLogEntry[]>;
  /** What nginx wrote to stderr (its error log). */
  errors(): string;
  stop(): Promise<void>;
}

/** Settings a test may change; the rest comes from the template's defaults. */
export type EdgeOptions = Partial<Omit<EdgeSettings, 'listen' | 'upstreams' | 'stateDir'>> & {
  /**
   * Test only: the edge takes the client's address from this request header when the
   * connection comes from loopback, as an edge behind a CDN does with `real_ip_header`, so a
   * test can be any IPv6 client without that address on a local interface. It also adds
   * `GET /.test/client-key`, which answers the key the limits count the client by
   * (`$crossclock_client`, bytes) with the address as nginx writes it in `X-Client-Address`.
   */
  clientHeader?: string;
  /**
   * Test only: nginx starts with this soft open-file limit (`ulimit -Sn`), as a service manager
   * starts it (systemd: 1024), instead of the test runner's own.
   */
  softOpenFiles?: number;
  /** Test only: this many workers instead of the template's one per core. */
  workerProcesses?: number;
};

/** The request target of the test-only location that echoes the client's limit key. */
export const CLIENT_KEY_PATH = '/.test/client-key';

/** Adds the test-only directives `options` asks for to a rendered config. */
function withTestDirectives(config: string, options: EdgeOptions): string {
  if (options.workerProcesses !== undefined) {
    assert.match(config, /^worker_processes auto;$/m, 'the template starts one worker per core');
    config = config.replace(/^worker_processes auto;$/m, `worker_processes ${options.workerProcesses};`);
  }
  if (!options.clientHeader) return config;
  const listen = /^(\s*)listen [^;\n]+;\n/m;
  assert.match(config, listen, 'the template has one listen line in its server block');
  // Inside the template's own server block, so its map, limits and locations all apply.
  return config.replace(listen, (line, indent: string) =>
    line +
    `${indent}set_real_ip_from 127.0.0.0/8;\n` +
    `${indent}real_ip_header ${options.clientHeader};\n` +
    `${indent}location = ${CLIENT_KEY_PATH} {\n` +
    `${indent}    add_header X-Client-Address $remote_addr always;\n` +
    `${indent}    return 200 $crossclock_client;\n` +
    `${indent}}\n`,
  );
}


/** Polls `check` every few milliseconds until it returns a value, or throws after `timeoutMs`. */
export async function pollUntil<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function launch(nginx: string, prefix: string, upstreams: readonly string[], options: EdgeOptions): Promise<Edge | 'port taken'> {
  const port = await freePort();
  const { clientHeader: _, softOpenFiles, workerProcesses: __, ...settings } = options;
  const config = withTestDirectives(renderNginxConf(readTemplate(), { listen: `127.0.0.1:${port}`, upstreams, stateDir: prefix, ...settings }), options);
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, config);
  // Not a daemon, so the test owns the process; a pid file of its own, so nothing in /run is touched.
  const args = ['-p', prefix + '/', '-c', confPath, '-g', `daemon off; pid ${join(prefix, 'nginx.pid')};`];
  // `exec`, so the child is nginx itself and stop() signals it.
  const child = softOpenFiles === undefined
    ? spawn(nginx, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn('/bin/sh', ['-c', 'ulimit -Sn "$0" && exec "$@"', String(softOpenFiles), nginx, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (stderr = (stderr + c).slice(-64 * 1024)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  const ready = await pollUntil(async () => {
    if (/Address already in use/.test(stderr)) return 'port taken' as const;
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}:\n${stderr}`);
    try {
      // `Server: nginx` tells our nginx apart from anything else that might hold the port.
      const res = await fetch(url + '/healthz', { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return res.headers.get('server') === 'nginx' ? ('up' as const) : undefined;
    } catch {
      return undefined;
    }
  }, 10_000, 'nginx to answer');
  if (ready === 'port taken') {
    await stop();
    return 'port taken';
  }
  const logPath = join(prefix, 'access.log');
  const log = () => (existsSync(logPath) ? parseEdgeLog(readFileSync(logPath, 'utf8')) : []);
  return {
    url,
    log,
    waitForLog: (done, timeoutMs = 5000) =>
      pollUntil(() => {
        const entries = log();
        return done(entries) ? entries : undefined;
      }, timeoutMs, 'the nginx access log'),
    errors: () => stderr,
    stop,
  };
}

/**
 * Starts nginx in front of `upstreams` (`host:port`) with the repository's template rendered
 * into a temporary prefix, on a free loopback port. Stopping it removes the prefix.
 */
export async function startEdge(nginx: string, upstreams: readonly string[], options: EdgeOptions = {}): Promise<Edge> {
  const prefix = mkdtempSync(join(tmpdir(), 'crossclock-nginx-'));
  // Run as root, nginx's workers drop to `nobody` and must reach the cache inside the prefix.
  chmodSync(prefix, 0o755);
  try {
    // Another process may take the free port before nginx binds it: try a few ports.
    for (let attempt = 0; attempt < 5; attempt++) {
      const edge = await launch(nginx, prefix, upstreams, options);
      if (edge === 'port taken') continue;
      return {
        ...edge,
        async stop() {
          await edge.stop();
          rmSync(prefix, { recursive: true, force: true });
        },
      };
    }
    throw new Error('nginx found no free port in 5 attempts');
  } catch (err) {
    rmSync(prefix, { recursive: true, force: true });
    throw err;
  }
}

/** Several Crossclock instances behind one nginx edge: the production topology. */
export interface Topology {
  edge: Edge;
  instances: Instance[];
  stop(): Promise<void>;
}

/**
 * Starts `count` instances (each with `instanceArgs`) and an nginx edge in front of them.
 * The bench uses it too, for "through nginx" next to "one instance direct".
 */
export async function startTopology(nginx: string, count: number, instanceArgs: readonly string[] = [], options: EdgeOptions = {}): Promise<Topology> {
  const instances = await startInstances(count, instanceArgs);
  let edge: Edge;
  try {
    edge = await startEdge(nginx, instances.map((i) => i.address), options);
  } catch (err) {
    await Promise.all(instances.map((i) => i.kill()));
    throw err;
  }
  return {
    edge,
    instances,
    async stop() {
      await edge.stop();
      await Promise.all(instances.map((i) => i.stop()));
    },
  };
}
