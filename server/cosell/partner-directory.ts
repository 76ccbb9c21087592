import type { PartnerRecord } from '../../src/cosell/rank';
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

export interface Directory {
  byId: Map<string, DirectoryPartner>;
  byVertical: Map<string, DirectoryPartner[]>;
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
 * A tenant's partners with their performance, held in memory for a few seconds: every card of a
 * large tenant ranks hundreds of partners working in the account's industry, and reading them
 * per request would cost more than the rest of the card. Tier or performance changes show within
 * `ttlMs` plus one reload; lists, declines and the partners on the deal are always read fresh.
 */
export class PartnerDirectory {
  private readonly entries = new Map<
    string,
    { loadedAt: number; directory: Promise<Directory>; refreshing?: Promise<void> }
  >();

  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = 5000,
    private readonly clock: () => number = Date.now,
    private readonly maxTenants = 500,
  ) {}

  /**
   * The tenant's directory. A stale one is still answered while a fresh one loads in the
   * background (one load per tenant at a time), so no card waits for the reload.
   */
  get(tenantId: string): Promise<Directory> {
    const now = this.clock();
    const entry = this.entries.get(tenantId);
    // Long unused (a tenant idle for a while): wait for a fresh one rather than answer an old one.
    if (!entry || now - entry.loadedAt >= 2 * this.ttlMs) return this.start(tenantId, now);
    if (now - entry.loadedAt >= this.ttlMs && !entry.refreshing) {
      const next = this.load(tenantId);
      entry.refreshing = next.then(
        (directory) => {
          this.entries.set(tenantId, {
            loadedAt: this.clock(),
            directory: Promise.resolve(directory),
          });
        },
        () => {
          entry.refreshing = undefined;
        },
      );
    }
    return entry.directory;
  }

  private start(tenantId: string, now: number): Promise<Directory> {
    const directory = this.load(tenantId);
    this.entries.set(tenantId, { loadedAt: now, directory });
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
    return { byId, byVertical };
  }
}
