import { Readable } from 'node:stream';

import { recomputeStaleDeals } from '../../../server/commissions/recompute-deals';
import { importAccountList } from '../../../server/cosell/account-lists';
import { issueApiKey } from '../../../server/db/api-keys';
import {
  replaceCrmDealPartners,
  setDealAccounts,
  upsertAccounts,
  upsertDeals,
} from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { startTestApi, type TestApi } from '../../support/api';
import {
  createAccountRecord,
  createDealRecord,
  createPartnerInput,
  upsertPartners,
} from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

interface Card {
  deal: { stage: string; amount: { amount: string; currency: string } | null };
  partners: Array<{ commission: Record<string, unknown> | null }>;
  suggestions: unknown[];
}

describe('the card of a deal by its stage', () => {
  let database: TestDatabase;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  const reseller = createPartnerInput({
    name: 'Northwind Cloud Partners',
    type: 'reseller',
    tier: 'gold',
  });
  const coSeller = createPartnerInput({
    name: 'Contoso Cloud',
    domain: 'contoso.example',
    tier: 'gold',
  });
  const card = async (dealId: string) =>
    (await api.call<Card>('GET', `/api/v1/deals/${dealId}/card`, key)).body;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    tenant = await createTenant(db, { name: 'Stage Co' });
    key = (await issueApiKey(db, tenant.id, 'ae')).key;
    await upsertPartners(db, tenant.id, [reseller, coSeller]);
    await upsertAccounts(db, tenant.id, 'hubspot', [createAccountRecord({ crmId: 'a1' })]);
    const closedAt = new Date('2026-02-01T00:00:00Z');
    const ids = await upsertDeals(db, tenant.id, 'hubspot', [
      createDealRecord({ crmId: '1', name: 'Open', amount: '326000.00' }),
      createDealRecord({ crmId: '2', name: 'Won', stage: 'won', amount: '200000.00', closedAt }),
      createDealRecord({ crmId: '3', name: 'Lost', stage: 'lost', amount: '20000.00', closedAt }),
    ]);
    await setDealAccounts(db, tenant.id, new Map(['1', '2', '3'].map((id) => [id, 'a1'])));
    await replaceCrmDealPartners(
      db,
      tenant.id,
      [...ids.values()],
      [...ids.values()].map((dealId) => ({
        dealId,
        partnerId: reseller.id,
        role: 'influenced',
        sharePct: '100.00',
      })),
    );
    const program = parseProgram({
      rates: [{ partnerType: '*', tier: '*', role: 'influenced', rateBps: 500, capMinor: 500000 }],
    });
    if (!program.ok) throw new Error(program.error.message);
    await saveProgram(db, tenant.id, program.value, 'test');
    await recomputeStaleDeals(db, tenant.id);
    await importAccountList(
      db,
      tenant.id,
      coSeller.id,
      Readable.from(['name,domain,population\nAcme Corp,acme.com,customer\n']),
      'test',
    );
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('previews an open deal, saying when the cap cuts the line, and suggests co-sellers', async () => {
    const open = await card('1');
    expect(open.partners[0]!.commission).toEqual({
      basis: 'preview',
      amount: { amount: '5000.00', currency: 'USD' },
      rateBps: 500,
      capped: true,
      calculation: '5 % of 326,000.00 USD is 16,300.00 USD, capped at 5,000.00 USD',
      explanation:
        'If this closes at 326,000.00 USD, Northwind Cloud Partners earns 5,000.00 USD as a gold reseller: 5 % of 326,000.00 USD is 16,300.00 USD, capped at 5,000.00 USD.',
    });
    expect(open.suggestions).not.toEqual([]);
  });

  it('shows what the ledger accrued on a won deal, with its status and its cap, and no suggestions', async () => {
    const won = await card('2');
    expect(won.partners[0]!.commission).toEqual({
      basis: 'ledger',
      amount: { amount: '5000.00', currency: 'USD' },
      status: 'accrued',
      rateBps: 500,
      capped: true,
      clawedBack: null,
      explanation:
        'Northwind Cloud Partners earned 5,000.00 USD on this won deal (5 % of 200,000.00 USD is 10,000.00 USD, capped at 5,000.00 USD): accrued, not yet approved.',
    });
    expect(won.suggestions).toEqual([]);
  });

  it('shows neither a preview nor suggestions on a lost deal', async () => {
    const lost = await card('3');
    expect(lost.deal).toMatchObject({
      stage: 'lost',
      amount: { amount: '20000.00', currency: 'USD' },
    });
    expect(lost.partners[0]!.commission).toBeNull();
    expect(lost.suggestions).toEqual([]);
  });
});
