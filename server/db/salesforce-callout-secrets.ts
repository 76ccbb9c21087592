import { randomBytes } from 'node:crypto';

import type { CryptoBox } from '../lib/crypto-box';
import type { Queryable } from './database';

/** How long the secret a rotation replaced still signs, so the org can be updated without downtime. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

const SECRET_PREFIX = 'plsf_';
export const sealContext = (tenantId: string, orgId: string) =>
  `${tenantId}:salesforce-callout:${orgId}`;

export type IssueFailure =
  | { code: 'SALESFORCE_SECRET.EXISTS'; message: string }
  | { code: 'SALESFORCE_SECRET.NOT_FOUND'; message: string }
  | { code: 'SALESFORCE_SECRET.OTHER_TENANT'; message: string };

export type IssueOutcome =
  | {
      ok: true;
      value: { tenantId: string; orgId: string; secret: string; previousValidUntil: string | null };
    }
  | { ok: false; error: IssueFailure };

interface SecretRow {
  tenant_id: string;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_valid_until: Date | null;
}

/**
 * A new signing secret for the org (printed once, for the admin to paste into the External
 * Credential). The first one needs no `rotate`; a rotation keeps the replaced one valid for
 * `graceMs`. An org signs for one tenant only.
 */
export async function issueCalloutSecret(
  db: Queryable,
  box: CryptoBox,
  input: { tenantId: string; orgId: string; rotate: boolean; now: number; graceMs?: number },
): Promise<IssueOutcome> {
  const { tenantId, orgId } = input;
  const [existing] = await db.query<SecretRow>(
    'select tenant_id, secret_enc from salesforce_callout_secrets where org_id = $1 for update',
    [orgId],
  );
  if (existing && existing.tenant_id !== tenantId)
    return failure('SALESFORCE_SECRET.OTHER_TENANT', `Org ${orgId} belongs to another tenant`);
  if (existing && !input.rotate)
    return failure(
      'SALESFORCE_SECRET.EXISTS',
      `Org ${orgId} has a signing secret already; rotate it to get a new one`,
    );
  if (!existing && input.rotate)
    return failure('SALESFORCE_SECRET.NOT_FOUND', `Org ${orgId} has no signing secret to rotate`);
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const sealed = box.seal(secret, sealContext(tenantId, orgId));
  if (!existing) {
    await db.query(
      'insert into salesforce_callout_secrets (tenant_id, org_id, secret_enc) values ($1, $2, $3)',
      [tenantId, orgId, sealed],
    );
    return { ok: true, value: { tenantId, orgId, secret, previousValidUntil: null } };
  }
  const validUntil = new Date(input.now + (input.graceMs ?? ROTATION_GRACE_MS));
  await db.query(
    `update salesforce_callout_secrets
        set previous_secret_enc = secret_enc, previous_valid_until = $3, secret_enc = $4, rotated_at = $5
      where tenant_id = $1 and org_id = $2`,
    [tenantId, orgId, validUntil, sealed, new Date(input.now)],
  );
  return {
    ok: true,
    value: { tenantId, orgId, secret, previousValidUntil: validUntil.toISOString() },
  };
}

/** The tenant an org signs for and the secrets that verify its calls now (current first). */
export async function calloutSecretsFor(
  db: Queryable,
  box: CryptoBox,
  orgId: string,
  now: number,
): Promise<{ tenantId: string; secrets: string[] } | undefined> {
  const [row] = await db.query<SecretRow>(
    `select tenant_id, secret_enc, previous_secret_enc, previous_valid_until
       from salesforce_callout_secrets where org_id = $1`,
    [orgId],
  );
  if (!row) return undefined;
  const context = sealContext(row.tenant_id, orgId);
  const secrets = [box.open(row.secret_enc, context)];
  if (
    row.previous_secret_enc &&
    row.previous_valid_until &&
    row.previous_valid_until.getTime() > now
  )
    secrets.push(box.open(row.previous_secret_enc, context));
  return { tenantId: row.tenant_id, secrets };
}

const failure = (code: IssueFailure['code'], message: string): IssueOutcome => ({
  ok: false,
  error: { code, message } as IssueFailure,
});
