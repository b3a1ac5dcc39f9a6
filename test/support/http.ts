import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listener served over real HTTP on a free loopback port. */
export interface Served {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `listener` on loopback (`127.0.0.1` unless told another address) at a free port. */
export async function serve(listener: RequestListener, address = '127.0.0.1'): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
