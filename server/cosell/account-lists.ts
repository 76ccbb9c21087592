import { randomUUID } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';

import { parse } from 'csv-parse';
import { z } from 'zod';

import { POPULATIONS } from '../../src/cosell/rank';
import { prepareRecord } from '../../src/matching/prepare';
import { NotUtf8Error, utf8Only } from '../csv/utf8-only';
import type { Database } from '../db/database';
import { loadProgram } from '../registrations/program-store';
import { accountMatcher } from '../registrations/world';

const COLUMNS = ['name', 'domain', 'population'] as const;
/** Rows written per statement; the file itself is never held in memory. */
const BATCH = 2000;
/** Bad rows are all counted; this many are described. */
const DESCRIBED_ERRORS = 100;

/** A row longer than this is not an account: refused with its line, before it takes memory. */
const MAX_ROW_BYTES = 8192;
const noNul = (text: string) => !text.includes('\u0000');

const row = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(500, 'is longer than 500 characters')
    .refine(noNul, 'must not contain NUL characters'),
  domain: z
    .string()
    .trim()
    .max(253, 'is longer than 253 characters')
    .refine(noNul, 'must not contain NUL characters')
    .transform((text) => (text === '' ? null : text)),
  population: z
    .string()
    .trim()
    .transform((text) => text.toLowerCase())
    .pipe(z.enum(POPULATIONS, { error: `must be one of ${POPULATIONS.join(', ')}` })),
});

export interface RowError {
  line: number;
  column?: string;
  message: string;
}

export interface ImportResult {
  importId: string;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  rowsMatched: number;
  errors: RowError[];
}

export class AccountListError extends Error {
  constructor(
    readonly code: 'PARTNER.NOT_FOUND' | 'CSV.HEADER' | 'CSV.ENCODING',
    message: string,
    /** The file's line, when the refusal is about one. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'AccountListError';
  }
}

/**
 * Imports a partner's account list (CSV `name,domain,population`), streamed: rows are validated,
 * matched to the tenant's accounts with the matching engine and written in batches, so a file of
 * any size takes constant memory. Bad rows are reported (line, column, reason) and the rest kept.
 * The new list replaces the partner's previous one when the file is read to its end; a header
 * without the three columns refuses the whole file.
 */
export async function importAccountList(
  db: Database,
  tenantId: string,
  partnerId: string,
  input: Readable,
  actor: string,
): Promise<ImportResult> {
  const [partner] = await db.query('select 1 from partners where tenant_id = $1 and id = $2', [
    tenantId,
    partnerId,
  ]);
  if (!partner) throw new AccountListError('PARTNER.NOT_FOUND', 'No such partner');
  const importId = randomUUID();
  await db.query(
    `insert into partner_account_imports (tenant_id, id, partner_id, status, started_by) values ($1, $2, $3, 'running', $4)`,
    [tenantId, importId, partnerId, actor],
  );
  const result: ImportResult = {
    importId,
    rowsRead: 0,
    rowsKept: 0,
    rowsRejected: 0,
    rowsMatched: 0,
    errors: [],
  };
  try {
    // The same matcher registrations use: the tenant's accounts, its partners' own companies left out.
    const matcher = await accountMatcher(
      db,
      tenantId,
      (await loadProgram(db, tenantId)).program.matching.nameThreshold,
    );
    let checkedHeader = false;
    const parser = parse({
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((name) => name.trim().toLowerCase());
        const missing = COLUMNS.filter((column) => !names.includes(column));
        if (missing.length > 0)
          throw new AccountListError(
            'CSV.HEADER',
            `the header lacks ${missing.join(', ')} (expected ${COLUMNS.join(',')})`,
          );
        checkedHeader = true;
        return names;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_ROW_BYTES,
      info: true,
    });
    // One chain: a client that goes away, or bytes that are not UTF-8, end the read with an error
    // instead of leaving it waiting.
    pipeline(input, utf8Only(), parser, () => undefined);
    let batch: Array<{
      line: number;
      name: string;
      domain: string | null;
      population: string;
      account: string | null;
    }> = [];
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string | undefined>;
      info: { lines: number };
    }>) {
      result.rowsRead += 1;
      const parsed = row.safeParse({
        name: record.name ?? '',
        domain: record.domain ?? '',
        population: record.population ?? '',
      });
      if (!parsed.success) {
        result.rowsRejected += 1;
        if (result.errors.length < DESCRIBED_ERRORS) {
          const issue = parsed.error.issues[0]!;
          result.errors.push({
            line: info.lines,
            column: String(issue.path[0]),
            message: issue.message,
          });
        }
        continue;
      }
      const match = matcher.match(
        prepareRecord({
          id: '',
          name: parsed.data.name,
          domain: parsed.data.domain,
          country: null,
        }),
      );
      const account = match.accountId;
      if (account) result.rowsMatched += 1;
      batch.push({ line: info.lines, ...parsed.data, account });
      if (batch.length >= BATCH) {
        await writeRows(db, tenantId, importId, partnerId, batch);
        result.rowsKept += batch.length;
        batch = [];
      }
    }
    if (!checkedHeader)
      throw new AccountListError('CSV.HEADER', `the file is empty (expected ${COLUMNS.join(',')})`);
    await writeRows(db, tenantId, importId, partnerId, batch);
    result.rowsKept += batch.length;
    await db.transaction(async (tx) => {
      await tx.query(
        `update partner_account_imports set status = 'complete', finished_at = now(), rows_read = $3, rows_kept = $4, rows_rejected = $5, rows_matched = $6
          where tenant_id = $1 and id = $2`,
        [
          tenantId,
          importId,
          result.rowsRead,
          result.rowsKept,
          result.rowsRejected,
          result.rowsMatched,
        ],
      );
      await tx.query(
        `insert into partner_current_lists (tenant_id, partner_id, import_id) values ($1, $2, $3)
         on conflict (tenant_id, partner_id) do update set import_id = excluded.import_id`,
        [tenantId, partnerId, importId],
      );
      // The previous lists go; their rows with them.
      // Imports that never finished (their process died) go after an hour.
      await tx.query(
        `delete from partner_account_imports where tenant_id = $1 and partner_id = $2 and id <> $3
            and (status <> 'running' or started_at < now() - interval '1 hour')`,
        [tenantId, partnerId, importId],
      );
    });
    return result;
  } catch (error) {
    // A file refused as a whole, or cut off: nothing of it is kept, not even the attempt (its
    // rows go with it). A refusal answered 400 writes nothing, as every other bad input.
    await db.query(`delete from partner_account_imports where tenant_id = $1 and id = $2`, [
      tenantId,
      importId,
    ]);
    if (error instanceof NotUtf8Error)
      throw new AccountListError('CSV.ENCODING', error.message, error.line);
    throw error;
  }
}

async function writeRows(
  db: Database,
  tenantId: string,
  importId: string,
  partnerId: string,
  rows: Array<{
    line: number;
    name: string;
    domain: string | null;
    population: string;
    account: string | null;
  }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `insert into partner_accounts (tenant_id, import_id, partner_id, line, name, domain, population, account_crm_id)
     select $1, $2, $3, t.* from unnest($4::int[], $5::text[], $6::text[], $7::text[], $8::text[]) as t (line, name, domain, population, account)`,
    [
      tenantId,
      importId,
      partnerId,
      rows.map((r) => r.line),
      rows.map((r) => r.name),
      rows.map((r) => r.domain),
      rows.map((r) => r.population),
      rows.map((r) => r.account),
    ],
  );
}
