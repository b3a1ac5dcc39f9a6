#!/usr/bin/env node
// Prints a ready nginx.conf for a Crossclock edge:
//   node dist/server/deploy/render.js --listen 80 --state-dir /var/cache/crossclock-edge \
//     --upstream 10.0.0.11:3000 --upstream 10.0.0.12:3000 > /etc/nginx/nginx.conf
import { EdgeConfigError, parseEdgeArgs, readTemplate, renderNginxConf } from './nginx-conf.js';

const USAGE =
  'usage: render.js --upstream HOST:PORT [--upstream HOST:PORT …] [--listen PORT|ADDR:PORT] ' +
  '[--state-dir DIR] [--loader-edge-ttl TIME] [--fail-timeout TIME] [--limit-req-rate RATE] ' +
  '[--limit-req-burst N] [--limit-conn N] [--client-timeout TIME]';

try {
  process.stdout.write(renderNginxConf(readTemplate(), parseEdgeArgs(process.argv.slice(2))));
} catch (err) {
  if (!(err instanceof EdgeConfigError)) throw err;
  console.error(`crossclock: ${err.message}\n${USAGE}`);
  process.exit(2);
}
