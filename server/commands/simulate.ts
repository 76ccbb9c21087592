import { z } from 'zod';

import { simulateCommissions } from '../../src/commissions/simulate';
import {
  type Attribution,
  type CommissionDeal,
  type Refund,
  SHARE_SCALE,
} from '../../src/commissions/types';
import { parseScaled } from '../../src/money/decimal';
import { toMinorUnits } from '../../src/money/minor-units';
import { CsvInputError, readCsv } from '../csv/read-csv';
import { columnsOf, firstOrSame, known } from '../csv/row-checks';
import { csvValue } from '../csv/values';
import { writeCsv } from '../csv/write-csv';
import { readPartners } from './partners-file';
import { readProgramFile } from './program-file';

export interface SimulateFiles {
  program: string;
  partners: string;
  deals: string;
  attributions: string;
  refunds?: string;
  output: string;
  errors?: string;
}

// The deal columns simulate needs; the others of the §10 deals file are ignored.
const dealRow = z.object({
  deal_id: csvValue.id,
  amount: csvValue.optionalAmount,
  currency: csvValue.optionalCurrency,
  stage: csvValue.stage,
  closed_at: csvValue.optionalTimestamp,
});
const attributionRow = z.object({
  deal_id: csvValue.id,
  partner_id: csvValue.id,
  role: csvValue.optionalRole.refine((role) => role !== '', 'must not be empty'),
  share_pct: z.string().min(1, 'must not be empty'),
});
const refundRow = z.object({
  deal_id: csvValue.id,
  refunded_at: csvValue.timestamp,
  amount: z.string().min(1, 'must not be empty'),
  currency: csvValue.optionalCurrency.refine((c) => c !== null, 'must not be empty'),
});

function minor(
  file: string,
  row: number,
  column: string,
  amount: string,
  currency: string,
): bigint {
  const parsed = toMinorUnits(amount, currency);
  if (!parsed.ok) throw new CsvInputError(file, { row }, column, parsed.error.message);
  return parsed.value;
}

/** deals.csv: the deals, and each id's first row and cells (which also answers "is there such a deal"). */
async function readDeals(
  file: string,
): Promise<{ deals: CommissionDeal[]; seen: Map<string, { row: number; signature: string }> }> {
  const deals: CommissionDeal[] = [];
  const seen = new Map<string, { row: number; signature: string }>();
  await readCsv(file, columnsOf(dealRow), dealRow, (value, row) => {
    if (value.stage !== 'open' && value.closed_at === null)
      throw new CsvInputError(
        file,
        { row },
        'closed_at',
        `must be given for a ${value.stage} deal`,
      );
    if (value.amount !== null && value.currency === null)
      throw new CsvInputError(file, { row }, 'currency', 'must be given with an amount');
    const amountMinor =
      value.amount !== null && value.currency !== null
        ? minor(file, row, 'amount', value.amount, value.currency)
        : null;
    // A deal may span rows (one per partner in the §10 format); its cells must agree.
    const signature = [value.amount, value.currency, value.stage, value.closed_at].join('|');
    const first = firstOrSame(file, seen, value.deal_id, row, signature, {
      column: 'deal_id',
      cells: 'amount, stage or close',
    });
    if (first) {
      deals.push({
        id: value.deal_id,
        stage: value.stage,
        amountMinor,
        currency: value.currency,
        closedAt: value.closed_at,
      });
    }
  });
  return { deals, seen };
}

/**
 * attributions.csv. Shares are non-negative percentages; a role's shares above 100 % are a result
 * (SHARES.OVER_100), not bad input. Rows repeating (deal, partner, role) add their shares.
 */
async function readAttributions(
  file: string,
  dealIds: { has(id: string): boolean },
  partnerIds: { has(id: string): boolean },
): Promise<Attribution[]> {
  const byKey = new Map<string, Attribution>();
  await readCsv(file, columnsOf(attributionRow), attributionRow, (value, row) => {
    known(file, row, 'deal_id', value.deal_id, dealIds, 'deal');
    known(file, row, 'partner_id', value.partner_id, partnerIds, 'partner');
    const share = parseScaled(value.share_pct, SHARE_SCALE);
    if (share === undefined || share < 0n)
      throw new CsvInputError(
        file,
        { row },
        'share_pct',
        `"${value.share_pct}" is not a percentage (0 or more, up to ${SHARE_SCALE} decimals)`,
      );
    const key = `${value.deal_id}\u0000${value.partner_id}\u0000${value.role}`;
    const existing = byKey.get(key);
    if (existing) existing.shareScaled += share;
    else
      byKey.set(key, {
        dealId: value.deal_id,
        partnerId: value.partner_id,
        role: value.role,
        shareScaled: share,
      });
  });
  return [...byKey.values()];
}

async function readRefunds(file: string, dealIds: { has(id: string): boolean }): Promise<Refund[]> {
  const refunds: Refund[] = [];
  await readCsv(file, columnsOf(refundRow), refundRow, (value, row) => {
    known(file, row, 'deal_id', value.deal_id, dealIds, 'deal');
    const amountMinor = minor(file, row, 'amount', value.amount, value.currency!);
    if (amountMinor <= 0n) throw new CsvInputError(file, { row }, 'amount', 'must be above 0');
    refunds.push({
      dealId: value.deal_id,
      refundedAt: value.refunded_at,
      amountMinor,
      currency: value.currency!,
    });
  });
  return refunds;
}

/** `partnerlens commissions simulate` (DESIGN.md §10): what a rate card would have paid. */
export async function simulateCommand(files: SimulateFiles): Promise<string> {
  const started = performance.now();
  const program = await readProgramFile(files.program);
  const partners = await readPartners(files.partners, program);
  // The deals file's own index answers whether a deal exists: a million ids are not copied again.
  const { deals, seen } = await readDeals(files.deals);
  const attributions = await readAttributions(
    files.attributions,
    seen,
    new Set(partners.map((p) => p.id)),
  );
  const refunds = files.refunds ? await readRefunds(files.refunds, seen) : [];
  const { lines, errors } = simulateCommissions({
    program,
    partners,
    deals,
    attributions,
    refunds,
  });
  await writeCsv(
    files.output,
    ['deal_id', 'partner_id', 'role', 'kind', 'amount_minor', 'currency', 'rate_bps'],
    lines.map((l) => [
      l.dealId,
      l.partnerId,
      l.role,
      l.kind,
      l.amountMinor.toString(),
      l.currency,
      l.rateBps,
    ]),
  );
  if (files.errors) {
    await writeCsv(
      files.errors,
      ['deal_id', 'partner_id', 'code', 'message'],
      errors.map((e) => [e.dealId, e.partnerId ?? '', e.code, e.message]),
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  return `${deals.length} deals: ${lines.length} ledger lines, ${errors.length} errors${errors.length && !files.errors ? ' (give --errors to write them)' : ''} (${seconds} s)`;
}
