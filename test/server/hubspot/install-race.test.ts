import { randomBytes } from 'node:crypto';

import express from 'express';

import { markConnection } from '../../../server/crm/connections';
import { HUBSPOT_SCOPES } from '../../../server/crm/hubspot/scopes';
import { hubspotInstallRoutes } from '../../../server/http/routes/oauth-hubspot';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { listen, type Listening } from '../../../server/lib/listen';
import { CrmSyncQueue } from '../../../server/queue/queues';
import { generateEcosystem } from '../../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

const APP = { clientId: 'race-test', clientSecret: 'race-secret' };
const PORTAL = '91';

/**
 * An admin's browser can send HubSpot's redirect back twice (a double click on consent, a
 * retried redirect): both callbacks arrive for the same new portal at once.
 */
describe('two install callbacks for the same new portal at once', () => {
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let server: Listening;
  let crmSync: CrmSyncQueue;
  let base: string;
  const syncsAsked: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSandbox({
      port: 0,
      app: APP,
      ecosystems: [
        generateEcosystem({
          seed: 5,
          now: new Date('2026-11-01T00:00:00Z'),
          size: { partners: 2, companies: 5, deals: 5 },
          portalId: PORTAL,
        }),
      ],
    });
    crmSync = new CrmSyncQueue(testQueueSettings());
    // The real queue, watched: how many first syncs the callbacks ask for.
    const sync = crmSync.sync.bind(crmSync);
    crmSync.sync = (tenantId, options) => {
      syncsAsked.push(tenantId);
      return sync(tenantId, options);
    };
    const app = express();
    app.use(
      hubspotInstallRoutes({
        db: database.db,
        box: new CryptoBox(randomBytes(32)),
        install: {
          app: { ...APP, apiBase: sandbox.url },
          authorizeUrl: `${sandbox.url}/oauth/authorize`,
          redirectUri: () => `${base}/oauth/hubspot/callback`,
          scopes: HUBSPOT_SCOPES,
        },
        crmSync,
        now: Date.now,
        logger: silentLogger,
      }),
    );
    server = await listen(app, 0);
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
    await crmSync?.close();
    await database?.drop();
  });

  /** The install's redirects up to HubSpot's redirect back: the callback URL, with its code. */
  const consent = async () => {
    const install = await fetch(`${base}/oauth/hubspot/install`, { redirect: 'manual' });
    const authorize = new URL(install.headers.get('location')!);
    authorize.searchParams.set('portal_id', PORTAL);
    const granted = await fetch(authorize, { redirect: 'manual' });
    return granted.headers.get('location')!;
  };

  it('makes one tenant: the later callback is a re-install, with one connection and one first sync', async () => {
    const callbacks = [await consent(), await consent()];
    const answers = await Promise.all(
      callbacks.map(async (url) => {
        const response = await fetch(url);
        return { status: response.status, text: await response.text() };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(
      answers.map((a) => (a.text.includes('installed again') ? 'again' : 'first')).sort(),
    ).toEqual(['again', 'first']);

    const tenants = await database.db.query<{ id: string }>(
      'select id from tenants where hubspot_portal_id = $1',
      [PORTAL],
    );
    expect(tenants).toHaveLength(1);
    const tenantId = tenants[0]!.id;
    const connections = await database.db.query<{ status: string; external_id: string }>(
      'select status, external_id from crm_credentials where tenant_id = $1',
      [tenantId],
    );
    expect(connections).toEqual([{ status: 'connected', external_id: PORTAL }]);
    const audit = await database.db.query<{ action: string }>(
      `select action from audit_events where tenant_id = $1 order by action`,
      [tenantId],
    );
    expect(audit.map((a) => a.action)).toEqual(['tenant.installed', 'tenant.reinstalled']);
    expect(syncsAsked).toEqual([tenantId]);
  }, 30_000);

  it('still queues a sync for a re-install minutes after a first sync that failed', async () => {
    const [{ id: tenantId }] = (await database.db.query<{ id: string }>(
      'select id from tenants where hubspot_portal_id = $1',
      [PORTAL],
    )) as [{ id: string }];
    // What syncConnection writes when the first sync fails: the error, no sync time.
    await markConnection(database.db, tenantId, 'hubspot', { error: 'HubSpot answered 500' });
    syncsAsked.length = 0;
    const response = await fetch(await consent());
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('being read now');
    expect(syncsAsked).toEqual([tenantId]);
  }, 30_000);
});
