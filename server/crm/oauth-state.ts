import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import type { Queryable } from '../db/database';
import type { CryptoBox } from '../lib/crypto-box';
import { CRM_NAMES, type CrmKind } from './port';

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

const callbackQuery = z.object({
  code: z.string().min(1).max(500).optional(),
  state: z.string().min(1).max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/**
 * What an OAuth callback brought back: the code to exchange, or why there is none, in a sentence
 * for the page (`stage` says which step failed: the page's title is the route's own).
 */
export type CallbackCheck =
  { ok: true; code: string } | { ok: false; stage: 'not_ours' | 'state' | 'refused'; why: string };

/** Checks a CRM's redirect back to the service: its state spent once, then its code or error. */
export async function checkOAuthCallback(
  db: Queryable,
  box: CryptoBox,
  query: unknown,
  crm: CrmKind,
  now: number,
): Promise<CallbackCheck> {
  const parsed = callbackQuery.safeParse(query);
  if (!parsed.success || !parsed.data.state)
    return { ok: false, stage: 'not_ours', why: 'The link has no state PartnerLens gave out.' };
  const state = await consumeOAuthState(db, box, parsed.data.state, crm, now);
  if (!state.ok)
    return {
      ok: false,
      stage: 'state',
      why:
        state.reason === 'expired'
          ? 'It waited more than 10 minutes.'
          : state.reason === 'used'
            ? 'It was used already.'
            : 'It was not given out by PartnerLens, or was changed on the way.',
    };
  const { code, error, error_description: description } = parsed.data;
  if (error || !code)
    return {
      ok: false,
      stage: 'refused',
      why:
        error === 'access_denied'
          ? `Access was not granted on ${CRM_NAMES[crm]}’s consent screen.`
          : `${CRM_NAMES[crm]} said: ${description ?? error ?? 'no code came back'}.`,
    };
  return { ok: true, code };
}
