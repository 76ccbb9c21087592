import { z } from 'zod';

import { replayRegistrations } from '../../src/registrations/replay';
import type { DealFacts, RegistrationFacts } from '../../src/registrations/types';
import { CONFLICT_KINDS } from '../../src/registrations/types';
import { CsvInputError, readCsv } from '../csv/read-csv';
import { columnsOf, firstOrSame, known, unique } from '../csv/row-checks';
import { csvValue } from '../csv/values';
import { writeCsv } from '../csv/write-csv';
import { readPartners } from './partners-file';
import { readProgramFile } from './program-file';

export interface ReplayFiles {
  program: string;
  partners: string;
  accounts: string;
  deals: string;
  registrations: string;
  output: string;
}

const accountRow = z.object({
  account_id: csvValue.id,
  name: csvValue.text,
  domain: csvValue.text,
  country: csvValue.text,
  industry: csvValue.text,
});
const dealRow = z.object({
  deal_id: csvValue.id,
  account_id: csvValue.id,
  name: csvValue.text,
  amount: csvValue.optionalAmount,
  currency: csvValue.optionalCurrency,
  stage: csvValue.stage,
  created_at: csvValue.timestamp,
  closed_at: csvValue.optionalTimestamp,
  partner_id: csvValue.text,
  partner_role: csvValue.optionalRole,
});
const registrationRow = z.object({
  registration_id: csvValue.id,
  partner_id: csvValue.id,
  company_name: csvValue.text,
  company_domain: csvValue.text,
  amount: csvValue.optionalAmount,
  currency: csvValue.optionalCurrency,
  submitted_at: csvValue.timestamp,
});

async function readAccounts(file: string) {
  const seen = new Map<string, number>();
  const accounts: Array<{ id: string; name: string; domain: string; country: string }> = [];
  await readCsv(file, columnsOf(accountRow), accountRow, (value, row) => {
    unique(file, seen, value.account_id, row, 'account_id');
    accounts.push({
      id: value.account_id,
      name: value.name,
      domain: value.domain,
      country: value.country,
    });
  });
  return accounts;
}

/** A deal may span rows, one per partner on it; its other cells must agree. */
async function readDeals(
  file: string,
  accountIds: Set<string>,
  partnerIds: Set<string>,
): Promise<DealFacts[]> {
  const deals = new Map<string, DealFacts>();
  const seen = new Map<string, { row: number; signature: string }>();
  await readCsv(file, columnsOf(dealRow), dealRow, (value, row) => {
    known(file, row, 'account_id', value.account_id, accountIds, 'account');
    if (value.partner_id) known(file, row, 'partner_id', value.partner_id, partnerIds, 'partner');
    if (value.stage !== 'open' && value.closed_at === null)
      throw new CsvInputError(
        file,
        { row },
        'closed_at',
        `must be given for a ${value.stage} deal`,
      );
    if (value.closed_at !== null && value.closed_at < value.created_at)
      throw new CsvInputError(file, { row }, 'closed_at', 'is before created_at');
    const signature = [value.account_id, value.stage, value.created_at, value.closed_at].join('|');
    if (
      firstOrSame(file, seen, value.deal_id, row, signature, {
        column: 'deal_id',
        cells: 'account, stage or dates',
      })
    )
      deals.set(value.deal_id, {
        id: value.deal_id,
        accountId: value.account_id,
        stage: value.stage,
        createdAt: value.created_at,
        closedAt: value.closed_at,
        partnerIds: [],
      });
    const deal = deals.get(value.deal_id)!;
    if (value.partner_id && !deal.partnerIds.includes(value.partner_id))
      deal.partnerIds.push(value.partner_id);
  });
  return [...deals.values()];
}

async function readRegistrations(
  file: string,
  partnerIds: Set<string>,
): Promise<RegistrationFacts[]> {
  const seen = new Map<string, number>();
  const registrations: RegistrationFacts[] = [];
  await readCsv(file, columnsOf(registrationRow), registrationRow, (value, row) => {
    unique(file, seen, value.registration_id, row, 'registration_id');
    known(file, row, 'partner_id', value.partner_id, partnerIds, 'partner');
    if (!value.company_name && !value.company_domain)
      throw new CsvInputError(
        file,
        { row },
        'company_name',
        'a registration needs a company name or domain',
      );
    registrations.push({
      id: value.registration_id,
      partnerId: value.partner_id,
      companyName: value.company_name,
      companyDomain: value.company_domain || null,
      amount: value.amount,
      currency: value.currency,
      submittedAt: value.submitted_at,
    });
  });
  return registrations;
}

/** `partnerlens registrations replay`: the what-if of DESIGN.md §10. */
export async function replayCommand(files: ReplayFiles): Promise<string> {
  const started = performance.now();
  const program = await readProgramFile(files.program);
  const partners = await readPartners(files.partners, program);
  const accounts = await readAccounts(files.accounts);
  const partnerIds = new Set(partners.map((p) => p.id));
  const deals = await readDeals(files.deals, new Set(accounts.map((a) => a.id)), partnerIds);
  const registrations = await readRegistrations(files.registrations, partnerIds);
  const outcomes = replayRegistrations({ program, partners, accounts, deals, registrations });
  await writeCsv(
    files.output,
    ['registration_id', 'verdict', 'conflicts', 'matched_account_id', 'holder_registration_id'],
    outcomes.map((o) => [
      o.registrationId,
      o.verdict,
      CONFLICT_KINDS.filter((kind) => o.conflicts.some((c) => c.kind === kind)).join(';'),
      o.matchedAccountId ?? '',
      o.holderRegistrationId ?? '',
    ]),
  );
  const count = (verdict: string) => outcomes.filter((o) => o.verdict === verdict).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  return `${outcomes.length} registrations: ${count('approved')} approved, ${count('review')} for review, ${count('rejected')} rejected (${seconds} s)`;
}
