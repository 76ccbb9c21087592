import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { extract, full_process, token_set_ratio } from 'fuzzball';

import { writeCsv } from '../server/csv/write-csv';
import { parseProgram, type Program } from '../src/program/program';
import {
  bySubmission,
  type ReplayInput,
  type ReplayOutcome,
  replayRegistrations,
} from '../src/registrations/replay';
import type { RegistrationFacts } from '../src/registrations/types';
import { type GeneratedTenant, generateTenant, LARGE_TENANT } from './data/large-tenant';
import { DEALS_COLUMNS, timeCli } from './lib/cli';

const DESIGN_PROGRAM = {
  tiers: ['registered', 'silver', 'gold', 'platinum'],
  protectionDays: { default: 90, byTier: { platinum: 120 } },
  caps: { activeRegistrationsByTier: { registered: 5, silver: 25 } },
  autoApprove: { enabled: true, minTier: 'gold', maxAmount: 50000 },
};
const BASELINE_SAMPLE = 100;

const program = (): Program => {
  const result = parseProgram(DESIGN_PROGRAM);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

const agreement = (
  outcomes: ReplayOutcome[],
  oracle: Map<string, ReplayOutcome>,
  truth: GeneratedTenant['truth'],
) => {
  const same = outcomes.filter((o) => o.verdict === oracle.get(o.registrationId)!.verdict).length;
  const account = outcomes.filter((o) => o.matchedAccountId === truth.get(o.registrationId)).length;
  return {
    registrations: outcomes.length,
    verdictAgreement: Number((same / outcomes.length).toFixed(4)),
    accountAccuracy: Number((account / outcomes.length).toFixed(4)),
  };
};

/** Straightforward fuzzy search: every account scored with fuzzball's token_set_ratio (or the bare domain), best ≥ 90. */
function baselineMatcher(tenant: GeneratedTenant): ReplayInput['matchAccount'] {
  const choices = tenant.accounts.map((a) => full_process(a.name));
  const bareDomain = (raw: string | null) =>
    (raw ?? '')
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/^www\./, '')
      .replace(/\/.*$/, '');
  const byDomain = new Map(
    tenant.accounts.filter((a) => a.domain).map((a) => [bareDomain(a.domain), a.id]),
  );
  return (registration: RegistrationFacts) => {
    const domainHit = byDomain.get(bareDomain(registration.companyDomain));
    if (domainHit) return { accountId: domainHit, evidence: [] };
    const [best] = extract(full_process(registration.companyName), choices, {
      scorer: token_set_ratio,
      cutoff: 90,
      limit: 1,
      full_process: false,
      returnObjects: true,
    }) as Array<{ key: number }>;
    return { accountId: best ? tenant.accounts[best.key]!.id : null, evidence: [] };
  };
}

export async function replayBench() {
  const tenant = generateTenant({
    seed: 8,
    size: LARGE_TENANT,
    start: Date.parse('2025-01-01T00:00:00Z'),
  });
  const input: ReplayInput = {
    program: program(),
    partners: tenant.partners,
    accounts: tenant.accounts,
    deals: tenant.deals,
    registrations: tenant.registrations,
  };

  let started = performance.now();
  const engine = replayRegistrations(input);
  const engineSeconds = (performance.now() - started) / 1000;
  const oracle = new Map(
    replayRegistrations({
      ...input,
      matchAccount: (r) => ({ accountId: tenant.truth.get(r.id)!, evidence: [] }),
    }).map((o) => [o.registrationId, o]),
  );

  // The baseline scans all 200k accounts per registration: run on the first registrations in submission order.
  const prefix = [...tenant.registrations].sort(bySubmission).slice(0, BASELINE_SAMPLE);
  const prefixIds = new Set(prefix.map((r) => r.id));
  started = performance.now();
  const baseline = replayRegistrations({
    ...input,
    registrations: prefix,
    matchAccount: baselineMatcher(tenant),
  });
  const baselinePerRegistration = (performance.now() - started) / 1000 / prefix.length;
  const enginePerRegistration = engineSeconds / tenant.registrations.length;

  // The whole command on the same tenant, CSV in and out.
  const dir = await mkdtemp(path.join(tmpdir(), 'pl-replay-bench-'));
  let cli: { seconds: number };
  try {
    const file = (name: string) => path.join(dir, name);
    const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
    await writeFile(file('program.json'), JSON.stringify(DESIGN_PROGRAM));
    await writeCsv(
      file('partners.csv'),
      ['partner_id', 'name', 'domain', 'type', 'tier', 'status', 'regions', 'verticals'],
      tenant.partners.map((p) => [
        p.id,
        `Partner ${p.id}`,
        '',
        'reseller',
        p.tier,
        p.status,
        '',
        '',
      ]),
    );
    await writeCsv(
      file('accounts.csv'),
      ['account_id', 'name', 'domain', 'country', 'industry'],
      tenant.accounts.map((a) => [a.id, a.name, a.domain, a.country, '']),
    );
    await writeCsv(
      file('deals.csv'),
      DEALS_COLUMNS,
      tenant.deals.map((d) => [
        d.id,
        d.accountId,
        '',
        '',
        '',
        d.stage,
        iso(d.createdAt),
        iso(d.closedAt),
        d.partnerIds[0] ?? '',
        d.partnerIds[0] ? 'sourced' : '',
      ]),
    );
    await writeCsv(
      file('registrations.csv'),
      [
        'registration_id',
        'partner_id',
        'company_name',
        'company_domain',
        'amount',
        'currency',
        'submitted_at',
      ],
      tenant.registrations.map((r) => [
        r.id,
        r.partnerId,
        r.companyName,
        r.companyDomain ?? '',
        r.amount ?? '',
        r.currency ?? '',
        iso(r.submittedAt),
      ]),
    );
    cli = timeCli([
      'registrations',
      'replay',
      '--program',
      file('program.json'),
      '--partners',
      file('partners.csv'),
      '--accounts',
      file('accounts.csv'),
      '--deals',
      file('deals.csv'),
      '--registrations',
      file('registrations.csv'),
      '--output',
      file('verdicts.csv'),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  return {
    tenant: {
      partners: tenant.partners.length,
      accounts: tenant.accounts.length,
      deals: tenant.deals.length,
      registrations: tenant.registrations.length,
    },
    engine: {
      seconds: Number(engineSeconds.toFixed(2)),
      ...agreement(engine, oracle, tenant.truth),
    },
    cli: { seconds: cli.seconds },
    sample: {
      registrations: prefix.length,
      engine: agreement(
        engine.filter((o) => prefixIds.has(o.registrationId)),
        oracle,
        tenant.truth,
      ),
      baseline: {
        name: 'fuzzball token_set_ratio ≥ 90 over all accounts, or same bare domain',
        ...agreement(baseline, oracle, tenant.truth),
      },
    },
    perRegistrationMs: {
      engine: Number((enginePerRegistration * 1000).toFixed(4)),
      baseline: Number((baselinePerRegistration * 1000).toFixed(2)),
    },
    speedup: Math.round(baselinePerRegistration / enginePerRegistration),
  };
}
