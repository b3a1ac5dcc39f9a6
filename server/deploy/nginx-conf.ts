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
}

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
  const failTimeout = settings.failTimeout ?? '10s';
  check(LISTEN.test(settings.listen), `listen must be a port or address:port, got "${settings.listen}"`);
  check(settings.upstreams.length > 0, 'at least one upstream instance is needed');
  for (const upstream of settings.upstreams) {
    check(HOST_PORT.test(upstream), `an upstream must be host:port, got "${upstream}"`);
  }
  check(SAFE_PATH.test(settings.stateDir), `the state folder must be an absolute path of plain characters, got "${settings.stateDir}"`);
  check(NGINX_TIME.test(loaderEdgeTtl), `the loader edge TTL must be an nginx time such as 300s, got "${loaderEdgeTtl}"`);
  check(NGINX_TIME.test(failTimeout), `the fail timeout must be an nginx time such as 10s, got "${failTimeout}"`);
  const values: Record<string, string> = {
    CROSSCLOCK_LISTEN: settings.listen,
    // max_fails=1: one refused connection takes an instance out at once (its requests are
    // retried elsewhere); nginx probes it again with live traffic after fail_timeout.
    CROSSCLOCK_UPSTREAM_SERVERS: settings.upstreams
      .map((u) => `        server ${u} max_fails=1 fail_timeout=${failTimeout};`)
      .join('\n'),
    CROSSCLOCK_STATE_DIR: settings.stateDir.replace(/\/+$/, ''),
    CROSSCLOCK_LOADER_EDGE_TTL: loaderEdgeTtl,
  };
  return template.replace(/\$\{(CROSSCLOCK_[A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new EdgeConfigError(`the template uses an unknown placeholder \${${name}}`);
    return value;
  });
}

/** Turns `--name value` / `--name=value` pairs into settings; `--upstream` may repeat. */
export function parseEdgeArgs(argv: readonly string[]): EdgeSettings {
  const settings: EdgeSettings = { listen: '80', upstreams: [], stateDir: '/var/cache/crossclock-edge' };
  const upstreams: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new EdgeConfigError(`unexpected argument "${argv[i]}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new EdgeConfigError(`--${m[1]} needs a value`);
    if (m[1] === 'upstream') upstreams.push(value);
    else if (m[1] === 'listen') settings.listen = value;
    else if (m[1] === 'state-dir') settings.stateDir = value;
    else if (m[1] === 'loader-edge-ttl') settings.loaderEdgeTtl = value;
    else if (m[1] === 'fail-timeout') settings.failTimeout = value;
    else throw new EdgeConfigError(`unknown flag --${m[1]}`);
  }
  return { ...settings, upstreams };
}
