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

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart; the key itself is never stored. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiKeys(db: Queryable, tenantId: string): Promise<ApiKeyInfo[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    key_prefix: string;
    created_at: Date;
    revoked_at: Date | null;
  }>(
    'select id, name, key_prefix, created_at, revoked_at from api_keys where tenant_id = $1 order by created_at, id',
    [tenantId],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.key_prefix,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  }));
}

/** Revokes one key of the tenant's; false when it has no such key still in use. */
export async function revokeApiKey(db: Queryable, tenantId: string, id: string): Promise<boolean> {
  const rows = await db.query(
    'update api_keys set revoked_at = now() where tenant_id = $1 and id = $2 and revoked_at is null returning id',
    [tenantId, id],
  );
  return rows.length > 0;
}
