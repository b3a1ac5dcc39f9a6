import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUNDLE_MAX_AGE } from '../cdn.js';

/** What differs between one Crossclock edge and another; everything else is in the template. */
export interface EdgeSettings {
  /** nginx `listen` value: a port (`80`) or `address:port` (`127.0.0.1:8080`). */
  listen: string;
  /** The instances, as `host:port`. */
  upstreams: readonly string[];
  /** Absolute folder for the cache, temp files and the access log. */
  stateDir: string;
  /** How long the edge keeps `/v1/crossclock.js` before revalidating, in nginx time units. */
  loaderEdgeTtl?: string;
  /** How long an instance that failed is left out before nginx tries it again. */
  failTimeout?: string;
  /** Requests per client (an IPv4 address or an IPv6 /56), as nginx writes a rate (`20r/s`, `600r/m`), or `off`. */
  limitReqRate?: string;
  /** Requests a client may send beyond the rate at once before it is refused with 429. */
  limitReqBurst?: number;
  /** Requests in progress at a time per client (an IPv4 address or an IPv6 /56); 0 is no limit. */
  limitConn?: number;
  /** How long a client may take to send its request headers (or body), in nginx time units. */
  clientTimeout?: string;
}

/**
 * The edge's defaults for what a client may do. A page with a badge makes three requests when
 * it loads (loader, bundle, time) and one time request per sync after; 20 a second with a
 * burst of 40 leaves room for a whole office behind one address, and matches the instances'
 * own default of 1200 a minute.
 */
export const EDGE_DEFAULTS = {
  failTimeout: '10s',
  limitReqRate: '20r/s',
  limitReqBurst: 40,
  limitConn: 64,
  clientTimeout: '5s',
} as const;

/** Raised for a setting that would make nginx refuse the config or misbehave. */
export class EdgeConfigError extends Error {}

/** The template shipped in the repository (`server/deploy/nginx.conf`). */
export const TEMPLATE_PATH = fileURLToPath(new URL('../../../server/deploy/nginx.conf', import.meta.url));

/** Reads the shipped template. */
export function readTemplate(): string {
  return readFileSync(TEMPLATE_PATH, 'utf8');
}

// nginx time: "300s", "5m", "1h30m", or a bare number of seconds.
const NGINX_TIME = /^(?:\d+(?:ms|s|m|h|d)?)+$/;
const NGINX_RATE = /^[1-9]\d{0,8}r\/[sm]$/;
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const LISTEN = /^(?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?\d{1,5}$/;
// The template's values end up inside nginx directives: nothing that could end one early.
const SAFE_PATH = /^\/[\w./-]*$/;

function check(ok: boolean, message: string): void {
  if (!ok) throw new EdgeConfigError(message);
}

/**
 * Fills the template's `${CROSSCLOCK_…}` placeholders. The loader's edge lifetime defaults to
 * the instances' own `max-age` for it, so the edge and browsers agree.
 */
export function renderNginxConf(template: string, settings: EdgeSettings): string {
  const loaderEdgeTtl = settings.loaderEdgeTtl ?? `${BUNDLE_MAX_AGE}s`;
  const failTimeout = settings.failTimeout ?? EDGE_DEFAULTS.failTimeout;
  const rate = settings.limitReqRate ?? EDGE_DEFAULTS.limitReqRate;
  const burst = settings.limitReqBurst ?? EDGE_DEFAULTS.limitReqBurst;
  const conn = settings.limitConn ?? EDGE_DEFAULTS.limitConn;
  const clientTimeout = settings.clientTimeout ?? EDGE_DEFAULTS.clientTimeout;
  check(LISTEN.test(settings.listen), `listen must be a port or address:port, got "${settings.listen}"`);
  check(settings.upstreams.length > 0, 'at least one upstream instance is needed');
  for (const upstream of settings.upstreams) {
    check(HOST_PORT.test(upstream), `an upstream must be host:port, got "${upstream}"`);
  }
  check(SAFE_PATH.test(settings.stateDir), `the state folder must be an absolute path of plain characters, got "${settings.stateDir}"`);
  check(NGINX_TIME.test(loaderEdgeTtl), `the loader edge TTL must be an nginx time such as 300s, got "${loaderEdgeTtl}"`);
  check(NGINX_TIME.test(failTimeout), `the fail timeout must be an nginx time such as 10s, got "${failTimeout}"`);
  check(rate === 'off' || NGINX_RATE.test(rate), `the request rate must be an nginx rate such as 20r/s or 600r/m, or off, got "${rate}"`);
  check(Number.isInteger(burst) && burst >= 0 && burst <= 1_000_000, `the burst must be a whole number from 0 to 1000000, got "${burst}"`);
  check(Number.isInteger(conn) && conn >= 0 && conn <= 65_535, `the connection limit must be a whole number from 0 to 65535 (nginx's maximum), got "${conn}"`);
  check(NGINX_TIME.test(clientTimeout), `the client timeout must be an nginx time such as 5s, got "${clientTimeout}"`);
  const values: Record<string, string> = {
    CROSSCLOCK_LISTEN: settings.listen,
    // max_fails=1: one refused connection takes an instance out at once (its requests are
    // retried elsewhere); nginx probes it again with live traffic after fail_timeout. Only
    // transport failures count (see proxy_next_upstream in the template), so no answer an
    // instance gives, however often a client asks for it, can take it out.
    CROSSCLOCK_UPSTREAM_SERVERS: settings.upstreams
      .map((u) => `        server ${u} max_fails=1 fail_timeout=${failTimeout};`)
      .join('\n'),
    CROSSCLOCK_STATE_DIR: settings.stateDir.replace(/\/+$/, ''),
    CROSSCLOCK_LOADER_EDGE_TTL: loaderEdgeTtl,
    CROSSCLOCK_LIMIT_REQ_KEY: rate === 'off' ? '""' : '$crossclock_client',
    CROSSCLOCK_LIMIT_REQ_RATE: rate === 'off' ? '1r/s' : rate,
    CROSSCLOCK_LIMIT_REQ_BURST: String(burst),
    CROSSCLOCK_LIMIT_CONN_KEY: conn === 0 ? '""' : '$crossclock_client',
    CROSSCLOCK_LIMIT_CONN: String(Math.max(conn, 1)),
    CROSSCLOCK_CLIENT_TIMEOUT: clientTimeout,
  };
  return template.replace(/\$\{(CROSSCLOCK_[A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new EdgeConfigError(`the template uses an unknown placeholder \${${name}}`);
    return value;
  });
}

function wholeNumber(value: string, flag: string): number {
  if (!/^\d{1,7}$/.test(value)) throw new EdgeConfigError(`--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

/** Turns `--name value` / `--name=value` pairs into settings; `--upstream` may repeat. */
export function parseEdgeArgs(argv: readonly string[]): EdgeSettings {
  const settings: EdgeSettings = { listen: '80', upstreams: [], stateDir: '/var/cache/crossclock-edge' };
  const upstreams: string[] = [];
  // Every flag, with what its value sets: the one list of the flags there are.
  const flags = new Map<string, (value: string) => unknown>([
    ['upstream', (v) => upstreams.push(v)],
    ['listen', (v) => (settings.listen = v)],
    ['state-dir', (v) => (settings.stateDir = v)],
    ['loader-edge-ttl', (v) => (settings.loaderEdgeTtl = v)],
    ['fail-timeout', (v) => (settings.failTimeout = v)],
    ['limit-req-rate', (v) => (settings.limitReqRate = v)],
    ['limit-req-burst', (v) => (settings.limitReqBurst = wholeNumber(v, 'limit-req-burst'))],
    ['limit-conn', (v) => (settings.limitConn = wholeNumber(v, 'limit-conn'))],
    ['client-timeout', (v) => (settings.clientTimeout = v)],
  ]);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new EdgeConfigError(`unexpected argument "${argv[i]}"`);
    // Known flags first: `--help` is an unknown flag, not one missing its value.
    const set = flags.get(m[1]);
    if (!set) throw new EdgeConfigError(`unknown flag --${m[1]}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new EdgeConfigError(`--${m[1]} needs a value`);
    set(value);
  }
  return { ...settings, upstreams };
}
