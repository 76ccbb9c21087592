import jsforce, { type Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';

import type { ChangeEventMessage } from '../../../server/sandbox/salesforce/change-events';
import { generateSalesforceOrg } from '../../../server/sandbox/seed/salesforce-org';
import {
  type RunningSalesforceSandbox,
  startSalesforceSandbox,
} from '../../../server/sandbox/server';

const APP = { clientId: 'sf-sandbox-test', clientSecret: 'sf-sandbox-secret' };
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const NOW = new Date('2026-11-01T00:00:00Z');
const ORG = generateSalesforceOrg({
  seed: 11,
  now: NOW,
  size: { partners: 14, customers: 60, opportunities: 2_600, hubspotTwins: 4 },
});
const ORG_ID = ORG.options.orgId;

interface ErrorLike {
  errorCode?: string;
  name?: string;
  message: string;
}
const failureOf = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: ErrorLike) => error,
  );

describe('the local Salesforce sandbox, through jsforce', () => {
  let sandbox: RunningSalesforceSandbox;
  let clock = NOW.getTime();
  const now = () => clock;
  const connect = (version = '59.0'): Connection => {
    const { accessToken, refreshToken } = sandbox.store.grantTokens(ORG_ID);
    return new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken,
      refreshToken,
      version,
      oauth2: { ...APP, loginUrl: sandbox.url, redirectUri: REDIRECT },
    });
  };

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({
      port: 0,
      app: { ...APP, accessTokenSeconds: 600 },
      orgs: [ORG],
      now,
      sandbox: { streamingTimeoutSeconds: 5 },
    });
  });
  afterAll(() => sandbox.close());

  describe('OAuth', () => {
    it('runs the web-server flow: consent redirect with code and state, then conn.authorize', async () => {
      const oauth2 = new jsforce.OAuth2({ ...APP, loginUrl: sandbox.url, redirectUri: REDIRECT });
      const url = oauth2.getAuthorizationUrl({ state: 'xyz', org: ORG_ID } as { state: string });
      // The browser's part of the flow: the sandbox's consent page grants at once.
      const consent = await fetch(url, { redirect: 'manual' });
      expect(consent.status).toBe(302);
      const callback = new URL(consent.headers.get('location')!);
      expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
      expect(callback.searchParams.get('state')).toBe('xyz');
      const conn = new jsforce.Connection({ oauth2, version: '59.0' });
      const user = await conn.authorize(callback.searchParams.get('code')!);
      expect(user.organizationId).toBe(ORG_ID);
      expect(conn.instanceUrl).toBe(sandbox.url);
      expect(conn.refreshToken).toBeTruthy();
      const identity = await conn.identity();
      expect(identity).toMatchObject({
        organization_id: ORG_ID,
        user_id: user.id,
        display_name: 'Sam Admin',
      });
      // A code is good once.
      await expect(
        failureOf(conn.authorize(callback.searchParams.get('code')!)),
      ).resolves.toMatchObject({
        name: 'invalid_grant',
      });
    });

    it('checks the client secret and answers token errors in RFC 6749 shape', async () => {
      const oauth2 = new jsforce.OAuth2({
        ...APP,
        clientSecret: 'wrong',
        loginUrl: sandbox.url,
        redirectUri: REDIRECT,
      });
      const refreshToken = sandbox.store.grantRefreshToken(ORG_ID);
      await expect(failureOf(oauth2.refreshToken(refreshToken))).resolves.toMatchObject({
        name: 'invalid_client',
        message: 'invalid client credentials',
      });
    });

    it('refreshes an expired access token by itself and emits refresh', async () => {
      const conn = connect();
      const before = conn.accessToken;
      sandbox.store.expireAccessTokens(ORG_ID);
      const refreshed = new Promise<string>((resolve) => conn.once('refresh', resolve));
      const result = await conn.query('SELECT Id FROM User LIMIT 1');
      expect(result.totalSize).toBe(1);
      expect(await refreshed).not.toBe(before);
      expect(conn.accessToken).not.toBe(before);
    });

    it('refuses a revoked refresh token once its access token is gone', async () => {
      const conn = connect();
      await conn.logout(true);
      const stale = connect();
      sandbox.store.expireAccessTokens(ORG_ID);
      sandbox.store.revoke(stale.refreshToken!);
      await expect(failureOf(stale.query('SELECT Id FROM User'))).resolves.toMatchObject({
        message: expect.stringContaining('expired access/refresh token'),
      });
    });
  });

  describe('query', () => {
    it('pages past 2,000 records with nextRecordsUrl, queryMore and autoFetch', async () => {
      const conn = connect();
      const first = await conn.query('SELECT Id, Name, StageName, IsClosed FROM Opportunity');
      expect(first).toMatchObject({ totalSize: 2_600, done: false });
      expect(first.records).toHaveLength(2_000);
      expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v59\.0\/query\/01g\w+-2000$/);
      expect(first.records[0]!.attributes).toEqual({
        type: 'Opportunity',
        url: `/services/data/v59.0/sobjects/Opportunity/${first.records[0]!.Id}`,
      });
      const rest = await conn.queryMore(first.nextRecordsUrl!);
      expect(rest).toMatchObject({ done: true });
      expect(rest.records).toHaveLength(600);
      const all = await conn
        .query('SELECT Id FROM Opportunity')
        .run({ autoFetch: true, maxFetch: 5_000 });
      expect(new Set(all.records.map((r) => r.Id)).size).toBe(2_600);
    });

    it('filters, orders and limits, with parent fields nested under their relationship', async () => {
      const conn = connect();
      const result = await conn.query(
        "SELECT Name, Amount, Account.Name, Owner.Name FROM Opportunity WHERE (StageName = 'Closed Won' OR StageName = 'Negotiation/Review') AND Amount >= 100000 ORDER BY Amount DESC, Name LIMIT 5",
      );
      expect(result.records).toHaveLength(5);
      const amounts = result.records.map((r) => r.Amount as number);
      expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
      expect(result.records[0]).toMatchObject({
        Account: { attributes: { type: 'Account' }, Name: expect.any(String) },
        Owner: { attributes: { type: 'User' }, Name: expect.any(String) },
      });
      const partners = await conn.query(
        "SELECT Id, Partner_Type__c FROM Account WHERE IsPartner = true AND Partner_Tier__c IN ('Gold', 'Platinum')",
      );
      expect(partners.totalSize).toBeGreaterThan(0);
      const count = await conn.query('SELECT COUNT() FROM Account WHERE IsPartner = true');
      expect(count.totalSize).toBe(14);
    });

    it('finds what changed since a SystemModstamp, and Id IN lists', async () => {
      const conn = connect();
      const [a, b] = (await conn.query('SELECT Id FROM Opportunity ORDER BY Id LIMIT 2')).records;
      clock += 60_000;
      const cursor = new Date(clock).toISOString();
      clock += 1_000;
      await conn.sobject('Opportunity').update({ Id: a!.Id!, StageName: 'Closed Won' });
      const changed = await conn.query(
        `SELECT Id, StageName, IsClosed, IsWon, Probability FROM Opportunity WHERE SystemModstamp > ${cursor}`,
      );
      expect(changed.records).toEqual([
        expect.objectContaining({ Id: a!.Id, IsClosed: true, IsWon: true, Probability: 100 }),
      ]);
      const byIds = await conn.query(
        `SELECT Id FROM Opportunity WHERE Id IN ('${a!.Id}', '${b!.Id!.slice(0, 15)}')`,
      );
      expect(byIds.records.map((r) => r.Id).sort()).toEqual([a!.Id, b!.Id].sort());
    });

    it('answers bad SOQL with MALFORMED_QUERY and INVALID_FIELD, and an unknown object with INVALID_TYPE', async () => {
      const conn = connect();
      await expect(failureOf(conn.query('SELECT Id FRM Account'))).resolves.toMatchObject({
        errorCode: 'MALFORMED_QUERY',
      });
      await expect(
        failureOf(
          conn.query("SELECT Id FROM Account WHERE Name = 'a' AND Id = null OR IsPartner = true"),
        ),
      ).resolves.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
      await expect(failureOf(conn.query('SELECT Nope FROM Account'))).resolves.toMatchObject({
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("No such column 'Nope' on entity 'Account'"),
      });
      await expect(
        failureOf(
          conn.query("SELECT Id FROM Account WHERE SystemModstamp > '2026-01-01T00:00:00Z'"),
        ),
      ).resolves.toMatchObject({
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining(
          'must be of type dateTime and should not be enclosed in quotes',
        ),
      });
      await expect(failureOf(conn.query('SELECT Id FROM Widget__c'))).resolves.toMatchObject({
        errorCode: 'INVALID_TYPE',
      });
      await expect(failureOf(conn.describe('Widget__c'))).resolves.toMatchObject({
        errorCode: 'NOT_FOUND',
      });
    });
  });

  describe('sObjects', () => {
    it('describes an object with its fields, picklists and references', async () => {
      const describe = await connect().describe('Opportunity');
      expect(describe).toMatchObject({ name: 'Opportunity', keyPrefix: '006', createable: true });
      const byName = new Map(describe.fields.map((f) => [f.name, f]));
      expect(byName.get('StageName')!.picklistValues!.map((p) => p.value)).toContain('Closed Won');
      expect(byName.get('AccountId')).toMatchObject({
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
      });
      expect(byName.get('IsWon')).toMatchObject({ createable: false, updateable: false });
      expect(byName.has('CurrencyIsoCode')).toBe(true);
    });

    it('creates, reads, updates and deletes; deleted records are in queryAll with IsDeleted', async () => {
      const conn = connect();
      const created = await conn
        .sobject('Account')
        .create({ Name: 'Gamma Widgets', Website: 'gamma.example' });
      expect(created).toEqual({
        id: expect.stringMatching(/^001\w{15}$/),
        success: true,
        errors: [],
      });
      const id = created.id!;
      await conn.sobject('Account').update({ Id: id, Industry: 'Retail' });
      expect(await conn.sobject('Account').retrieve(id)).toMatchObject({
        Name: 'Gamma Widgets',
        Industry: 'Retail',
        IsPartner: false,
      });
      await conn.sobject('Account').destroy(id);
      expect((await conn.query(`SELECT Id FROM Account WHERE Id = '${id}'`)).totalSize).toBe(0);
      const bin = await conn
        .query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`)
        .scanAll(true);
      expect(bin.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
      await expect(failureOf(conn.sobject('Account').retrieve(id))).resolves.toMatchObject({
        errorCode: 'ENTITY_IS_DELETED',
      });
    });

    it("has the Task picklists' value objects, and refuses an inactive user as a task's owner", async () => {
      const conn = connect();
      const statuses = await conn.query<{ ApiName: string; IsClosed: boolean; IsDefault: boolean }>(
        'SELECT ApiName, IsClosed, IsDefault FROM TaskStatus ORDER BY SortOrder',
      );
      expect(statuses.records.filter((s) => s.IsClosed).map((s) => s.ApiName)).toEqual([
        'Completed',
      ]);
      expect(statuses.records.find((s) => s.IsDefault)!.ApiName).toBe('Not Started');
      const high = await conn.query<{ ApiName: string }>(
        'SELECT ApiName FROM TaskPriority WHERE IsHighPriority = true',
      );
      expect(high.records.map((p) => p.ApiName)).toEqual(['High']);
      const user = sandbox.store.org(ORG_ID)!.table('User').get(ORG.defaultUserId)!;
      user.IsActive = false;
      try {
        await expect(
          failureOf(conn.sobject('Task').create({ Subject: 'Call', OwnerId: ORG.defaultUserId })),
        ).resolves.toMatchObject({ errorCode: 'INACTIVE_OWNER_OR_USER' });
      } finally {
        user.IsActive = true;
      }
    });

    it('refuses a create without required fields, and read-only fields', async () => {
      const conn = connect();
      await expect(
        failureOf(conn.sobject('Opportunity').create({ Name: 'No stage' })),
      ).resolves.toMatchObject({
        errorCode: 'REQUIRED_FIELD_MISSING',
      });
      const result = await conn
        .sobject('Opportunity')
        .create([{ Name: 'x', StageName: 'Prospecting', CloseDate: '2027-01-01', IsWon: true }]);
      expect(result[0]).toMatchObject({
        success: false,
        errors: [
          expect.objectContaining({
            statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
            fields: ['IsWon'],
          }),
        ],
      });
    });

    it('writes collections through composite/sobjects, per record or all or none', async () => {
      const conn = connect();
      const tasks = [
        { Subject: 'Partner sync', Status: 'Not Started' },
        { Subject: 'Bad status', Status: 'Sleeping' },
      ];
      const mixed = await conn.sobject('Task').create(tasks);
      expect(mixed.map((r) => r.success)).toEqual([true, false]);
      expect(mixed[1]).toMatchObject({
        errors: [
          expect.objectContaining({
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            fields: ['Status'],
          }),
        ],
      });
      const before = (await conn.query('SELECT COUNT() FROM Task')).totalSize;
      const rolledBack = await conn.sobject('Task').create(tasks, { allOrNone: true });
      expect(rolledBack.map((r) => r.success)).toEqual([false, false]);
      expect(rolledBack[0]).toMatchObject({
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
      });
      expect((await conn.query('SELECT COUNT() FROM Task')).totalSize).toBe(before);
      const tooMany = Array.from({ length: 201 }, (_, i) => ({ Subject: `t${i}` }));
      await expect(failureOf(conn.sobject('Task').create(tooMany))).resolves.toMatchObject({
        errorCode: 'EXCEEDED_ID_LIMIT',
      });
    });

    it('derives OpportunityPartner from a Partner, keeps one primary, and refuses to update partners', async () => {
      const conn = connect();
      const [opportunity] = (
        await conn.query('SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 1')
      ).records;
      const partners = (await conn.query('SELECT Id FROM Account WHERE IsPartner = true LIMIT 2'))
        .records;
      const first = await conn.sobject('Partner').create({
        OpportunityId: opportunity!.Id,
        AccountToId: partners[0]!.Id,
        Role: 'Reseller',
        IsPrimary: true,
      });
      await conn.sobject('Partner').create({
        OpportunityId: opportunity!.Id,
        AccountToId: partners[1]!.Id,
        Role: 'Influencer',
        IsPrimary: true,
      });
      const links = await conn.query(
        `SELECT Id, AccountToId, Role, IsPrimary, ReversePartnerId FROM OpportunityPartner WHERE OpportunityId = '${opportunity!.Id}' ORDER BY CreatedDate`,
      );
      const byAccount = new Map(links.records.map((r) => [r.AccountToId, r]));
      expect(byAccount.get(partners[0]!.Id)).toMatchObject({
        Id: first.id,
        Role: 'Reseller',
        IsPrimary: false,
      });
      expect(byAccount.get(partners[1]!.Id)).toMatchObject({
        Role: 'Influencer',
        IsPrimary: true,
        ReversePartnerId: expect.stringMatching(/^00I/),
      });
      await expect(
        failureOf(conn.sobject('Partner').update({ Id: first.id!, Role: 'Referral' })),
      ).resolves.toMatchObject({ errorCode: 'METHOD_NOT_ALLOWED' });
      await conn.sobject('Partner').destroy(first.id!);
      const after = await conn.query(
        `SELECT Id FROM OpportunityPartner WHERE OpportunityId = '${opportunity!.Id}'`,
      );
      expect(after.records.map((r) => r.Id)).not.toContain(first.id);
    });
  });

  describe('limits', () => {
    it('reports api usage in Sforce-Limit-Info, read into conn.limitInfo, and in /limits', async () => {
      const conn = connect();
      await conn.query('SELECT Id FROM User LIMIT 1');
      const used = conn.limitInfo.apiUsage!.used;
      expect(conn.limitInfo.apiUsage).toEqual({ used: expect.any(Number), limit: 15_000 });
      const limits = await conn.limits();
      expect(limits.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 15_000 - used - 1 });
    });

    it('refuses calls past the daily limit with REQUEST_LIMIT_EXCEEDED', async () => {
      const conn = connect();
      sandbox.store.apiUsage(ORG_ID).set(15_000);
      try {
        await expect(failureOf(conn.query('SELECT Id FROM User'))).resolves.toMatchObject({
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
          message: 'TotalRequests Limit exceeded.',
        });
      } finally {
        sandbox.store.apiUsage(ORG_ID).set(0);
      }
    });

    it('serves queued faults: jsforce retries a 503 by itself, not a REQUEST_LIMIT_EXCEEDED', async () => {
      const conn = connect();
      sandbox.store.failNext(ORG_ID, 2, 'SERVER_UNAVAILABLE');
      expect((await conn.query('SELECT Id FROM User LIMIT 1')).totalSize).toBe(1);
      expect(sandbox.store.faults(ORG_ID).take()).toBeUndefined();
      sandbox.store.failNext(ORG_ID, 1, 'REQUEST_LIMIT_EXCEEDED');
      await expect(failureOf(conn.query('SELECT Id FROM User'))).resolves.toMatchObject({
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
      });
    });
  });

  describe('Bulk API 2.0', () => {
    const soql =
      "SELECT Id, Name, Account.Name, IsClosed FROM Opportunity WHERE StageName != 'Closed Lost'";

    it('runs a query job: create, poll, CSV results', async () => {
      const conn = connect();
      const records = (await (
        await conn.bulk2.query(soql, { pollInterval: 10 })
      ).toArray()) as Array<Record<string, string>>;
      const expected = (
        await conn.query(`SELECT COUNT() FROM Opportunity WHERE StageName != 'Closed Lost'`)
      ).totalSize;
      expect(records).toHaveLength(expected);
      expect(records[0]).toEqual({
        Id: expect.stringMatching(/^006/),
        Name: expect.any(String),
        'Account.Name': expect.any(String),
        IsClosed: expect.stringMatching(/^(true|false)$/),
      });
    });
  });

  describe('Change Data Capture over CometD', () => {
    type Listener = (message: ChangeEventMessage) => void;
    const subscribe = (conn: Connection, channel: string, replayId: number, listener: Listener) => {
      const client = conn.streaming.createClient([
        new StreamingExtension.Replay(channel, replayId),
      ]) as unknown as {
        subscribe(channel: string, listener: Listener): PromiseLike<void>;
        disconnect(): PromiseLike<void> | undefined;
      };
      const subscription = client.subscribe(channel, listener);
      return { client, ready: subscription as unknown as Promise<void> };
    };
    const nextEvent = (events: ChangeEventMessage[], count = 1) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () =>
          events.length >= count
            ? resolve()
            : Date.now() - started > 10_000
              ? reject(new Error('no event'))
              : setTimeout(check, 20);
        check();
      });

    it('delivers opportunity changes in the CDC shape, and replays them by replay id', async () => {
      const conn = connect();
      const received: ChangeEventMessage[] = [];
      const live = subscribe(conn, '/data/OpportunityChangeEvent', -1, (m) => received.push(m));
      await live.ready;
      const [opportunity] = (
        await conn.query('SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 1')
      ).records;
      await conn.sobject('Opportunity').update({ Id: opportunity!.Id!, StageName: 'Closed Lost' });
      await nextEvent(received);
      const event = received[0]!;
      expect(event.payload.ChangeEventHeader).toMatchObject({
        entityName: 'Opportunity',
        recordIds: [opportunity!.Id],
        changeType: 'UPDATE',
        changedFields: expect.arrayContaining(['StageName', 'IsClosed', 'LastModifiedDate']),
        changeOrigin: 'com/salesforce/api/rest/59.0',
        commitTimestamp: clock,
      });
      expect(event.payload).toMatchObject({
        StageName: 'Closed Lost',
        IsClosed: true,
        Probability: 0,
      });
      // Only what changed travels: IsWon was false before and still is.
      expect(event.payload).not.toHaveProperty('IsWon');
      expect(event.event.replayId).toEqual(expect.any(Number));
      await live.client.disconnect();

      const replayed: ChangeEventMessage[] = [];
      const replay = subscribe(conn, '/data/ChangeEvents', event.event.replayId - 1, (m) =>
        replayed.push(m),
      );
      await replay.ready;
      await nextEvent(replayed);
      expect(replayed[0]!.event.replayId).toBe(event.event.replayId);
      await replay.client.disconnect();
    });

    it('refuses a replay id older than retention, as Salesforce does', async () => {
      const conn = connect();
      const org = sandbox.store.org(ORG_ID)!;
      await conn.sobject('Task').create({ Subject: 'to be forgotten' });
      const old = org.changes.latestReplayId;
      await conn.sobject('Task').create({ Subject: 'kept' });
      org.changes.expireThrough(old);
      const { client, ready } = subscribe(conn, '/data/TaskChangeEvent', old - 1, () => undefined);
      await expect(ready).rejects.toMatchObject({
        message: expect.stringContaining(`The replayId {${old - 1}} you provided was invalid`),
      });
      await client.disconnect();
    });

    it('reports a gap as GAP_ events with record ids only', async () => {
      const conn = connect();
      const received: ChangeEventMessage[] = [];
      const { client, ready } = subscribe(conn, '/data/AccountChangeEvent', -1, (m) =>
        received.push(m),
      );
      await ready;
      sandbox.store.org(ORG_ID)!.changes.reportGaps(1);
      const created = await conn.sobject('Account').create({ Name: 'Gap Co' });
      await nextEvent(received);
      expect(received[0]!.payload.ChangeEventHeader).toMatchObject({
        changeType: 'GAP_CREATE',
        recordIds: [created.id],
        changedFields: [],
      });
      expect(received[0]!.payload).not.toHaveProperty('Name');
      await client.disconnect();
    });
    it('resumes after the server forgets the client: handshake again, resubscribe from the last replay id', async () => {
      const conn = connect();
      const received: ChangeEventMessage[] = [];
      const { client, ready } = subscribe(conn, '/data/AccountChangeEvent', -1, (m) =>
        received.push(m),
      );
      await ready;
      await conn.sobject('Account').create({ Name: 'Before the drop' });
      await nextEvent(received);
      sandbox.streaming.dropClients(ORG_ID);
      await conn.sobject('Account').create({ Name: 'During the drop' });
      await nextEvent(received, 2);
      expect(received.map((m) => m.payload.Name)).toEqual(['Before the drop', 'During the drop']);
      await client.disconnect();
    });

    it('sends no event for a partner link: a subscriber finds it by OpportunityPartner SystemModstamp', async () => {
      const conn = connect();
      const received: ChangeEventMessage[] = [];
      const { client, ready } = subscribe(conn, '/data/ChangeEvents', -1, (m) => received.push(m));
      await ready;
      clock += 60_000;
      const cursor = new Date(clock - 1).toISOString();
      const [opportunity] = (
        await conn.query('SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 1')
      ).records;
      const [partner] = (await conn.query('SELECT Id FROM Account WHERE IsPartner = true LIMIT 1'))
        .records;
      const link = await conn
        .sobject('Partner')
        .create({ OpportunityId: opportunity!.Id, AccountToId: partner!.Id, Role: 'Referral' });
      const marker = await conn.sobject('Task').create({ Subject: 'after the link' });
      await nextEvent(received);
      expect(received.map((m) => m.payload.ChangeEventHeader.recordIds[0])).toEqual([marker.id]);
      const changed = await conn.query(
        `SELECT Id, OpportunityId FROM OpportunityPartner WHERE SystemModstamp > ${cursor}`,
      );
      expect(changed.records).toEqual([
        expect.objectContaining({ Id: link.id, OpportunityId: opportunity!.Id }),
      ]);
      await client.disconnect();
    });
  });

  it('generates the same org from the same seed, with every partner type and tier', () => {
    const a = generateSalesforceOrg({ seed: 3, now: NOW });
    expect(generateSalesforceOrg({ seed: 3, now: NOW })).toEqual(a);
    expect(a.records.Opportunity).toHaveLength(3_000);
    expect(new Set(a.partners.map((p) => p.type)).size).toBe(7);
    expect(new Set(a.partners.map((p) => `${p.type}/${p.tier}`)).size).toBeGreaterThanOrEqual(28);
    expect(a.partners.filter((p) => p.hubspotPartnerId)).toHaveLength(16);
    expect(new Set(a.records.Partner!.map((p) => p.Role))).toEqual(
      new Set([
        'Reseller',
        'Distributor',
        'System Integrator',
        'Influencer',
        'Referral',
        'Consultant',
      ]),
    );
  });
});
