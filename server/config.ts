/** The validated settings of the server CLI. */
export interface ServerConfig {
  port: number;
  host: string;
  /** The URL host pages use to reach this server, if it differs from the listening address. */
  publicUrl: string | null;
}

/** Raised for a flag or environment value the server cannot use. */
export class ConfigError extends Error {}

function parsePort(value: string, source: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`${source} must be a port number from 0 to 65535, got "${value}"`);
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

/** Reads flags (`--port 3000`, `--port=3000`) over environment variables over defaults. */
export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>): ServerConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new ConfigError(`unexpected argument "${argv[i]}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new ConfigError(`--${m[1]} needs a value`);
    flags.set(m[1], value);
  }
  for (const name of flags.keys()) {
    if (!['port', 'host', 'public-url'].includes(name)) throw new ConfigError(`unknown flag --${name}`);
  }
  const pick = (flag: string, envName: string) =>
    flags.has(flag) ? { value: flags.get(flag)!, source: `--${flag}` } : env[envName] !== undefined && env[envName] !== ''
      ? { value: env[envName]!, source: envName } : null;
  const port = pick('port', 'PORT');
  const host = pick('host', 'HOST');
  const publicUrl = pick('public-url', 'PUBLIC_URL');
  return {
    port: port ? parsePort(port.value, port.source) : 3000,
    host: host ? host.value : '127.0.0.1',
    publicUrl: publicUrl ? parseUrl(publicUrl.value, publicUrl.source) : null,
  };
}
