import { createServer } from 'node:net';

/** A port PartnerLens must listen on is taken: said in one line, before anything has started. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    what: string,
    setting: string,
  ) {
    super(
      `Port ${port} on ${host} is already in use (${what}): stop what holds it (another npm start?) or set ${setting} to another port.`,
    );
    this.name = 'PortInUseError';
  }
}

/** Resolves when the port can be bound now (0 always can); rejects with PortInUseError when it cannot. */
export function assertPortFree(
  port: number,
  host: string,
  what: string,
  setting: string,
): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host, what, setting) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
