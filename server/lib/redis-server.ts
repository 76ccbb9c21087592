import { spawn } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RunningRedis {
  url: string;
  /** Stops the redis-server this process started; a no-op for one that was already there. */
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS.UNAVAILABLE';
}

export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function findOnPath(binary: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Redis at `url`, or — when allowed and nothing answers there — a redis-server from PATH on a free
 * port with its files under dataDir. Redis holds only queues: losing it loses no data.
 */
export async function ensureRedis(options: {
  url: string;
  autostart: boolean;
  dataDir: string;
  logger: Logger;
}): Promise<RunningRedis> {
  if (await redisAnswers(options.url)) return { url: options.url, stop: async () => undefined };
  if (!options.autostart)
    throw new RedisUnavailableError(`Nothing answers at REDIS_URL (${options.url}).`);
  const binary = await findOnPath('redis-server');
  if (!binary) {
    throw new RedisUnavailableError(
      `Nothing answers at ${options.url} and there is no redis-server on PATH. Install Redis ` +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
    );
  }
  const dir = path.resolve(options.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '60 1',
      '--appendonly',
      'no',
    ],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50 && child.exitCode === null; attempt++) {
    if (await redisAnswers(url, 500)) {
      options.logger.info({ url, dir }, 'started redis-server');
      return {
        url,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`redis-server from ${binary} did not start on port ${port}.`);
}
