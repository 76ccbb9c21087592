import { z } from 'zod';

import type { Program } from '../../src/program/program';
import { CsvInputError, readCsv } from '../csv/read-csv';
import { columnsOf, unique } from '../csv/row-checks';
import { csvValue } from '../csv/values';

const partnerRow = z.object({
  partner_id: csvValue.id,
  name: csvValue.text,
  domain: csvValue.text,
  type: csvValue.partnerType,
  tier: z.string().min(1, 'must not be empty'),
  status: csvValue.status,
  regions: csvValue.list,
  verticals: csvValue.list,
});

export interface PartnerRecord {
  id: string;
  type: string;
  tier: string;
  status: 'active' | 'inactive';
}

/** partners.csv of DESIGN.md §10; every tier must be one of the program's. */
export async function readPartners(file: string, program: Program): Promise<PartnerRecord[]> {
  const seen = new Map<string, number>();
  const partners: PartnerRecord[] = [];
  await readCsv(file, columnsOf(partnerRow), partnerRow, (value, row) => {
    unique(file, seen, value.partner_id, row, 'partner_id');
    if (!program.tiers.includes(value.tier))
      throw new CsvInputError(
        file,
        { row },
        'tier',
        `"${value.tier}" is not one of the program's tiers (${program.tiers.join(', ')})`,
      );
    partners.push({
      id: value.partner_id,
      type: value.type,
      tier: value.tier,
      status: value.status,
    });
  });
  return partners;
}
