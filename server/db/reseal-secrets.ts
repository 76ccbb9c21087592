import { sealContext as hubspotContext } from '../crm/hubspot/credentials';
import { sealContext as salesforceContext } from '../crm/salesforce/credentials';
import type { CryptoBox } from '../lib/crypto-box';
import type { Queryable } from './database';
import { sealContext as calloutContext } from './salesforce-callout-secrets';

export interface ResealCount {
  /** Values moved from a previous key to the current one. */
  resealed: number;
  /** Values sealed with the current key already. */
  current: number;
  /** Values none of the keys open: a previous key must not be dropped while any remain. */
  unopenable: Array<{ table: string; tenantId: string; column: string }>;
}

interface SealedColumn {
  table: 'crm_credentials' | 'salesforce_callout_secrets';
  column: string;
  /** The row's key columns, matched in the update. */
  keys: readonly string[];
  context: (row: Record<string, string>) => string;
}

const CONTEXT_OF_PROVIDER = { hubspot: hubspotContext, salesforce: salesforceContext } as const;
const crmColumn = (column: 'refresh_token' | 'access_token'): SealedColumn => ({
  table: 'crm_credentials',
  column: `${column}_enc`,
  keys: ['tenant_id', 'provider'],
  context: (row) =>
    CONTEXT_OF_PROVIDER[row.provider as keyof typeof CONTEXT_OF_PROVIDER](row.tenant_id!, column),
});
const calloutColumn = (column: string): SealedColumn => ({
  table: 'salesforce_callout_secrets',
  column,
  keys: ['tenant_id', 'org_id'],
  context: (row) => calloutContext(row.tenant_id!, row.org_id!),
});

/** Every column holding a CryptoBox value (the OAuth state is sealed too, but lives 10 minutes in a URL). */
const SEALED: readonly SealedColumn[] = [
  crmColumn('refresh_token'),
  crmColumn('access_token'),
  calloutColumn('secret_enc'),
  calloutColumn('previous_secret_enc'),
];

/** Rounds of a value rewritten by another process while it is moved, before giving up on it. */
const MAX_ATTEMPTS = 20;

/**
 * Moves every stored secret sealed with a previous encryption key to the current one. Each update
 * is conditional on the value read; when another process wrote the value meanwhile (a token
 * refresh), the value it wrote is read again and moved too if a previous key sealed it (a process
 * still on the old configuration seals with the old key), so `current` counts only values that
 * the current key opens. Running it twice moves nothing the second time.
 */
export async function resealSecrets(db: Queryable, box: CryptoBox): Promise<ResealCount> {
  const count: ResealCount = { resealed: 0, current: 0, unopenable: [] };
  for (const sealed of SEALED) {
    const rows = await db.query<Record<string, string>>(
      `select ${sealed.keys.join(', ')}, ${sealed.column} as value from ${sealed.table}
        where ${sealed.column} is not null`,
    );
    const n = sealed.keys.length;
    const where = sealed.keys.map((key, i) => `${key} = $${i + 1}`).join(' and ');
    for (const row of rows) {
      const keyValues = sealed.keys.map((key) => row[key]);
      let value: string | null | undefined = row.value;
      for (let attempt = 0; value; attempt++) {
        if (attempt === MAX_ATTEMPTS)
          throw new Error(
            `${sealed.table}.${sealed.column} of tenant ${row.tenant_id} changed ${MAX_ATTEMPTS} times while being re-sealed; run the re-seal again`,
          );
        let moved: string | undefined;
        try {
          moved = box.reseal(value, sealed.context(row));
        } catch {
          count.unopenable.push({
            table: sealed.table,
            tenantId: row.tenant_id!,
            column: sealed.column,
          });
          break;
        }
        if (moved === undefined) {
          count.current++;
          break;
        }
        const updated = await db.query(
          `update ${sealed.table} set ${sealed.column} = $${n + 1}
            where ${where} and ${sealed.column} = $${n + 2} returning 1`,
          [...keyValues, moved, value],
        );
        if (updated.length > 0) {
          count.resealed++;
          break;
        }
        // Written meanwhile (or cleared by a disconnect): what is there now, if anything.
        const [now] = await db.query<{ value: string | null }>(
          `select ${sealed.column} as value from ${sealed.table} where ${where}`,
          keyValues,
        );
        value = now?.value;
      }
    }
  }
  return count;
}
