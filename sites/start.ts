#!/usr/bin/env node
/**
 * `npm start`: the widget server and the demo host sites, each on its own origin, as a
 * stranger's pages would embed the widget. Prints a table of URLs, then `ready`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from '../server/app.js';
import { createSiteServer } from './site-server.js';

/** The demo sites, in the order their ports are assigned. */
export const SITES = ['news', 'shop', 'iframe', 'frame'] as const;

interface StartOptions {
  /** Widget server port; 0 picks a free one. */
  port: number;
  /** First site's port (the others follow); 0 picks free ones. */
  sitesPort: number;
  /** Host names are `widget.<domain>`, `news.<domain>`, …: `localhost` reaches loopback in browsers. */
  domain: string;
  host: string;
}

function parseArgs(argv: string[]): StartOptions {
  const o: StartOptions = { port: 3000, sitesPort: 4001, domain: 'localhost', host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port' || flag === '--sites-port') {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new Error(`${flag} must be a port number`);
      o[flag === '--port' ? 'port' : 'sitesPort'] = Number(value);
    } else if (flag === '--domain' && /^[a-z0-9.-]+$/i.test(value)) o.domain = value;
    else if (flag === '--host') o.host = value;
    else throw new Error(`unknown or invalid flag ${flag}`);
  }
  return o;
}

const listen = (server: Server, port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });

async function main() {
  let o: StartOptions;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`crossclock start: ${(err as Error).message}`);
    process.exit(2);
  }
  const servers: Server[] = [];
  const widget = createServer(createApp());
  servers.push(widget);
  const widgetPort = await listen(widget, o.port, o.host);
  const vars: Record<string, string> = { WIDGET_URL: `http://widget.${o.domain}:${widgetPort}` };
  const rows: [string, string][] = [['widget server', vars.WIDGET_URL]];
  const siteServers = SITES.map((name) => {
    const root = fileURLToPath(new URL(`../../sites/${name}`, import.meta.url));
    const server = createServer(createSiteServer(root, vars));
    servers.push(server);
    return { name, server };
  });
  for (const [i, { name, server }] of siteServers.entries()) {
    const port = await listen(server, o.sitesPort && o.sitesPort + i, o.host);
    vars[`${name.toUpperCase()}_ORIGIN`] = `http://${name}.${o.domain}:${port}`;
    rows.push([name, `${vars[`${name.toUpperCase()}_ORIGIN`]}/`]);
  }
  console.log('Crossclock demo (Ctrl-C stops):');
  for (const [name, url] of rows) console.log(`  ${name.padEnd(14)} ${url}`);
  console.log('ready');
  const stop = () => {
    for (const s of servers) s.close();
    for (const s of servers) s.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`crossclock start: ${err.message}`);
  process.exit(1);
});
