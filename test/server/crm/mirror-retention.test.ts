import { randomBytes, randomUUID } from 'node:crypto';

import { recomputeStaleDeals } from '../../../server/commissions/recompute-deals';
import { disconnectCrm } from '../../../server/crm/connections';
import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { CrmRegistry } from '../../../server/crm/port';
import { MIRROR_RETENTION_DAYS, purgeExpiredMirrors } from '../../../server/crm/retention';
import { recordAudit } from '../../../server/db/audit';
import { createTenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { CrmChangesQueue } from '../../../server/queue/queues';
import { startCrmChangesWorker } from '../../../server/queue/workers/crm-changes-worker';
import { seedDealWithPartner } from '../../support/fixtures';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

const DAY = 24 * 60 * 60 * 1000;

/** What a tenant has, by table: its CRM mirror and its own records. */
async function holdings(database: TestDatabase, tenantId: string) {
  const count = async (table: string) =>
    Number(
      (
        await database.db.query<{ n: string }>(
          `select count(*) as n from ${table} where tenant_id = $1`,
          [tenantId],
        )
      )[0]!.n,
    );
  const tables = [
    'accounts',
    'deals',
    'deal_partners',
    'deal_companies',
    'crm_change_events',
    'ledger_entries',
    'registrations',
    'partners',
  ] as const;
  return Object.fromEntries(
    await Promise.all(tables.map(async (t) => [t, await count(t)] as const)),
  ) as Record<(typeof tables)[number], number>;
}

/** A tenant whose HubSpot was mirrored, with a registration and a commission, then uninstalled. */
async function uninstalledTenant(database: TestDatabase, box: CryptoBox) {
  const db = database.db;
  const tenantId = (await createTenant(db, { name: `Gone ${randomUUID().slice(0, 6)}` })).id;
  await storeHubSpotRefreshToken(db, box, tenantId, 'refresh', '12345');
  const { partner, account, deal } = await seedDealWithPartner(db, tenantId, {
    deal: { stage: 'won', closedAt: new Date('2026-10-02T00:00:00Z') },
  });
  const [dealRow] = await db.query<{ id: string }>(
    'select id from deals where tenant_id = $1 and crm_id = $2',
    [tenantId, deal.crmId],
  );
  await db.query(
    `insert into deal_companies (tenant_id, deal_crm_id, company_crm_id, label, crm) values ($1, $2, $3, 'Primary', 'hubspot')`,
    [tenantId, deal.crmId, account.crmId],
  );
  await db.query(
    `insert into crm_change_events (tenant_id, crm, event_key, object_type, object_id, occurred_at)
     values ($1, 'hubspot', 'e1', 'deal', $2, now())`,
    [tenantId, deal.crmId],
  );
  await db.query(
    `insert into registrations (tenant_id, id, partner_id, company_name, submitted_at, status, verdict, matched_account_crm_id)
     values ($1, $2, $3, 'Acme Corp', now(), 'approved', 'approved', $4)`,
    [tenantId, randomUUID(), partner.id, account.crmId],
  );
  await db.query(
    `insert into ledger_entries (tenant_id, deal_id, partner_id, role, deal_version, kind, amount_minor, currency)
     values ($1, $2, $3, 'sourced', 'v1', 'accrual', 125000, 'USD')`,
    [tenantId, dealRow!.id, partner.id],
  );
  await recordAudit(db, {
    tenantId,
    actor: 'test',
    action: 'registration.decided',
    subjectType: 'registration',
    subjectId: 'r1',
  });
  await disconnectCrm(db, tenantId, 'hubspot', 'uninstalled');
  return tenantId;
}

describe(`the CRM mirror of an uninstalled connection, after ${MIRROR_RETENTION_DAYS} days`, () => {
  let database: TestDatabase;
  const box = new CryptoBox(randomBytes(32));

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('is kept through the retention, then purged once: the ledger, registrations and audit stay', async () => {
    const tenantId = await uninstalledTenant(database, box);
    const before = await holdings(database, tenantId);
    expect(before).toMatchObject({ accounts: 1, deals: 1, deal_partners: 1, ledger_entries: 1 });

    expect(await purgeExpiredMirrors(database.db, Date.now() + 89 * DAY)).toEqual([]);
    expect(await holdings(database, tenantId)).toEqual(before);

    const purged = await purgeExpiredMirrors(database.db, Date.now() + 91 * DAY);
    expect(purged).toEqual([{ tenantId, crm: 'hubspot', accounts: 1, deals: 1 }]);
    expect(await holdings(database, tenantId)).toEqual({
      accounts: 0,
      deals: 0,
      deal_partners: 0,
      deal_companies: 0,
      crm_change_events: 0,
      ledger_entries: 1,
      registrations: 1,
      partners: 1,
    });
    const audit = await database.db.query<{ action: string; details: Record<string, unknown> }>(
      'select action, details from audit_events where tenant_id = $1 order by at',
      [tenantId],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['registration.decided', 'crm.mirror_purged']),
    );
    expect(audit.find((a) => a.action === 'crm.mirror_purged')!.details).toMatchObject({
      crm: 'hubspot',
      accounts: 1,
      deals: 1,
    });
    // The commission already earned is not reversed because its deal left the mirror.
    await recomputeStaleDeals(database.db, tenantId);
    expect((await holdings(database, tenantId)).ledger_entries).toBe(1);
    // Once: the next sweep finds nothing to do.
    expect(await purgeExpiredMirrors(database.db, Date.now() + 92 * DAY)).toEqual([]);
  });

  it('is kept when the tenant installed again within the retention', async () => {
    const tenantId = await uninstalledTenant(database, box);
    await storeHubSpotRefreshToken(database.db, box, tenantId, 'refresh-again', '12345');
    expect(await purgeExpiredMirrors(database.db, Date.now() + 200 * DAY)).toEqual([]);
    expect(await holdings(database, tenantId)).toMatchObject({ accounts: 1, deals: 1 });
  });

  it('is purged by the CRM housekeeping sweep, on its clock', async () => {
    const tenantId = await uninstalledTenant(database, box);
    const settings = testQueueSettings();
    const queue = new CrmChangesQueue(settings);
    const worker = await startCrmChangesWorker(settings, {
      db: database.db,
      crms: new CrmRegistry([]),
      logger: silentLogger,
      queue,
      now: () => Date.now() + 91 * DAY,
    });
    try {
      const deadline = Date.now() + 20_000;
      while ((await holdings(database, tenantId)).deals > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await holdings(database, tenantId)).toMatchObject({
        accounts: 0,
        deals: 0,
        ledger_entries: 1,
        registrations: 1,
      });
    } finally {
      await worker.close();
      await queue.close();
    }
  }, 30_000);
});
