#!/usr/bin/env node
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { createApp } from './app.js';
import { runPrimary } from './cluster.js';
import { ConfigError, parseConfig, type ServerConfig } from './config.js';
import { guardConnections, timeoutOptions } from './connections.js';
import type { Drain } from './health.js';
import { jsonLines } from './log.js';
import { gracefulShutdown } from './shutdown.js';

let config: ServerConfig;
try {
  config = parseConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`crossclock: ${err.message}`);
  process.exit(2);
}

const log = jsonLines(process.stdout, process.stderr);

// One line, parsed by `npm start` and the tests: the real address first, the public URL after.
function announce(port: number): void {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const publicNote = config.publicUrl ? ` (public URL ${config.publicUrl})` : '';
  console.log(`listening on http://${host}:${port}${publicNote}`);
}

/** Runs one serving process: alone, or as a cluster worker (the primary then announces). */
function serve(): void {
  const drain: Drain = { draining: false };
  const server = createServer(
    timeoutOptions(config.headersTimeout),
    createApp({
      publicUrl: config.publicUrl,
      rateLimit: config.rateLimit,
      trustProxy: config.trustProxy,
      accessLog: config.accessLog,
      log,
      drain,
    }),
  );
  server.keepAliveTimeout = config.keepAliveTimeout;
  const connections = guardConnections(server, config.maxConnections, log);
  server.on('error', (err) => {
    console.error(`crossclock: cannot listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    if (cluster.isPrimary) announce(typeof address === 'object' && address ? address.port : config.port);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', event: 'shutdown', signal, pid: process.pid });
    const result = await gracefulShutdown(server, drain, config.shutdownTimeout, connections.closeWaiting);
    if (result === 'forced') log({ level: 'error', event: 'shutdown-forced', pid: process.pid });
    process.exit(result === 'clean' ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (config.workers > 1 && cluster.isPrimary) {
  runPrimary({
    workers: config.workers,
    shutdownTimeout: config.shutdownTimeout,
    maxWorkerDeaths: config.maxWorkerDeaths,
    log,
    onListening: announce,
  });
} else {
  serve();
}
