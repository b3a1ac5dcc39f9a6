/**
 * Runs one bench target in its own process, so the load generator never shares its event
 * loop: `node dist/test/bench/target-main.js raw|express|ours|ours_metrics`. Prints `listening on URL`.
 */
import type { AddressInfo } from 'node:net';
import { TARGET_KINDS, targetServer, type TargetKind } from './targets.js';

const kind = process.argv[2] as TargetKind;
if (!TARGET_KINDS.includes(kind)) {
  console.error(`bench target: expected one of ${TARGET_KINDS.join(', ')}, got "${kind}"`);
  process.exit(2);
}
const server = targetServer(kind);
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
