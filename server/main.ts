#!/usr/bin/env node
import cluster from 'node:cluster';
import { createServer, type RequestListener } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import { createApp } from './app.js';
import { clientAddress } from './client-address.js';
import { runPrimary, STDOUT_GONE_EXIT } from './cluster.js';
import { ConfigError, parseConfig, type ServerConfig } from './config.js';
import { boundStalls, guardConnections, MAX_HEADER_BYTES, timeoutOptions } from './connections.js';
import type { Drain } from './health.js';
import { jsonLines, logRawAccess, logRefusedAccess } from './log.js';
import { createMetrics, metricsListener, ROUTE } from './metrics.js';
import { refuseConnect, answerParserRefusals } from './methods.js';
import { memoryStores, redactedUrl, redisStores } from './rate-limit-store.js';
import { gracefulShutdown, type ShutdownResult } from './shutdown.js';

let config: ServerConfig;
try {
  config = parseConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`crossclock: ${err.message}`);
  process.exit(2);
}

// A log stream whose reader went away (a pipe to a log shipper that stopped) fails every later
// write with EPIPE: one line and exit 1 instead of an uncaught stack trace, so the service
// manager restarts the process with its logs going somewhere again. A worker's stdout is the
// primary's: its own exit code tells the primary to stop too (see cluster.ts).
process.stdout.on('error', (err) => {
  console.error(`crossclock: cannot write ${config.accessLog ? 'the access log' : 'its address'} to stdout: ${err.message}`);
  process.exit(cluster.isWorker ? STDOUT_GONE_EXIT : 1);
});
// With stderr gone there is nowhere left to say why.
process.stderr.on('error', () => process.exit(1));

const log = jsonLines(process.stdout, process.stderr);

// One line, parsed by `npm start` and the tests: the real address first, the public URL after.
function announce(port: number): void {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const publicNote = config.publicUrl ? ` (public URL ${config.publicUrl})` : '';
  console.log(`listening on http://${host}:${port}${publicNote}`);
}

/**
 * Serves /metrics on its own listener (`--metrics-port`), never on the public port: the
 * counts say how loaded and how limited the fleet is, which is for operators only.
 * `onListening` runs once the port is held.
 */
function serveMetrics(listener: RequestListener, onListening?: () => void): void {
  const server = createServer(listener);
  refuseConnect(server);
  server.on('error', (err) => {
    console.error(`crossclock: cannot listen for metrics on ${config.metricsHost}:${config.metricsPort}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.metricsPort!, config.metricsHost, () => {
    const { port } = server.address() as { port: number };
    const host = config.metricsHost.includes(':') ? `[${config.metricsHost}]` : config.metricsHost;
    console.log(`metrics on http://${host}:${port}/metrics`);
    onListening?.();
  });
  // Scrapes must not keep a stopping process alive.
  server.unref();
}

/** Runs one serving process: alone, or as a cluster worker (the primary then announces). */
async function serve(): Promise<void> {
  const drain: Drain = { draining: false };
  const stores = config.rateLimitStore ? redisStores(config.rateLimitStore, log) : memoryStores();
  // Set once the server exists; a signal while still starting (a deploy that stops a worker
  // just forked) has nothing to drain.
  let drainServer: (() => Promise<ShutdownResult>) | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', event: 'shutdown', signal, pid: process.pid });
    const result = drainServer ? await drainServer() : 'clean';
    await stores.close();
    if (result === 'forced') log({ level: 'error', event: 'shutdown-forced', pid: process.pid });
    process.exit(result === 'clean' ? 0 : 1);
  };
  // From the start: the default action of SIGTERM would end a starting worker with a signal,
  // which the primary counts as a failed stop.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Starting while Redis is down is allowed (the limit fails open, logged); waiting for the
  // first connection only keeps a healthy start from logging a spurious outage.
  const refused = await stores.ready();
  if (refused) {
    console.error(`crossclock: the rate limit store ${redactedUrl(config.rateLimitStore!)} cannot be used: ${refused}`);
    await stores.close();
    process.exit(2);
  }
  if (stopping) return;
  const metrics = config.metricsPort === null ? undefined
    : createMetrics({ processMetrics: true, store: config.rateLimitStore ? stores.health : undefined });
  if (metrics && cluster.isWorker) {
    // The primary asks each worker for its registry over IPC; constructing the aggregator
    // is what makes prom-client answer those requests in a worker.
    AggregatorRegistry.setRegistries([metrics.registry]);
    new AggregatorRegistry();
  } else if (metrics) {
    serveMetrics(metricsListener(() => metrics.registry.metrics(), metrics.registry.contentType));
  }
  const server = createServer(
    // requireHostHeader: the app answers a missing Host itself, as JSON (see createApp).
    { ...timeoutOptions(config.headersTimeout), maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false },
    createApp({
      publicUrl: config.publicUrl,
      rateLimit: config.rateLimit,
      trustProxy: config.trustProxy,
      accessLog: config.accessLog,
      log,
      drain,
      rateLimitStores: stores,
      metrics,
    }),
  );
  server.keepAliveTimeout = config.keepAliveTimeout;
  // A client may send its request and then its FIN at once (HTTP/1.0 tools, `nc -N`, some
  // health checkers). By default Node ends our side of the socket at that FIN, so an answer
  // not written yet (one waiting on the Redis store) is lost. With this long-standing
  // node:http switch, the FIN marks the last answer owed instead, and the socket ends after
  // it. A half-closed client that never reads is still cut by boundStalls.
  (server as typeof server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  const connections = guardConnections(server, config.maxConnections, log, metrics && (() => metrics.refused()));
  drainServer = () => gracefulShutdown(server, drain, config.shutdownTimeout, connections.closeWaiting);
  boundStalls(server, connections, config.sendTimeout);
  // Answered before any route sees them, and counted under a route label of their own: a flood
  // of them (slow headers, garbage) shows in the request metrics as in the access log.
  refuseConnect(server, (req, status, bytes) => {
    metrics?.answeredAtOnce(ROUTE.refused, status);
    if (config.accessLog) logRawAccess(req, log, clientAddress(req, config.trustProxy), status, bytes);
  });
  answerParserRefusals(server, (ip, line, status, bytes, id) => {
    metrics?.answeredAtOnce(ROUTE.refused, status);
    if (config.accessLog) logRefusedAccess(log, ip, line, status, bytes, id);
  });
  // An Expect other than 100-continue: Node answers 417 with an empty body, before the app, the
  // access log or the metrics see it. No route reads a body, so there is nothing to expect, and
  // RFC 9110 (10.1.1) lets a server ignore it, as the nginx edge does: the app answers it.
  server.on('checkExpectation', (req, res) => server.emit('request', req, res));
  server.on('error', (err) => {
    console.error(`crossclock: cannot listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    if (cluster.isPrimary) announce(typeof address === 'object' && address ? address.port : config.port);
  });
}

if (config.workers > 1 && cluster.isPrimary) {
  const startWorkers = () =>
    runPrimary({
      workers: config.workers,
      shutdownTimeout: config.shutdownTimeout,
      maxWorkerDeaths: config.maxWorkerDeaths,
      log,
      onListening: announce,
    });
  if (config.metricsPort !== null) {
    // One scrape answers for the whole process group: each worker's counts, summed. Workers
    // are forked only once the metrics port is held: a primary that cannot hold it exits at
    // once, and workers forked before would be left behind, crashing on its closed channel.
    const aggregator = new AggregatorRegistry();
    serveMetrics(metricsListener(() => aggregator.clusterMetrics(), aggregator.contentType), startWorkers);
  } else {
    startWorkers();
  }
} else {
  void serve();
}
