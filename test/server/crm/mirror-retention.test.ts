import { randomBytes, randomUUID } from 'node:crypto';

import { recomputeStaleDeals } from '../../../server/commissions/recompute-deals';
import { disconnectCrm } from '../../../server/crm/connections';
import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { CrmRegistry } from '../../../server/crm/port';
import { MIRROR_RETENTION_DAYS, purgeExpiredMirrors } from '../../../server/crm/retention';
import { recordAudit } from '../../../server/db/audit';
import { replaceCrmDealPartners, upsertDeals } from '../../../server/db/mirror';
import { createTenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { CrmChangesQueue } from '../../../server/queue/queues';
import { startCrmChangesWorker } from '../../../server/queue/workers/crm-changes-worker';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import {
  createDealRecord,
  createPartnerInput,
  seedDealWithPartner,
  upsertPartners,
} from '../../support/fixtures';
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

/** A program paying gold resellers 10 % of the deals they source. */
function goldResellers() {
  const program = parseProgram({
    rates: [{ partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 1000 }],
  });
  if (!program.ok) throw new Error(program.error.message);
  return program.value;
}

/** A tenant whose HubSpot was mirrored, with a registration and a commission, then uninstalled. */
async function uninstalledTenant(database: TestDatabase, box: CryptoBox) {
  const db = database.db;
  const tenantId = (await createTenant(db, { name: `Gone ${randomUUID().slice(0, 6)}` })).id;
  await storeHubSpotRefreshToken(db, box, tenantId, 'refresh', '12345');
  const { partner, account, deal } = await seedDealWithPartner(db, tenantId, {
    deal: { stage: 'won', closedAt: new Date('2026-10-02T00:00:00Z') },
  });
  // A deal that earned nothing: only the mirror has it.
  await upsertDeals(db, tenantId, 'hubspot', [
    createDealRecord({ crmId: `open-${randomUUID().slice(0, 8)}`, stage: 'open' }),
  ]);
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
  // The won deal's commission, as the commissions worker accrues it.
  await saveProgram(db, tenantId, goldResellers(), 'test');
  await recomputeStaleDeals(db, tenantId);
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
    expect(before).toMatchObject({ accounts: 1, deals: 2, deal_partners: 1, ledger_entries: 1 });

    expect(await purgeExpiredMirrors(database.db, Date.now() + 89 * DAY)).toEqual([]);
    expect(await holdings(database, tenantId)).toEqual(before);

    const purged = await purgeExpiredMirrors(database.db, Date.now() + 91 * DAY);
    expect(purged).toEqual([{ tenantId, crm: 'hubspot', accounts: 1, deals: 1 }]);
    // The won deal stays with its partner: the ledger names it.
    expect(await holdings(database, tenantId)).toEqual({
      accounts: 0,
      deals: 1,
      deal_partners: 1,
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

  it('keeps the deals the ledger names, so a re-install after the purge accrues them no second time', async () => {
    const db = database.db;
    const tenantId = (await createTenant(db, { name: `Back ${randomUUID().slice(0, 6)}` })).id;
    await storeHubSpotRefreshToken(db, box, tenantId, 'refresh', '12345');
    const reseller = createPartnerInput({ type: 'reseller', tier: 'gold' });
    await upsertPartners(db, tenantId, [reseller]);
    await saveProgram(db, tenantId, goldResellers(), 'test');
    const won = createDealRecord({
      crmId: `won-${randomUUID().slice(0, 8)}`,
      stage: 'won',
      amount: '10000.00',
      closedAt: new Date('2026-10-02T00:00:00Z'),
    });
    const open = createDealRecord({ crmId: `open-${randomUUID().slice(0, 8)}`, stage: 'open' });
    // What a sync of the portal writes: the deals, the partner on the won one.
    const mirror = async () => {
      const ids = await upsertDeals(db, tenantId, 'hubspot', [won, open]);
      await replaceCrmDealPartners(
        db,
        tenantId,
        [ids.get(won.crmId)!],
        [
          {
            dealId: ids.get(won.crmId)!,
            partnerId: reseller.id,
            role: 'sourced',
            sharePct: '100.00',
          },
        ],
      );
    };
    const statementDeals = () =>
      db.query<{ deal_crm_id: string | null; kind: string }>(
        `select d.crm_id as deal_crm_id, l.kind from ledger_entries l
           left join deals d on d.tenant_id = l.tenant_id and d.id = l.deal_id
          where l.tenant_id = $1 order by l.seq`,
        [tenantId],
      );
    await mirror();
    await recomputeStaleDeals(db, tenantId);
    expect(await statementDeals()).toEqual([{ deal_crm_id: won.crmId, kind: 'accrual' }]);

    await disconnectCrm(db, tenantId, 'hubspot', 'uninstalled');
    const [purged] = await purgeExpiredMirrors(db, Date.now() + 91 * DAY);
    // The open deal goes with the mirror; the won one is part of the ledger's record.
    expect(purged).toMatchObject({ tenantId, deals: 1 });
    expect(await statementDeals()).toEqual([{ deal_crm_id: won.crmId, kind: 'accrual' }]);

    // Installed again: the first sync brings the same deals back, and the commission is the one.
    await storeHubSpotRefreshToken(db, box, tenantId, 'refresh-again', '12345');
    await mirror();
    await recomputeStaleDeals(db, tenantId);
    expect(await statementDeals()).toEqual([{ deal_crm_id: won.crmId, kind: 'accrual' }]);
  });

  it('is kept when the tenant installed again within the retention', async () => {
    const tenantId = await uninstalledTenant(database, box);
    await storeHubSpotRefreshToken(database.db, box, tenantId, 'refresh-again', '12345');
    expect(await purgeExpiredMirrors(database.db, Date.now() + 200 * DAY)).toEqual([]);
    expect(await holdings(database, tenantId)).toMatchObject({ accounts: 1, deals: 2 });
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
      while ((await holdings(database, tenantId)).accounts > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await holdings(database, tenantId)).toMatchObject({
        accounts: 0,
        deals: 1,
        ledger_entries: 1,
        registrations: 1,
      });
    } finally {
      await worker.close();
      await queue.close();
    }
  }, 30_000);
});
