import { createHash, randomBytes, randomUUID } from 'node:crypto';

import type { Queryable } from './database';

const KEY_PREFIX = 'pl_';

// The key has 256 random bits, so one round of SHA-256 is enough to store it: a slow password
// hash protects guessable secrets, and lookups by hash stay a single index probe.
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** What a key may do (docs/reliability.md "Roles"); admin is everything. */
export const API_KEY_ROLES = ['admin', 'partner_manager', 'viewer', 'partner'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** A key's role; a partner key names the one partner it acts for. */
export type ApiKeyAccess =
  { role: Exclude<ApiKeyRole, 'partner'> } | { role: 'partner'; partnerId: string };

export interface IssuedApiKey {
  id: string;
  key: string;
}

export async function issueApiKey(
  db: Queryable,
  tenantId: string,
  name: string,
  access: ApiKeyAccess = { role: 'admin' },
): Promise<IssuedApiKey> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await db.query(
    'insert into api_keys (id, tenant_id, name, key_prefix, key_hash, role, partner_id) values ($1, $2, $3, $4, $5, $6, $7)',
    [
      id,
      tenantId,
      name,
      key.slice(0, 10),
      hashApiKey(key),
      access.role,
      access.role === 'partner' ? access.partnerId : null,
    ],
  );
  return { id, key };
}

/** The tenant and role of a presented key, or undefined for an unknown or revoked key. */
export async function accessForApiKey(
  db: Queryable,
  key: string,
): Promise<({ tenantId: string } & ApiKeyAccess) | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const [row] = await db.query<{ tenant_id: string; role: ApiKeyRole; partner_id: string | null }>(
    'select tenant_id, role, partner_id from api_keys where key_hash = $1 and revoked_at is null',
    [hashApiKey(key)],
  );
  if (!row) return undefined;
  if (row.role === 'partner')
    return { tenantId: row.tenant_id, role: 'partner', partnerId: row.partner_id! };
  return { tenantId: row.tenant_id, role: row.role };
}

/** The tenant a presented key belongs to, or undefined for an unknown or revoked key. */
export async function tenantForApiKey(db: Queryable, key: string): Promise<string | undefined> {
  return (await accessForApiKey(db, key))?.tenantId;
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
  role: ApiKeyRole;
  /** The partner a partner key acts for. */
  partnerId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiKeys(db: Queryable, tenantId: string): Promise<ApiKeyInfo[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    key_prefix: string;
    role: ApiKeyRole;
    partner_id: string | null;
    created_at: Date;
    revoked_at: Date | null;
  }>(
    'select id, name, key_prefix, role, partner_id, created_at, revoked_at from api_keys where tenant_id = $1 order by created_at, id',
    [tenantId],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.key_prefix,
    role: row.role,
    partnerId: row.partner_id,
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
