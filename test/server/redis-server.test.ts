import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  ensureRedis,
  freePort,
  redisAnswers,
  RedisUnavailableError,
} from '../../server/lib/redis-server';
import { silentLogger } from '../support/services';

describe('ensureRedis', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pl-redis-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('uses the Redis that answers at the URL', async () => {
    const redis = await ensureRedis({
      url: process.env.TEST_REDIS_URL!,
      autostart: true,
      dataDir,
      logger: silentLogger,
    });
    expect(redis.url).toBe(process.env.TEST_REDIS_URL);
  });

  it('starts redis-server on a free port with its files under the data folder when nothing answers', async () => {
    const deadUrl = `redis://127.0.0.1:${await freePort()}`;
    const redis = await ensureRedis({
      url: deadUrl,
      autostart: true,
      dataDir,
      logger: silentLogger,
    });
    try {
      expect(redis.url).not.toBe(deadUrl);
      expect(await redisAnswers(redis.url)).toBe(true);
    } finally {
      await redis.stop();
    }
    expect(await redisAnswers(redis.url)).toBe(false);
  });

  it('says what to do when it may not start one', async () => {
    const deadUrl = `redis://127.0.0.1:${await freePort()}`;
    await expect(
      ensureRedis({ url: deadUrl, autostart: false, dataDir, logger: silentLogger }),
    ).rejects.toThrow(RedisUnavailableError);
  });

  it('says how to install Redis when there is no redis-server on PATH', async () => {
    const deadUrl = `redis://127.0.0.1:${await freePort()}`;
    const path = process.env.PATH;
    process.env.PATH = dataDir;
    try {
      await expect(
        ensureRedis({ url: deadUrl, autostart: true, dataDir, logger: silentLogger }),
      ).rejects.toThrow(/no redis-server on PATH\. Install Redis/);
    } finally {
      process.env.PATH = path;
    }
  });
});
