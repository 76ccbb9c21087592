import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Config } from './config';
import { type Database, openPglite, openPostgres } from './db/database';
import { CryptoBox } from './lib/crypto-box';

/** Postgres when DATABASE_URL is set, else the embedded PGlite; onError hears about dropped connections. */
export async function openDatabase(
  config: Config,
  onError?: (error: Error) => void,
): Promise<Database> {
  return 'url' in config.database
    ? openPostgres(config.database.url, config.database.schema, onError)
    : openPglite(config.database.embeddedDir);
}

/** Seals with ENCRYPTION_KEY (or the development key), opens with it or ENCRYPTION_KEYS_PREVIOUS. */
export async function openCryptoBox(config: Config): Promise<CryptoBox> {
  return new CryptoBox(await loadEncryptionKey(config), config.previousEncryptionKeys);
}

/** ENCRYPTION_KEY, or outside production a key generated once into the data folder. */
export async function loadEncryptionKey(config: Config): Promise<Buffer> {
  if (config.encryptionKey) return config.encryptionKey;
  if (config.env === 'production')
    throw new Error('ENCRYPTION_KEY is required when NODE_ENV=production');
  const file = path.join(config.dataDir, 'encryption.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  } catch {
    const key = randomBytes(32);
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' }).catch(
      async () => undefined,
    );
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  }
}
