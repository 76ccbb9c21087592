import type { Server } from 'node:http';

import type { Express } from 'express';

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Starts an Express app on host:port (0 = a free port) and closes it, idle connections included. */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      resolve({
        server,
        port: (server.address() as { port: number }).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
