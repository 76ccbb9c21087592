import { type FitEntry, fitList } from '../../src/cosell/fit-list';
import type { CosellCandidate, PartnerRecord } from '../../src/cosell/rank';
import type { SalesRegion } from '../../src/cosell/region';
import type { Queryable } from '../db/database';

export interface DirectoryPartner {
  id: string;
  name: string;
  type: string | null;
  tier: string;
  active: boolean;
  regions: string[];
  verticals: string[];
  certifications: string[];
  /** Won, lost and by vertical over twelve months; null until performance was counted. */
  record: Omit<PartnerRecord, 'wonRevenueMinor'> | null;
  /** Won revenue over twelve months (sourced + influenced), minor units per currency. */
  wonRevenue: Record<string, bigint>;
}

/** The tenant's partners as one version of the card's inputs has them, with what is prepared from them. */
export class Directory {
  private readonly prepared = new Map<string, readonly FitEntry[]>();
  private readonly byRevenue = new Map<string, readonly DirectoryPartner[]>();
  private readonly candidates = new Map<string, Map<string, CosellCandidate>>();

  constructor(
    readonly byId: ReadonlyMap<string, DirectoryPartner>,
    readonly byVertical: ReadonlyMap<string, readonly DirectoryPartner[]>,
  ) {}

  /** The vertical's active partners by fit for accounts in `region` (src/cosell/fit-list.ts), built on first use. */
  fitList(industry: string, region: SalesRegion | undefined, tiers: readonly string[]) {
    const key = `${industry}\u0000${region ?? ''}\u0000${tiers.join('\u0000')}`;
    let list = this.prepared.get(key);
    if (!list) {
      list = fitList(
        industry,
        region,
        (this.byVertical.get(industry) ?? []).map((p) => asCandidate(p, 'none')),
        tiers,
      );
      if (this.prepared.size >= PREPARED_KEPT) this.prepared.clear();
      this.prepared.set(key, list);
    }
    return list;
  }

  /** The partner as the ranking sees it in `currency`, before the account's own facts: built once. */
  candidate(partnerId: string, currency: string): CosellCandidate | undefined {
    let inCurrency = this.candidates.get(currency);
    if (!inCurrency) {
      if (this.candidates.size >= PREPARED_KEPT) this.candidates.clear();
      inCurrency = new Map();
      this.candidates.set(currency, inCurrency);
    }
    let candidate = inCurrency.get(partnerId);
    if (!candidate) {
      const partner = this.byId.get(partnerId);
      if (!partner) return undefined;
      candidate = asCandidate(partner, currency);
      inCurrency.set(partnerId, candidate);
    }
    return candidate;
  }

  /** The vertical's active partners with a track record, by won revenue in `currency`, best first. */
  revenueList(industry: string, currency: string): readonly DirectoryPartner[] {
    const key = `${industry}\u0000${currency}`;
    let list = this.byRevenue.get(key);
    if (!list) {
      const revenue = (p: DirectoryPartner) => p.wonRevenue[currency] ?? 0n;
      list = (this.byVertical.get(industry) ?? [])
        .filter((p) => p.active && p.record)
        .sort((a, b) => (revenue(b) > revenue(a) ? 1 : revenue(b) < revenue(a) ? -1 : 0));
      if (this.byRevenue.size >= PREPARED_KEPT) this.byRevenue.clear();
      this.byRevenue.set(key, list);
    }
    return list;
  }
}

/** Prepared lists kept per directory (verticals × regions × programs' tiers in use). */
const PREPARED_KEPT = 1000;

/** A directory partner as the ranking sees it, for `currency`, before the account's own facts. */
export function asCandidate(partner: DirectoryPartner, currency: string): CosellCandidate {
  return {
    partnerId: partner.id,
    name: partner.name,
    tier: partner.tier,
    active: partner.active,
    regions: partner.regions,
    verticals: partner.verticals,
    certifications: partner.certifications,
    overlap: null,
    record: partner.record && {
      ...partner.record,
      wonRevenueMinor: partner.wonRevenue[currency] ?? 0n,
    },
    attached: false,
    declined: false,
    competingRegistration: false,
  };
}

interface Row {
  id: string;
  name: string;
  type: string | null;
  tier: string;
  status: string;
  regions: string[];
  verticals: string[];
  certifications: string[];
  won_12m: number | null;
  lost_12m: number | null;
  by_vertical: Record<string, { won: number; lost: number }> | null;
  sourced_won_12m: Record<string, string> | null;
  influenced_won_12m: Record<string, string> | null;
}

/**
 * A tenant's partners with their performance, held in memory per version of them (card_versions,
 * migration 0017, moved by every write to partners or their performance in any process): every
 * card of a large tenant ranks the partners working in the account's industry, and reading them
 * per request would cost more than the rest of the card. The card reads the version with its
 * deal; lists, declines and the partners on the deal are read fresh on each card.
 */
export class PartnerDirectory {
  private readonly entries = new Map<
    string,
    {
      version: string;
      directory: Promise<Directory>;
      next?: { version: string; seenAt: number; directory: Promise<Directory> };
    }
  >();

  constructor(
    private readonly db: Queryable,
    /** How long a card may still be answered from the previous version while the new one loads. */
    private readonly staleMs = 2000,
    private readonly clock: () => number = Date.now,
    private readonly maxTenants = 500,
  ) {}

  /**
   * The tenant's directory at `version`. While a newer version loads (one load at a time), the
   * previous one still answers for up to `staleMs`, so a burst of partner writes does not make
   * every card wait for a reload; after that, cards wait for it.
   */
  get(tenantId: string, version: string): Promise<Directory> {
    const entry = this.entries.get(tenantId);
    if (!entry) return this.start(tenantId, version);
    if (entry.version === version) return entry.directory;
    const now = this.clock();
    if (!entry.next || entry.next.version !== version) {
      const directory = this.load(tenantId);
      const next = { version, seenAt: entry.next?.seenAt ?? now, directory };
      entry.next = next;
      directory.then(
        () => {
          const current = this.entries.get(tenantId);
          if (current?.next !== next) return;
          this.entries.set(tenantId, { version, directory });
        },
        () => {
          if (entry.next === next) entry.next = undefined;
        },
      );
    }
    return now - entry.next.seenAt < this.staleMs ? entry.directory : entry.next.directory;
  }

  private start(tenantId: string, version: string): Promise<Directory> {
    const directory = this.load(tenantId);
    this.entries.set(tenantId, { version, directory });
    // A failed first read is not kept; the next card asks again.
    directory.catch(() => {
      if (this.entries.get(tenantId)?.directory === directory) this.entries.delete(tenantId);
    });
    while (this.entries.size > this.maxTenants)
      this.entries.delete(this.entries.keys().next().value!);
    return directory;
  }

  private async load(tenantId: string): Promise<Directory> {
    const rows = await this.db.query<Row>(
      `select p.id, p.name, p.type, p.tier, p.status, p.regions, p.verticals, p.certifications,
              pp.won_12m, pp.lost_12m, pp.by_vertical, pp.sourced_won_12m, pp.influenced_won_12m
         from partners p
         left join partner_performance pp on pp.tenant_id = p.tenant_id and pp.partner_id = p.id
        where p.tenant_id = $1`,
      [tenantId],
    );
    const byId = new Map<string, DirectoryPartner>();
    const byVertical = new Map<string, DirectoryPartner[]>();
    for (const row of rows) {
      const wonRevenue: Record<string, bigint> = {};
      for (const amounts of [row.sourced_won_12m ?? {}, row.influenced_won_12m ?? {}])
        for (const [currency, minor] of Object.entries(amounts))
          wonRevenue[currency] = (wonRevenue[currency] ?? 0n) + BigInt(minor);
      const partner: DirectoryPartner = {
        id: row.id,
        name: row.name,
        type: row.type,
        tier: row.tier,
        active: row.status === 'active',
        regions: row.regions,
        verticals: row.verticals,
        certifications: row.certifications,
        record:
          row.won_12m === null
            ? null
            : { won: row.won_12m, lost: row.lost_12m ?? 0, byVertical: row.by_vertical ?? {} },
        wonRevenue,
      };
      byId.set(partner.id, partner);
      for (const vertical of partner.verticals) {
        const list = byVertical.get(vertical);
        if (list) list.push(partner);
        else byVertical.set(vertical, [partner]);
      }
    }
    return new Directory(byId, byVertical);
  }
}
