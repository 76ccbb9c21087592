import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/models/Filter';

import { generateEcosystem } from '../../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';

const APP = { clientId: 'sandbox-test', clientSecret: 'sandbox-secret' };
const NOW = new Date('2026-11-01T00:00:00Z');

describe('the local HubSpot sandbox, through @hubspot/api-client', () => {
  let sandbox: RunningSandbox;
  let client: Client;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      app: APP,
      ecosystems: [
        generateEcosystem({
          seed: 1,
          now: NOW,
          size: { partners: 5, companies: 20, deals: 30 },
          portalId: '77',
        }),
      ],
    });
    const tokens = await new Client({ basePath: sandbox.url }).oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      APP.clientId,
      APP.clientSecret,
      sandbox.store.grantRefreshToken('77'),
    );
    client = new Client({ basePath: sandbox.url, accessToken: tokens.accessToken });
  });
  afterAll(() => sandbox.close());

  it('pages through objects with after, returning only the asked properties', async () => {
    const first = await client.crm.companies.basicApi.getPage(10, undefined, ['name', 'domain']);
    expect(first.results).toHaveLength(10);
    expect(Object.keys(first.results[0]!.properties).sort()).toEqual([
      'createdate',
      'domain',
      'hs_lastmodifieddate',
      'hs_object_id',
      'name',
    ]);
    expect(first.results[0]!.createdAt).toBeInstanceOf(Date);
    const second = await client.crm.companies.basicApi.getPage(10, first.paging!.next!.after, [
      'name',
    ]);
    const third = await client.crm.companies.basicApi.getPage(10, second.paging!.next!.after, [
      'name',
    ]);
    expect(third.results).toHaveLength(5);
    expect(third.paging).toBeUndefined();
    const ids = [...first.results, ...second.results, ...third.results].map((r) => r.id);
    expect(new Set(ids).size).toBe(25);
  });

  it('batch-reads deals by id', async () => {
    const page = await client.crm.deals.basicApi.getPage(2, undefined, ['dealname']);
    const read = await client.crm.deals.batchApi.read({
      inputs: page.results.map((r) => ({ id: r.id })),
      properties: ['amount'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((r) => r.id).sort()).toEqual(page.results.map((r) => r.id).sort());
    expect(read.results[0]!.properties.amount).toMatch(/^\d+\.\d\d$/);
  });

  it('reads deal → company associations with their labels (v4 batch)', async () => {
    const page = await client.crm.deals.basicApi.getPage(5);
    const associations = await client.crm.associations.v4.batchApi.getPage('deals', 'companies', {
      inputs: page.results.map((r) => ({ id: r.id })),
    });
    expect(associations.results).toHaveLength(5);
    const types = associations.results.flatMap((r) => r.to.flatMap((t) => t.associationTypes));
    expect(types).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }),
      ]),
    );
  });

  it('refuses calls without a token it issued, in HubSpot error shape', async () => {
    const stranger = new Client({ basePath: sandbox.url, accessToken: 'made-up' });
    await expect(stranger.crm.deals.basicApi.getPage(1)).rejects.toMatchObject({
      code: 401,
      body: expect.objectContaining({ status: 'error', category: 'INVALID_AUTHENTICATION' }),
    });
  });

  it('refuses a refresh with wrong app credentials', async () => {
    const oauth = new Client({ basePath: sandbox.url }).oauth.tokensApi;
    await expect(
      oauth.create(
        'refresh_token',
        undefined,
        undefined,
        APP.clientId,
        'wrong',
        sandbox.store.grantRefreshToken('77'),
      ),
    ).rejects.toMatchObject({ code: 400 });
  });

  it("enforces the ten-secondly limit with HubSpot's 429 body and headers", async () => {
    const limited = await startSandbox({
      port: 0,
      app: APP,
      ecosystems: [
        generateEcosystem({
          seed: 1,
          now: NOW,
          size: { partners: 1, companies: 1, deals: 1 },
          portalId: '78',
        }),
      ],
    });
    try {
      const { accessToken } = limited.store.exchangeRefreshToken(
        limited.store.grantRefreshToken('78'),
      )!;
      const call = () =>
        fetch(`${limited.url}/crm/v3/objects/deals`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 111; i++) statuses.push((await call()).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(110);
      const response = await call();
      expect(response.status).toBe(429);
      expect(response.headers.get('x-hubspot-ratelimit-max')).toBe('110');
      expect(await response.json()).toMatchObject({
        policyName: 'TEN_SECONDLY_ROLLING',
        errorType: 'RATE_LIMIT',
      });
    } finally {
      await limited.close();
    }
  });

  it('searches tasks by a whole token of their subject, in the published answer shape', async () => {
    const create = (subject: string) =>
      client.crm.objects.tasks.basicApi.create({
        properties: { hs_task_subject: subject, hs_timestamp: NOW.toISOString() },
        associations: [],
      });
    const ours = await create('Decide the registration [PL0123abcd4567ef89]');
    await create('Decide another one [PL0123abcd4567ef89x]');
    await create('Something else');
    const search = (value: string) =>
      client.crm.objects.tasks.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'hs_task_subject',
                operator: FilterOperatorEnum.ContainsToken,
                value,
              },
            ],
          },
        ],
        properties: ['hs_task_subject'],
        limit: 10,
      });
    const found = await search('pl0123abcd4567ef89');
    expect(found.total).toBe(1);
    expect(found.results.map((r) => r.id)).toEqual([ours.id]);
    expect(Object.keys(found.results[0]!.properties).sort()).toEqual([
      'hs_createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
      'hs_task_subject',
    ]);
    expect((await search('PL0123abcd4567ef89*')).total).toBe(2);
    await expect(
      client.apiRequest({
        method: 'POST',
        path: '/crm/v3/objects/tasks/search',
        body: {
          filterGroups: [{ filters: [{ propertyName: 'x', operator: 'LIKE', value: 'y' }] }],
        },
      }),
    ).resolves.toMatchObject({ status: 400 });
  });

  it('generates the same ecosystem from the same seed, and another from another seed', () => {
    const a = generateEcosystem({ seed: 3, now: NOW });
    const b = generateEcosystem({ seed: 3, now: NOW });
    const c = generateEcosystem({ seed: 4, now: NOW });
    expect(a).toEqual(b);
    expect(a.partners.map((p) => p.name)).not.toEqual(c.partners.map((p) => p.name));
    expect(a.partners).toHaveLength(50);
    expect(new Set(a.partners.map((p) => p.type)).size).toBe(7);
    expect(new Set(a.partners.map((p) => p.tier)).size).toBe(4);
    expect(new Set(a.deals.map((d) => d.properties.dealstage)).size).toBe(7);
  });
});
