/** The validated settings of the server CLI. */
export interface ServerConfig {
  port: number;
  host: string;
  /** The URL host pages use to reach this server, if it differs from the listening address. */
  publicUrl: string | null;
  /** Processes serving requests; 1 runs without node:cluster. */
  workers: number;
  /** Proxies in front of us whose X-Forwarded-For entries are believed. */
  trustProxy: number;
  /** Requests per minute per client on the time routes (and, separately, on the others); 0 = off. */
  rateLimit: number;
  keepAliveTimeout: number;
  /** How long a client may take to send a request's headers, from its first byte. */
  headersTimeout: number;
  /** How long a connection that owes or is owed bytes may go without any moving (a client that stops reading). */
  sendTimeout: number;
  /** Connections one process keeps open; the excess is answered 503 at once. */
  maxConnections: number;
  /** With --workers: worker deaths within a minute that end the primary (exit 1). */
  maxWorkerDeaths: number;
  /** How long a graceful shutdown may take before the process exits anyway. */
  shutdownTimeout: number;
  accessLog: boolean;
  /** Where rate limit counts live: `null` = this process's memory, else a `redis://` URL shared by the fleet. */
  rateLimitStore: string | null;
  /** Port of the private `/metrics` listener; `null` (default) = no metrics. */
  metricsPort: number | null;
  /** Address the metrics listener binds: loopback unless an operator opens it on purpose. */
  metricsHost: string;
}

/** Raised for a flag or environment value the server cannot use. */
export class ConfigError extends Error {}

/**
 * Defaults. The keep-alive timeout outlives a typical balancer's 60 s idle timeout, so the
 * balancer, not us, closes idle connections and never sends on a socket we are closing.
 */
export const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  workers: 1,
  trustProxy: 0,
  rateLimit: 1200,
  keepAliveTimeout: 65_000,
  // A browser sends its headers in one packet; seconds are plenty, and bound a trickling client.
  headersTimeout: 5_000,
  // As the edge's nginx `send_timeout`: no byte moving for this long while an answer is owed
  // is a dead or hostile client, never a slow one.
  sendTimeout: 10_000,
  // Far above what a balancer's connection pool uses, far below a process's descriptor limit.
  maxConnections: 10_000,
  maxWorkerDeaths: 10,
  shutdownTimeout: 10_000,
  metricsHost: '127.0.0.1',
} as const;

function parsePort(value: string, source: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`${source} must be a port number from 0 to 65535, got "${value}"`);
  }
  return Number(value);
}

function parseCount(value: string, source: string, min: number, max: number, what: string): number {
  // Ten digits: every maximum (1,000,000,000 requests a minute) must itself be accepted.
  if (!/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${source} must be ${what} from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function parseUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${source} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${source} must be an absolute http(s) URL, got "${value}"`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/**
 * A rate limit store: `memory` (or empty) for this process's own memory, or a Redis URL.
 * Checked here so a typo fails at start instead of silently failing open on every request.
 */
function parseStore(value: string, source: string): string | null {
  if (value === 'memory') return null;
  const problem = `${source} must be "memory" or a redis://host[:port][/db] URL (rediss:// for TLS), got "${value}"`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(problem);
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname || !/^(\/\d{0,2})?$/.test(url.pathname) || url.search || url.hash) {
    throw new ConfigError(problem);
  }
  return value;
}

/** An address to listen on. Empty is refused: Node takes it as every interface, loopback's opposite. */
function parseHost(value: string, source: string): string {
  if (!value) throw new ConfigError(`${source} must be an address or host name, got ""`);
  return value;
}

function parseSwitch(value: string, source: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)?$/i.test(value)) return false;
  throw new ConfigError(`${source} must be true or false, got "${value}"`);
}

const VALUE_FLAGS = [
  'port', 'host', 'public-url', 'workers', 'trust-proxy', 'rate-limit',
  'keep-alive-timeout', 'headers-timeout', 'send-timeout', 'max-connections', 'max-worker-deaths', 'shutdown-timeout',
  'rate-limit-store', 'metrics-port', 'metrics-host',
];
// Flags that take no value when given bare (`--access-log`), or an explicit `--access-log=false`.
const SWITCH_FLAGS = ['access-log'];

/** Reads flags (`--port 3000`, `--port=3000`) over environment variables over defaults. */
export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>): ServerConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new ConfigError(`unexpected argument "${argv[i]}"`);
    if (SWITCH_FLAGS.includes(m[1])) {
      flags.set(m[1], m[2] ?? 'true');
      continue;
    }
    if (!VALUE_FLAGS.includes(m[1])) throw new ConfigError(`unknown flag --${m[1]}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new ConfigError(`--${m[1]} needs a value`);
    flags.set(m[1], value);
  }
  const pick = (flag: string, envName: string) =>
    flags.has(flag) ? { value: flags.get(flag)!, source: `--${flag}` } : env[envName] !== undefined && env[envName] !== ''
      ? { value: env[envName]!, source: envName } : null;
  const ms = (flag: string, envName: string, fallback: number) => {
    const p = pick(flag, envName);
    return p ? parseCount(p.value, p.source, 1, 3_600_000, 'milliseconds') : fallback;
  };
  const count = (flag: string, envName: string, fallback: number, min: number, max: number, what: string) => {
    const p = pick(flag, envName);
    return p ? parseCount(p.value, p.source, min, max, what) : fallback;
  };
  const port = pick('port', 'PORT');
  const host = pick('host', 'HOST');
  const publicUrl = pick('public-url', 'PUBLIC_URL');
  const accessLog = pick('access-log', 'ACCESS_LOG');
  const store = pick('rate-limit-store', 'RATE_LIMIT_STORE');
  const metricsPort = pick('metrics-port', 'METRICS_PORT');
  const metricsHost = pick('metrics-host', 'METRICS_HOST');
  const portNumber = port ? parsePort(port.value, port.source) : DEFAULTS.port;
  const metricsPortNumber = metricsPort ? parsePort(metricsPort.value, metricsPort.source) : null;
  // /metrics must never be reachable on the public port (port 0 asks for two distinct free ports).
  if (metricsPortNumber !== null && metricsPortNumber !== 0 && metricsPortNumber === portNumber) {
    throw new ConfigError(`${metricsPort!.source} must differ from the serving port (${portNumber}): /metrics is never served publicly`);
  }
  const keepAliveTimeout = ms('keep-alive-timeout', 'KEEP_ALIVE_TIMEOUT', DEFAULTS.keepAliveTimeout);
  // Counted from a request's first byte (Node 18+), not from the end of the previous one, so
  // it is independent of the keep-alive timeout.
  const headersTimeout = ms('headers-timeout', 'HEADERS_TIMEOUT', DEFAULTS.headersTimeout);
  return {
    port: portNumber,
    host: host ? parseHost(host.value, host.source) : DEFAULTS.host,
    publicUrl: publicUrl ? parseUrl(publicUrl.value, publicUrl.source) : null,
    workers: count('workers', 'WORKERS', DEFAULTS.workers, 1, 64, 'a number of processes'),
    trustProxy: count('trust-proxy', 'TRUST_PROXY', DEFAULTS.trustProxy, 0, 10, 'a number of proxy hops'),
    rateLimit: count('rate-limit', 'RATE_LIMIT', DEFAULTS.rateLimit, 0, 1_000_000_000, 'requests per minute'),
    keepAliveTimeout,
    headersTimeout,
    sendTimeout: ms('send-timeout', 'SEND_TIMEOUT', DEFAULTS.sendTimeout),
    maxConnections: count('max-connections', 'MAX_CONNECTIONS', DEFAULTS.maxConnections, 1, 1_000_000, 'a number of connections'),
    maxWorkerDeaths: count('max-worker-deaths', 'MAX_WORKER_DEATHS', DEFAULTS.maxWorkerDeaths, 2, 1000, 'a number of deaths'),
    shutdownTimeout: ms('shutdown-timeout', 'SHUTDOWN_TIMEOUT', DEFAULTS.shutdownTimeout),
    accessLog: accessLog ? parseSwitch(accessLog.value, accessLog.source) : false,
    rateLimitStore: store ? parseStore(store.value, store.source) : null,
    metricsPort: metricsPortNumber,
    metricsHost: metricsHost ? parseHost(metricsHost.value, metricsHost.source) : DEFAULTS.metricsHost,
  };
}
