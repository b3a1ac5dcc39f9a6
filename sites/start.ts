#!/usr/bin/env node
/**
 * `npm start`: the widget server and the demo host sites, each on its own origin, as a
 * stranger's pages would embed the widget. Prints a table of URLs, then `ready`.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';
import { SITES } from './catalog.js';
import { createSiteServer } from './site-server.js';
import { fetchLoaderSnippet, loaderBody } from './snippet.js';

interface StartOptions {
  /** Widget server port; 0 picks a free one. */
  port: number;
  /** First site's port (the others follow); 0 picks free ones. */
  sitesPort: number;
  /** Host names are `widget.<domain>`, `news.<domain>`, …: `localhost` reaches loopback in browsers. */
  domain: string;
  host: string;
  /** The widget server's URL as pages see it; default `http://widget.<domain>:<port>`. */
  publicUrl: string | null;
}

const USAGE = 'usage: node dist/sites/start.js [--port N] [--sites-port N] [--domain D] [--host H] [--public-url URL]';

/** Reads the flags; environment variables PORT, SITES_PORT and PUBLIC_URL are the defaults. */
function parseStartArgs(argv: string[], env: Record<string, string | undefined>): StartOptions {
  const o: StartOptions = { port: 3000, sitesPort: 4001, domain: 'localhost', host: '127.0.0.1', publicUrl: null };
  const port = (flag: string, value: string) => {
    if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new Error(`${flag} must be a port number, not "${value}"`);
    return Number(value);
  };
  // Read exactly as the server reads its own flag: no query, fragment or credentials to bake into snippets.
  const publicUrl = (value: string) => parseConfig(['--public-url', value], {}).publicUrl;
  if (env.PORT) o.port = port('PORT', env.PORT);
  if (env.SITES_PORT) o.sitesPort = port('SITES_PORT', env.SITES_PORT);
  if (env.PUBLIC_URL) o.publicUrl = publicUrl(env.PUBLIC_URL);
  // Every flag, with what its value sets: the one list of the flags there are.
  const flags = new Map<string, (value: string) => unknown>([
    ['--port', (v) => (o.port = port('--port', v))],
    ['--sites-port', (v) => (o.sitesPort = port('--sites-port', v))],
    [
      '--domain',
      (v) => {
        if (!/^[a-z0-9.-]+$/i.test(v)) throw new Error(`--domain must be a host name such as localhost, got "${v}"`);
        o.domain = v;
      },
    ],
    // Read as the server reads its own (an empty one, which Node takes as every interface, refused).
    ['--host', (v) => (o.host = parseConfig(['--host', v], {}).host)],
    ['--public-url', (v) => (o.publicUrl = publicUrl(v))],
  ]);
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    // Known flags first: `--help` is an unknown flag, not one missing its value.
    const set = flags.get(flag);
    if (!set) throw new Error(`unknown flag ${flag}\n${USAGE}`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    set(value);
  }
  // The sites take consecutive ports from --sites-port: the last must still be a port.
  const last = o.sitesPort + SITES.length - 1;
  if (o.sitesPort && last > 65535) {
    const source = argv.includes('--sites-port') ? '--sites-port' : 'SITES_PORT';
    throw new Error(`${source} ${o.sitesPort} leaves no room for the ${SITES.length} sites (${o.sitesPort} to ${last}): at most ${65536 - SITES.length}`);
  }
  return o;
}

const listen = (server: Server, port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: choose others with --port / --sites-port`) : err),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });

async function main() {
  let o: StartOptions;
  try {
    o = parseStartArgs(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`crossclock start: ${(err as Error).message}`);
    process.exit(2);
  }
  const servers: Server[] = [];
  const stop = () => {
    for (const s of servers) s.close();
    for (const s of servers) s.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  // The app needs its public URL, which with `--port 0` is known only once listening.
  let app: RequestListener = (_req, res) => res.writeHead(503).end();
  const widget = createServer((req, res) => app(req, res));
  servers.push(widget);
  const widgetPort = await listen(widget, o.port, o.host);
  const publicUrl = o.publicUrl ?? `http://widget.${o.domain}:${widgetPort}`;
  app = createApp({ publicUrl });
  const widgetAddress = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${widgetPort}`;

  const loader = await fetchLoaderSnippet(widgetAddress);
  const vars: Record<string, string> = {
    WIDGET_URL: publicUrl,
    WIDGET_ORIGIN: new URL(publicUrl).origin,
    LOADER_SNIPPET: loader,
    LOADER_BODY: loaderBody(loader),
  };
  const rows: [string, string][] = [['widget server', publicUrl + '/']];
  for (const [i, site] of SITES.entries()) {
    const root = fileURLToPath(new URL(`../../sites/${site.name}`, import.meta.url));
    const server = createServer(createSiteServer(root, vars, site.options(vars.WIDGET_ORIGIN)));
    servers.push(server);
    const port = await listen(server, o.sitesPort && o.sitesPort + i, o.host);
    const origin = `http://${site.name}.${o.domain}:${port}`;
    vars[`${site.name.toUpperCase()}_ORIGIN`] = origin;
    rows.push([site.name, origin + '/']);
  }
  console.log('Crossclock demo (Ctrl-C stops):');
  for (const [name, url] of rows) console.log(`  ${name.padEnd(14)} ${url}`);
  console.log('ready');
}

main().catch((err) => {
  console.error(`crossclock start: ${err.message}`);
  process.exit(1);
});
