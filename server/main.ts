#!/usr/bin/env node
import { createServer } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, parseConfig } from './config.js';

let config;
try {
  config = parseConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`crossclock: ${err.message}`);
  process.exit(2);
}

const server = createServer(createApp());
server.on('error', (err) => {
  console.error(`crossclock: cannot listen on ${config.host}:${config.port}: ${err.message}`);
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  // One line, parsed by `npm start` and the tests: the real address first, the public URL after.
  const publicNote = config.publicUrl ? ` (public URL ${config.publicUrl})` : '';
  console.log(`listening on http://${host}:${port}${publicNote}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
