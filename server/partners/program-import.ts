import { parse } from 'csv-parse/sync';
import { z } from 'zod';

import { PARTNER_TYPES, type Program } from '../../src/program/program';
import { csvValue } from '../csv/values';
import type { Database } from '../db/database';
import { type ProgramPartner, upsertProgramPartners } from './program-partners';
import { recordKey } from './source-records';

export const PROGRAM_COLUMNS = [
  'partner_id',
  'name',
  'domain',
  'type',
  'tier',
  'status',
  'partner_manager',
  'regions',
  'verticals',
  'certifications',
] as const;
const REQUIRED = ['partner_id', 'name', 'tier', 'status'];

const row = z.object({
  partner_id: csvValue.id,
  name: csvValue.text.pipe(z.string().trim().min(1, 'must not be empty')),
  domain: csvValue.text,
  type: csvValue.partnerType.refine(
    (type) => type === '' || (PARTNER_TYPES as readonly string[]).includes(type),
    `must be one of ${PARTNER_TYPES.join(', ')}, or empty`,
  ),
  tier: z.string().trim().min(1, 'must not be empty'),
  status: csvValue.status,
  partner_manager: csvValue.text,
  regions: csvValue.list,
  verticals: csvValue.list,
  certifications: csvValue.list,
});

export class ProgramImportError extends Error {
  readonly code = 'CSV.HEADER';
}

export interface ProgramImportResult {
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  errors: Array<{ line: number; column?: string; message: string }>;
  /** The program records written, for the reconcile that turns them into partners. */
  recordKeys: string[];
}

/**
 * The partner program's own list as CSV (`partner_id,name,domain,type,tier,status` and
 * optionally `partner_manager,regions,verticals,certifications`, lists `;`-separated): each bad
 * row is reported by line and column and left out, the others written; a bad header writes nothing.
 */
export async function importProgramPartners(
  db: Database,
  tenantId: string,
  csv: string,
  program: Program,
): Promise<ProgramImportResult> {
  const records = parse(csv, {
    bom: true,
    columns: (header: string[]) => {
      const names = header.map((name) => name.trim().toLowerCase());
      const missing = REQUIRED.filter((column) => !names.includes(column));
      if (missing.length > 0)
        throw new ProgramImportError(
          `the header lacks ${missing.join(', ')} (expected ${PROGRAM_COLUMNS.join(',')})`,
        );
      return names;
    },
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  }) as Array<{ record: Record<string, string | undefined>; info: { lines: number } }>;
  const result: ProgramImportResult = {
    rowsRead: 0,
    rowsKept: 0,
    rowsRejected: 0,
    errors: [],
    recordKeys: [],
  };
  const seen = new Map<string, number>();
  const kept: ProgramPartner[] = [];
  for (const { record, info } of records) {
    result.rowsRead += 1;
    const line = info.lines;
    const cells = Object.fromEntries(PROGRAM_COLUMNS.map((c) => [c, (record[c] ?? '').trim()]));
    const parsed = row.safeParse(cells);
    const problem = !parsed.success
      ? {
          column: String(parsed.error.issues[0]!.path[0]),
          message: parsed.error.issues[0]!.message,
        }
      : !program.tiers.includes(parsed.data.tier)
        ? {
            column: 'tier',
            message: `"${parsed.data.tier}" is not one of the program's tiers (${program.tiers.join(', ')})`,
          }
        : seen.has(parsed.data.partner_id)
          ? {
              column: 'partner_id',
              message: `repeats the partner_id of line ${seen.get(parsed.data.partner_id)}`,
            }
          : undefined;
    if (problem || !parsed.success) {
      result.rowsRejected += 1;
      result.errors.push({ line, ...problem! });
      continue;
    }
    const value = parsed.data;
    seen.set(value.partner_id, line);
    kept.push({
      externalId: value.partner_id,
      name: value.name,
      domain: value.domain || null,
      type: value.type || null,
      tier: value.tier,
      status: value.status,
      partnerManager: value.partner_manager || null,
      regions: value.regions,
      verticals: value.verticals,
      certifications: value.certifications,
    });
  }
  await db.transaction((tx) => upsertProgramPartners(tx, tenantId, kept));
  result.rowsKept = kept.length;
  result.recordKeys = kept.map((p) => recordKey('program', p.externalId));
  return result;
}
