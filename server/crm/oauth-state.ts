import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import type { Queryable } from '../db/database';
import type { CryptoBox } from '../lib/crypto-box';
import type { CrmKind } from './port';

/** How long an install may take from the redirect to the CRM until it comes back. */
export const STATE_TTL_MS = 10 * 60 * 1000;

const payload = z.object({
  n: z.string().min(16),
  c: z.enum(['hubspot', 'salesforce']),
  e: z.number(),
});

/**
 * The `state` of an OAuth install: sealed (AES-256-GCM: it cannot be read or forged), expiring,
 * and single-use (its nonce is recorded here and spent by the callback).
 */
export async function issueOAuthState(
  db: Queryable,
  box: CryptoBox,
  crm: CrmKind,
  now: number,
): Promise<string> {
  const nonce = randomBytes(18).toString('base64url');
  const expires = now + STATE_TTL_MS;
  await db.query('delete from oauth_states where expires_at < $1', [new Date(now - STATE_TTL_MS)]);
  await db.query('insert into oauth_states (nonce, crm, expires_at) values ($1, $2, $3)', [
    nonce,
    crm,
    new Date(expires),
  ]);
  const sealed = box.seal(JSON.stringify({ n: nonce, c: crm, e: expires }), 'oauth-state');
  return Buffer.from(sealed, 'utf8').toString('base64url');
}

export type StateCheck =
  { ok: true } | { ok: false; reason: 'invalid' | 'expired' | 'used' | 'wrong_crm' };

/** Spends a state once: valid, for this CRM, not expired and not used before. */
export async function consumeOAuthState(
  db: Queryable,
  box: CryptoBox,
  state: string,
  crm: CrmKind,
  now: number,
): Promise<StateCheck> {
  let parsed: z.infer<typeof payload>;
  try {
    parsed = payload.parse(
      JSON.parse(box.open(Buffer.from(state, 'base64url').toString('utf8'), 'oauth-state')),
    );
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (parsed.c !== crm) return { ok: false, reason: 'wrong_crm' };
  if (parsed.e <= now) return { ok: false, reason: 'expired' };
  const spent = await db.query(
    `update oauth_states set used_at = $2 where nonce = $1 and used_at is null returning 1`,
    [parsed.n, new Date(now)],
  );
  return spent.length === 1 ? { ok: true } : { ok: false, reason: 'used' };
}
