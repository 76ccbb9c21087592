import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { importAccountList } from '../../../server/cosell/account-lists';
import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { syncTenant } from '../../../server/crm/sync';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { upsertProgramPartners } from '../../../server/partners/program-partners';
import { reconcileTenant } from '../../../server/partners/reconcile-tenant';
import {
  type Ecosystem,
  generateEcosystem,
  programPartnersOf,
} from '../../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import { startTestApi, type TestApi } from '../../support/api';
import { hubspotCrms } from '../../support/crms';
import {
  createTestDatabase,
  DATABASE_KINDS,
  silentLogger,
  type TestDatabase,
} from '../../support/services';

const APP = { clientId: 'fresh-app', clientSecret: 'fresh-secret' };
const PORTAL = '920';
/** DESIGN.md §8: a change shows on the card within 5 s. */
const FRESHNESS_MS = 5000;

interface Card {
  suggestions: Array<{ partnerId: string; parts: Record<string, number>; reasons: string[] }>;
}

describe.each(DATABASE_KINDS)('the deal card after a change (%s)', (kind) => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let ecosystem: Ecosystem;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  let deal: { crm_id: string; name: string; domain: string | null };

  const get = (etag?: string) =>
    fetch(`${api.url}/api/v1/deals/${deal.crm_id}/card`, {
      headers: { authorization: `Bearer ${key}`, ...(etag ? { 'if-none-match': etag } : {}) },
    });
  const card = async () => (await (await get()).json()) as Card;
  const suggested = async () => (await card()).suggestions.map((s) => s.partnerId);
  /** The card as soon as `done` holds of it, within the freshness target; the last card otherwise. */
  const within = async (done: (card: Card) => boolean) => {
    const started = Date.now();
    let last = await card();
    while (!done(last) && Date.now() - started < FRESHNESS_MS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      last = await card();
    }
    return last;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    ecosystem = generateEcosystem({
      seed: 23,
      now: new Date('2026-11-01T00:00:00Z'),
      size: { partners: 16, companies: 40, deals: 80 },
      portalId: PORTAL,
    });
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [ecosystem] });
    tenant = await createTenant(database.db, { name: 'Fresh Co', hubspotPortalId: PORTAL });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken(PORTAL),
    );
    await upsertProgramPartners(database.db, tenant.id, programPartnersOf(ecosystem));
    await syncTenant(
      {
        db: database.db,
        crms: hubspotCrms(database.db, box, { ...APP, apiBase: sandbox.url }),
        logger: silentLogger,
      },
      tenant.id,
      { crm: 'hubspot', full: true },
    );
    await reconcileTenant(database.db, tenant.id);
    api = await startTestApi(database.db);
    key = (await issueApiKey(database.db, tenant.id, 'ae')).key;
    // An open deal with suggestions, no registration and no partner on it.
    const deals = await database.db.query<typeof deal>(
      `select d.crm_id, a.name, a.domain from deals d join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
        where d.tenant_id = $1 and d.stage = 'open'
          and not exists (select 1 from registrations r where r.tenant_id = d.tenant_id and r.matched_account_crm_id = d.account_crm_id)
          and not exists (select 1 from deal_partners dp where dp.tenant_id = d.tenant_id and dp.deal_id = d.id)
        order by d.crm_id`,
      [tenant.id],
    );
    for (const candidate of deals) {
      deal = candidate;
      if ((await suggested()).length >= 2) break;
    }
    expect((await suggested()).length).toBeGreaterThanOrEqual(2);
  });
  afterAll(async () => {
    await api?.close();
    await sandbox?.close();
    await database?.drop();
  });

  it('answers 304 to a reload of an unchanged card, and 200 with a new tag once it changed', async () => {
    const first = await get();
    const etag = first.headers.get('etag')!;
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await get(etag);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // Among others, or weak, it is still this card; another tag (an older card) gets all of it.
    expect((await get(`"older", W/${etag}`)).status).toBe(304);
    expect((await get('*')).status).toBe(304);
    expect((await get('"not-this-card"')).status).toBe(200);

    const [partner] = await suggested();
    await api.call('POST', `/api/v1/deals/${deal.crm_id}/suggestions/${partner}/decline`, key, {
      reason: 'not this time',
    });
    const changed = await get(etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as Card).suggestions.map((s) => s.partnerId)).not.toContain(
      partner,
    );
    expect((await get(changed.headers.get('etag')!)).status).toBe(304);
  });

  it('drops a partner declined for the account from the next card', async () => {
    const [partner] = await suggested();
    const declined = await api.call(
      'POST',
      `/api/v1/deals/${deal.crm_id}/suggestions/${partner}/decline`,
      key,
      {},
    );
    expect(declined.status).toBeLessThan(300);
    expect(await suggested()).not.toContain(partner);
  });

  it('puts a partner whose new account list has the account first', async () => {
    const before = await suggested();
    const newcomer = (
      await database.db.query<{ id: string }>(
        `select id from partners where tenant_id = $1 and status = 'active' and not (id = any($2::uuid[]))
           and not exists (select 1 from cosell_declines c where c.tenant_id = partners.tenant_id and c.partner_id = partners.id)
         order by id limit 1`,
        [tenant.id, before],
      )
    )[0]!.id;
    await importAccountList(
      database.db,
      tenant.id,
      newcomer,
      Readable.from([`name,domain,population\n"${deal.name}",${deal.domain ?? ''},customer\n`]),
      'test',
    );
    const [top] = await suggested();
    expect(top).toBe(newcomer);
  });

  it("shows a partner's change in the program (made inactive) within the freshness target", async () => {
    const [top] = await suggested();
    const [link] = await database.db.query<{ external_id: string }>(
      `select external_id from partner_links where tenant_id = $1 and partner_id = $2 and source = 'program'`,
      [tenant.id, top],
    );
    const record = programPartnersOf(ecosystem).find((p) => p.externalId === link!.external_id)!;
    await upsertProgramPartners(database.db, tenant.id, [{ ...record, status: 'inactive' }]);
    await reconcileTenant(database.db, tenant.id);
    const [{ status }] = (await database.db.query<{ status: string }>(
      'select status from partners where tenant_id = $1 and id = $2',
      [tenant.id, top],
    )) as [{ status: string }];
    expect(status).toBe('inactive');
    const after = await within((c) => !c.suggestions.some((s) => s.partnerId === top));
    expect(after.suggestions.map((s) => s.partnerId)).not.toContain(top);
  });

  it("shows a change of the program's tiers within the freshness target", async () => {
    const current = await api.call<{ version: number; program: { tiers: string[] } }>(
      'GET',
      '/api/v1/program',
      key,
    );
    const tierPart = (c: Card) => c.suggestions.map((s) => s.parts.tier);
    const before = tierPart(await card());
    const reversed = [...current.body.program.tiers].reverse();
    const saved = await api.call('PUT', '/api/v1/program', key, {
      version: current.body.version,
      program: { ...current.body.program, tiers: reversed },
      confirm: true,
    });
    expect(saved.status).toBe(200);
    const after = await within((c) => JSON.stringify(tierPart(c)) !== JSON.stringify(before));
    expect(tierPart(after)).not.toEqual(before);
  });
});
