import { createHash, randomBytes, randomUUID } from 'node:crypto';

import type { Queryable } from './database';

const KEY_PREFIX = 'pl_';

// The key has 256 random bits, so one round of SHA-256 is enough to store it: a slow password
// hash protects guessable secrets, and lookups by hash stay a single index probe.
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface IssuedApiKey {
  id: string;
  key: string;
}

export async function issueApiKey(
  db: Queryable,
  tenantId: string,
  name: string,
): Promise<IssuedApiKey> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await db.query(
    'insert into api_keys (id, tenant_id, name, key_prefix, key_hash) values ($1, $2, $3, $4, $5)',
    [id, tenantId, name, key.slice(0, 10), hashApiKey(key)],
  );
  return { id, key };
}

/** The tenant a presented key belongs to, or undefined for an unknown or revoked key. */
export async function tenantForApiKey(db: Queryable, key: string): Promise<string | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const [row] = await db.query<{ tenant_id: string }>(
    'select tenant_id from api_keys where key_hash = $1 and revoked_at is null',
    [hashApiKey(key)],
  );
  return row?.tenant_id;
}

export async function revokeApiKeys(
  db: Queryable,
  tenantId: string,
  name: string,
): Promise<number> {
  const rows = await db.query(
    'update api_keys set revoked_at = now() where tenant_id = $1 and name = $2 and revoked_at is null returning id',
    [tenantId, name],
  );
  return rows.length;
}
