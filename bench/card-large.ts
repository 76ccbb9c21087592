import { asCandidate, type Directory, PartnerDirectory } from '../server/cosell/partner-directory';
import { suggestionsForAccount } from '../server/cosell/suggestions';
import type { Database } from '../server/db/database';
import { loadProgram } from '../server/registrations/program-store';
import { truePartnerSql } from '../server/sandbox/seed/large-tenant';
import { INDUSTRIES } from '../server/sandbox/seed/vocabulary';
import { shortlist } from '../src/cosell/fit-list';
import { POPULATIONS, rankCosell, regionOfAccount } from '../src/cosell/rank';
import type { BenchContext } from './lib/context';
import { profiled } from './lib/cpu-profile';
import { load } from './lib/load';
import { withSeededTenant } from './lib/seeded-api';

const SCALE = Number(process.env.BENCH_TENANT_SCALE ?? 1);
/** Open deals whose account's true co-sell partner is active and not on the deal yet. */
const QUALITY_DEALS = 1000;
/** BENCH_CPU_PROFILE=file.cpuprofile: one more card run under the CPU profiler, after the measured ones. */
const PROFILE_FILE = process.env.BENCH_CPU_PROFILE;
const TIER_ORDER = ['registered', 'silver', 'gold', 'platinum'];

interface EvalDeal {
  crm_id: string;
  account_crm_id: string;
  account_name: string;
  industry: string;
  country: string;
  truth: string;
}

/**
 * DESIGN.md §8's large tenant, seeded straight into Postgres: the deal card (partners, conflicts,
 * suggestions) against an empty authenticated endpoint under the same load, and how often the
 * suggestions find the partner known to co-sell each account, next to two simple baselines.
 */
export async function cardLarge(context: BenchContext) {
  return withSeededTenant(context, SCALE, async ({ db, tenantId, seeded, serve }) => {
    const partnerCount = seeded.partners;
    const industries = Object.keys(INDUSTRIES).length;
    const deals = await db.query<EvalDeal>(
      `with t as (select array_agg(id order by substr(name, 9)::int) as ids from partners where tenant_id = $1)
       select d.crm_id, d.account_crm_id, a.name as account_name, a.industry, a.country,
              t.ids[1 + ${truePartnerSql('substr(d.account_crm_id, 3)::int', '$2', industries)}]::text as truth
         from deals d join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id, t
        where d.tenant_id = $1 and d.stage = 'open'
        order by d.crm_id limit $3`,
      [tenantId, partnerCount, QUALITY_DEALS * 3],
    );
    const usable: EvalDeal[] = [];
    for (const deal of deals) {
      if (usable.length >= QUALITY_DEALS) break;
      const [row] = await db.query<{ active: boolean; attached: boolean }>(
        `select p.status = 'active' as active,
                exists (select 1 from deal_partners dp join deals d on d.tenant_id = dp.tenant_id and d.id = dp.deal_id
                         where dp.tenant_id = $1 and d.crm_id = $3 and dp.partner_id = p.id) as attached
           from partners p where p.tenant_id = $1 and p.id = $2`,
        [tenantId, deal.truth, deal.crm_id],
      );
      if (row?.active && !row.attached) usable.push(deal);
    }

    // Suggestion quality: PartnerLens against the best overlap alone and the top tier in the vertical.
    const { program } = await loadProgram(db, tenantId);
    const directory = await new PartnerDirectory(db).get(tenantId, 'bench');
    // The ranking before the fit lists: every partner in the industry, for the same accounts.
    let sameAsEveryPartner = 0;
    let everyPartnerPool = 0;
    let shortlisted = 0;
    const partners = await db.query<{
      id: string;
      name: string;
      tier: string;
      status: string;
      verticals: string[];
    }>('select id, name, tier, status, verticals from partners where tenant_id = $1', [tenantId]);
    const hits = { partnerlens: [0, 0], overlapOnly: [0, 0], topTierInVertical: [0, 0] };
    const count = (key: keyof typeof hits, ranked: string[], truth: string) => {
      if (ranked[0] === truth) hits[key][0]! += 1;
      if (ranked.slice(0, 5).includes(truth)) hits[key][1]! += 1;
    };
    const byTier = [...partners]
      .filter((p) => p.status === 'active')
      .sort(
        (a, b) =>
          TIER_ORDER.indexOf(b.tier) - TIER_ORDER.indexOf(a.tier) || a.name.localeCompare(b.name),
      );
    const started = performance.now();
    for (const deal of usable) {
      const attached = new Set(
        (
          await db.query<{ partner_id: string }>(
            `select dp.partner_id from deal_partners dp join deals d on d.tenant_id = dp.tenant_id and d.id = dp.deal_id
              where dp.tenant_id = $1 and d.crm_id = $2`,
            [tenantId, deal.crm_id],
          )
        ).map((r) => r.partner_id),
      );
      const suggestions = await suggestionsForAccount(
        db,
        directory,
        tenantId,
        {
          crmId: deal.account_crm_id,
          name: deal.account_name,
          industry: deal.industry,
          country: deal.country,
        },
        {
          attached,
          registrationHolders: new Set(),
          tiers: program.tiers,
          currency: program.currency,
        },
      );
      count(
        'partnerlens',
        suggestions.map((s) => s.partnerId),
        deal.truth,
      );
      const everyPartner = await rankEveryPartner(db, directory, tenantId, deal, {
        attached,
        tiers: program.tiers,
        currency: program.currency,
      });
      if (
        JSON.stringify(everyPartner.suggestions) ===
        JSON.stringify(suggestions.map(({ type: _t, tier: _r, ...s }) => s))
      )
        sameAsEveryPartner += 1;
      everyPartnerPool += everyPartner.pool;
      shortlisted += everyPartner.shortlist;
      const overlap = await db.query<{ partner_id: string }>(
        `select pa.partner_id from partner_accounts pa join partners p on p.tenant_id = pa.tenant_id and p.id = pa.partner_id
          where pa.tenant_id = $1 and pa.account_crm_id = $2 and p.status = 'active'
          order by case pa.population when 'customer' then 0 when 'open_opportunity' then 1 else 2 end, p.name`,
        [tenantId, deal.account_crm_id],
      );
      count(
        'overlapOnly',
        overlap.map((r) => r.partner_id).filter((id) => !attached.has(id)),
        deal.truth,
      );
      count(
        'topTierInVertical',
        byTier
          .filter((p) => p.verticals.includes(deal.industry) && !attached.has(p.id))
          .slice(0, 5)
          .map((p) => p.id),
        deal.truth,
      );
    }
    const suggestSeconds = (performance.now() - started) / 1000;
    const rate = ([top1, top5]: number[]) => ({
      top1: Number((top1! / usable.length).toFixed(3)),
      top5: Number((top5! / usable.length).toFixed(3)),
    });

    const { base, headers } = await serve();
    const paths = usable.slice(0, 200).map((d) => `/api/v1/deals/${d.crm_id}/card`);
    const sample = (await (await fetch(`${base}${paths[0]}`, { headers })).text()).length;
    const options = { connections: 10, seconds: context.seconds };
    await load(`${base}/api/v1/whoami`, headers, { connections: 10, seconds: 1 });
    await load(`${base}${paths[0]}`, headers, { connections: 10, seconds: 1, paths });
    const empty = await load(`${base}/api/v1/whoami`, headers, options);
    const card = await load(`${base}${paths[0]}`, headers, { ...options, paths });
    const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    // After the measured runs, so that the profiler's cost is in none of them.
    const profile = PROFILE_FILE
      ? await profiled(PROFILE_FILE, () =>
          load(`${base}${paths[0]}`, headers, { ...options, paths }),
        )
      : undefined;
    return {
      tenant: seeded,
      suggestionQuality: {
        deals: usable.length,
        partnerlens: rate(hits.partnerlens),
        baselineOverlapOnly: rate(hits.overlapOnly),
        baselineTopTierInVertical: rate(hits.topTierInVertical),
        msPerDealInProcess: Number(((suggestSeconds * 1000) / usable.length).toFixed(1)),
        identicalToRankingEveryPartner: `${sameAsEveryPartner} of ${usable.length}`,
        candidatesRankedBefore: Math.round(everyPartnerPool / usable.length),
        candidatesRankedNow: Math.round(shortlisted / usable.length),
      },
      cardBytes: sample,
      emptyEndpoint: empty,
      card,
      cardP99OverEmptyP99: Number((card.p99 / Math.max(empty.p99, 1)).toFixed(2)),
      rssMiB,
      ...(profile && {
        profile: {
          file: PROFILE_FILE,
          card: profile.result,
          top: profile.top,
          byFile: profile.byFile,
        },
      }),
    };
  });
}

/** The suggestions as the card made them before issue 13: every partner in the industry ranked. */
async function rankEveryPartner(
  db: Database,
  directory: Directory,
  tenantId: string,
  deal: EvalDeal,
  options: { attached: ReadonlySet<string>; tiers: readonly string[]; currency: string },
) {
  const overlap = await db.query<{ partner_id: string; best: number }>(
    `select pa.partner_id, min(array_position($3::text[], pa.population))::int - 1 as best
       from partner_accounts pa
       join partner_current_lists c on c.tenant_id = pa.tenant_id and c.import_id = pa.import_id
      where pa.tenant_id = $1 and pa.account_crm_id = $2
      group by pa.partner_id`,
    [tenantId, deal.account_crm_id, POPULATIONS],
  );
  const best = new Map(overlap.map((row) => [row.partner_id, POPULATIONS[row.best]!]));
  const pool = new Map((directory.byVertical.get(deal.industry) ?? []).map((p) => [p.id, p]));
  for (const id of best.keys()) pool.set(id, directory.byId.get(id)!);
  const candidates = [...pool.values()].map((p) => ({
    ...asCandidate(p, options.currency),
    overlap: best.get(p.id) ?? null,
    attached: options.attached.has(p.id),
  }));
  const account = { name: deal.account_name, industry: deal.industry, country: deal.country };
  // What the card ranks instead: the overlap and the fit list's shortlist.
  const shortlisted = new Set([
    ...best.keys(),
    ...shortlist(
      directory.fitList(deal.industry, regionOfAccount(account), options.tiers),
      (id) => !options.attached.has(id),
    ),
  ]);
  return {
    suggestions: rankCosell(account, candidates, { tiers: options.tiers }).suggestions,
    pool: candidates.length,
    shortlist: shortlisted.size,
  };
}
