#!/usr/bin/env node
/**
 * A test-only widget server whose clock runs `--shift-ms` away from this machine's (the CLI
 * has no such flag: a real server's clock is the machine's). Tests run it as a process with
 * `startInstance`, so the browser meets a server that disagrees with the device by hours,
 * as the bench's clock-accuracy part does in-process.
 * Usage: node dist/test/support/shifted-main.js --host 127.0.0.1 --port 0 --shift-ms N
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';

const flags = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) flags.set(process.argv[i], process.argv[i + 1]);
const shift = Number(flags.get('--shift-ms') ?? 0);
if (!Number.isFinite(shift)) throw new Error(`--shift-ms must be a number of milliseconds, got ${flags.get('--shift-ms')}`);

const server = createServer(createApp({ now: () => Date.now() + shift, log: () => {} }));
server.listen(Number(flags.get('--port') ?? 0), flags.get('--host') ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  // The line startInstance waits for, as the real CLI prints it.
  console.log(`listening on http://${address}:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
