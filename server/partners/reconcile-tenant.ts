import { randomUUID } from 'node:crypto';

import { CandidateIndex } from '../../src/matching/candidate-index';
import { compareRecords, DEFAULT_NAME_THRESHOLD } from '../../src/matching/compare';
import { prepareRecord } from '../../src/matching/prepare';
import { reconcile, type ReviewItem } from '../../src/reconciliation/reconcile';
import { goldenRecord } from '../../src/reconciliation/survivorship';
import { dealsOfCompanies, refreshCrmAttributions } from '../crm/attributions';
import { recordAudit } from '../db/audit';
import type { Database, Queryable } from '../db/database';
import { loadDecisions, loadLinks, loadSourceRecords, type SourceRecord } from './source-records';

export interface ReconcileTenantResult {
  records: number;
  clusters: number;
  partnersCreated: number;
  partnersRemoved: number;
  linksChanged: number;
  reviewsOpen: number;
}

export interface ReconcileTenantOptions {
  /** Only these records changed ("source:external id"): re-decide them, their matches and their partners. */
  changedKeys?: readonly string[];
  nameThreshold?: number;
}

const toInput = (record: SourceRecord) => ({
  id: record.key,
  source: record.source,
  name: record.name,
  domain: record.domain,
  country: record.country,
});

/**
 * Clusters the tenant's partner records (program + CRM partner companies) into partners: golden
 * records by survivorship, a link per source record, review items for records between clusters,
 * and the CRM attributions of every deal whose partner companies changed hands.
 */
export async function reconcileTenant(
  db: Database,
  tenantId: string,
  options: ReconcileTenantOptions = {},
): Promise<ReconcileTenantResult> {
  const nameThreshold = options.nameThreshold ?? DEFAULT_NAME_THRESHOLD;
  const all = await loadSourceRecords(db, tenantId);
  const links = await loadLinks(db, tenantId);
  const subset = options.changedKeys
    ? affectedRecords(all, links, options.changedKeys, nameThreshold)
    : all;
  const result = reconcile(subset.map(toInput), {
    nameThreshold,
    ...(await loadDecisions(db, tenantId)),
  });

  const clusters = new Map<string, SourceRecord[]>();
  subset.forEach((record, i) =>
    clusters.set(result.clusterIds[i]!, [...(clusters.get(result.clusterIds[i]!) ?? []), record]),
  );
  const assignments = assignPartnerIds([...clusters.values()], links);
  const partnerOfCluster = new Map(
    [...clusters.keys()].map((clusterId, i) => [clusterId, assignments[i]!.partnerId]),
  );

  return db.transaction(async (tx) => {
    for (const { partnerId, members } of assignments)
      await writeGolden(tx, tenantId, partnerId, members);
    const before = new Map(subset.map((r) => [r.key, links.get(r.key)]));
    await tx.query(
      `delete from partner_links where tenant_id = $1 and source || ':' || external_id = any($2::text[])`,
      [tenantId, subset.map((r) => r.key)],
    );
    const after = assignments.flatMap(({ partnerId, members }) =>
      members.map((member) => ({ member, partnerId })),
    );
    await tx.query(
      `insert into partner_links (tenant_id, partner_id, source, external_id)
       select $1, t.partner_id, t.source, t.external_id from unnest($2::uuid[], $3::text[], $4::text[]) as t (partner_id, source, external_id)`,
      [
        tenantId,
        after.map((a) => a.partnerId),
        after.map((a) => a.member.source),
        after.map((a) => a.member.externalId),
      ],
    );
    const removed = await removeEmptiedPartners(tx, tenantId, before, after);
    const moved = after.filter(({ member, partnerId }) => before.get(member.key) !== partnerId);
    // Program records sit on no deal; the CRMs' partner companies do.
    const movedCompanies = moved
      .filter((m) => m.member.source !== 'program')
      .map((m) => ({ crm: m.member.source, crmId: m.member.externalId }));
    await refreshCrmAttributions(
      tx,
      tenantId,
      await dealsOfCompanies(tx, tenantId, movedCompanies),
    );
    await writeReviews(tx, tenantId, subset, result.reviews, partnerOfCluster);
    const summary: ReconcileTenantResult = {
      records: subset.length,
      clusters: clusters.size,
      partnersCreated: assignments.filter((a) => a.created).length,
      partnersRemoved: removed,
      linksChanged: moved.length,
      reviewsOpen: result.reviews.length,
    };
    await recordAudit(tx, {
      tenantId,
      actor: 'reconcile',
      action: 'partners.reconciled',
      subjectType: 'tenant',
      subjectId: tenantId,
      details: { ...summary, incremental: Boolean(options.changedKeys) },
    });
    return summary;
  });
}

/** The changed records, the records they match, and every record of the partners either belongs to. */
function affectedRecords(
  all: SourceRecord[],
  links: Map<string, string>,
  changedKeys: readonly string[],
  nameThreshold: number,
): SourceRecord[] {
  const prepared = all.map((r) => prepareRecord(toInput(r)));
  const index = new CandidateIndex(prepared);
  const position = new Map(all.map((r, i) => [r.key, i]));
  const keys = new Set<string>();
  for (const key of changedKeys) {
    const i = position.get(key);
    if (i === undefined) continue;
    keys.add(key);
    for (const j of index.candidates(i)) {
      if (compareRecords(prepared[i]!, prepared[j]!, { nameThreshold }).match)
        keys.add(all[j]!.key);
    }
  }
  const partners = new Set([...keys, ...changedKeys].map((key) => links.get(key)).filter(Boolean));
  return all.filter((record) => keys.has(record.key) || partners.has(links.get(record.key)));
}

/**
 * Each cluster keeps a partner id one of its records is already linked to, the program record's
 * first; a partner id goes to one cluster only (a split gives the others new partners).
 */
function assignPartnerIds(clusters: SourceRecord[][], links: Map<string, string>) {
  const claimed = new Set<string>();
  const order = clusters
    .map((members, index) => ({
      members,
      index,
      program: members.some((m) => m.source === 'program'),
    }))
    .sort(
      (a, b) =>
        Number(b.program) - Number(a.program) ||
        b.members.length - a.members.length ||
        a.index - b.index,
    );
  const chosen = new Array<{ partnerId: string; members: SourceRecord[]; created: boolean }>(
    clusters.length,
  );
  for (const { members, index } of order) {
    const preferred = [...members].sort(
      (a, b) =>
        Number(b.source === 'program') - Number(a.source === 'program') || (a.key < b.key ? -1 : 1),
    );
    const existing = preferred
      .map((m) => links.get(m.key))
      .find((id): id is string => Boolean(id) && !claimed.has(id!));
    const partnerId = existing ?? randomUUID();
    claimed.add(partnerId);
    chosen[index] = { partnerId, members, created: !existing };
  }
  return chosen;
}

async function writeGolden(
  db: Queryable,
  tenantId: string,
  partnerId: string,
  members: SourceRecord[],
) {
  const golden = goldenRecord(members);
  await db.query(
    `insert into partners (tenant_id, id, name, domain, country, type, tier, status, partner_manager, regions, verticals, certifications)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     on conflict (tenant_id, id) do update set
       name = excluded.name, domain = excluded.domain, country = excluded.country, type = excluded.type, tier = excluded.tier,
       status = excluded.status, partner_manager = excluded.partner_manager, regions = excluded.regions,
       verticals = excluded.verticals, certifications = excluded.certifications, updated_at = now()`,
    [
      tenantId,
      partnerId,
      golden.name ?? 'Unnamed partner',
      golden.domain ?? null,
      golden.country ?? null,
      golden.type ?? null,
      // A partner known only from a CRM has not joined a tier yet.
      golden.tier ?? 'registered',
      golden.status === 'inactive' ? 'inactive' : 'active',
      golden.partnerManager ?? null,
      golden.regions ?? [],
      golden.verticals ?? [],
      golden.certifications ?? [],
    ],
  );
}

/**
 * Partners that lost all their records were merged into others: their attributions made in
 * PartnerLens move to the partner that took their records, then they go.
 */
async function removeEmptiedPartners(
  db: Queryable,
  tenantId: string,
  before: Map<string, string | undefined>,
  after: Array<{ member: SourceRecord; partnerId: string }>,
) {
  const now = new Map(after.map((a) => [a.member.key, a.partnerId]));
  const successor = new Map<string, string>();
  for (const [key, previous] of before)
    if (previous && !successor.has(previous)) successor.set(previous, now.get(key)!);
  let removed = 0;
  for (const [previous, next] of successor) {
    if (previous === next) continue;
    const [{ linked }] = (await db.query<{ linked: boolean }>(
      'select exists (select 1 from partner_links where tenant_id = $1 and partner_id = $2) as linked',
      [tenantId, previous],
    )) as [{ linked: boolean }];
    if (linked) continue;
    await db.query(
      `insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin, created_at)
       select tenant_id, deal_id, $3, role, share_pct, origin, created_at from deal_partners
        where tenant_id = $1 and partner_id = $2 and origin = 'manual'
       on conflict do nothing`,
      [tenantId, previous, next],
    );
    await db.query('delete from partners where tenant_id = $1 and id = $2', [tenantId, previous]);
    removed++;
  }
  return removed;
}

async function writeReviews(
  db: Queryable,
  tenantId: string,
  subset: SourceRecord[],
  reviews: ReviewItem[],
  partnerOfCluster: Map<string, string>,
) {
  const inReview = reviews.map((r) => r.recordId);
  await db.query(
    `update merge_candidates set status = 'superseded'
      where tenant_id = $1 and status = 'open' and record_key = any($2::text[]) and not (record_key = any($3::text[]))`,
    [tenantId, subset.map((r) => r.key), inReview],
  );
  for (const review of reviews) {
    const candidates = review.candidates.map((c) => ({
      partnerId: partnerOfCluster.get(c.clusterId),
      recordKeys: c.recordIds,
      matchedRecordKey: c.matchedRecordId,
      evidence: c.evidence,
    }));
    await db.query(
      `insert into merge_candidates (tenant_id, record_key, candidates) values ($1, $2, $3)
       on conflict (tenant_id, record_key) where status = 'open' do update set candidates = excluded.candidates`,
      [tenantId, review.recordId, JSON.stringify(candidates)],
    );
  }
}
