import type { Logger } from 'pino';

import { type Config } from './config';
import { hubspotAdapter } from './crm/hubspot/adapter';
import { HUBSPOT_SCOPES } from './crm/hubspot/scopes';
import { hubspotTaskWriters } from './crm/hubspot/tasks';
import { CrmRegistry } from './crm/port';
import { salesforceAdapter } from './crm/salesforce/adapter';
import { SalesforceChangeStreams } from './crm/salesforce/change-stream';
import { salesforceTaskWriters } from './crm/salesforce/tasks';
import { migrate } from './db/migrate';
import { resealSecrets } from './db/reseal-secrets';
import { ensureDemoTenant } from './demo';
import { previousDemoKey, writeDemoFile } from './demo-file';
import { createApp } from './http/app';
import { listen } from './lib/listen';
import { assertPortFree } from './lib/port-check';
import { ensureRedis, redisAnswers } from './lib/redis-server';
import {
  CommissionsQueue,
  CrmChangesQueue,
  CrmSyncQueue,
  QUEUE_NAMES,
  ReconcileQueue,
} from './queue/queues';
import { addAndWait } from './queue/wait-for-job';
import { startCommissionsWorker } from './queue/workers/commissions-worker';
import { startCrmChangesWorker } from './queue/workers/crm-changes-worker';
import { startCrmSyncWorker } from './queue/workers/crm-sync-worker';
import { startNightlySync } from './queue/workers/nightly-sync';
import { startReconcileWorker } from './queue/workers/reconcile-worker';
import { startRecoverySweep } from './queue/workers/recovery-sweep';
import { startRegistrationSweep } from './queue/workers/registration-sweep-worker';
import { openCryptoBox, openDatabase } from './runtime';
import { DEMO_PORTAL_ID, generateEcosystem, INSTALL_PORTAL_ID } from './sandbox/seed/ecosystem';
import { generateSalesforceOrg, SALESFORCE_DEMO_ORG_ID } from './sandbox/seed/salesforce-org';
import { type RunningSandbox, startSalesforceSandbox, startSandbox } from './sandbox/server';

export interface Running {
  apiUrl?: string;
  sandboxUrl?: string;
  /** The local HubSpot, in development (tests change it, uninstall from it, flush its webhooks). */
  sandbox?: RunningSandbox;
  salesforceSandboxUrl?: string;
  demo?: {
    tenantId: string;
    apiKey: string;
    /** A HubSpot deal's card. */
    cardUrl?: string;
    /** A Salesforce opportunity's card. */
    salesforceCardUrl?: string;
    file?: string;
  };
  /** Salesforce's change events, in a process that runs the workers. */
  changeStreams?: SalesforceChangeStreams;
  stop(): Promise<void>;
}

export const DEMO_SEED = 42;

/** Starts what ROLE asks for on one config; in development also the sandbox and its demo tenant. */
export async function startPartnerLens(
  config: Config,
  logger: Logger,
  abort?: AbortSignal,
): Promise<Running> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.reverse())
      await step().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
  };
  // Between steps: a stop asked for during start-up unwinds what has started so far.
  const checkpoint = () => abort?.throwIfAborted();
  // A taken port is said at once, before the database, Redis and the demo are set up.
  if (config.role !== 'worker')
    await assertPortFree(config.http.port, config.http.host, 'the API', 'PORT');
  if (config.sandbox.enabled)
    await assertPortFree(config.sandbox.port, '127.0.0.1', 'the local HubSpot', 'SANDBOX_PORT');
  if (config.sandbox.enabled)
    await assertPortFree(
      config.sandbox.salesforcePort,
      '127.0.0.1',
      'the local Salesforce',
      'SALESFORCE_SANDBOX_PORT',
    );
  try {
    const db = await openDatabase(config, (error) =>
      logger.warn({ err: error }, 'database connection lost; the pool reconnects'),
    );
    stops.push(() => db.close());
    const migrations = await migrate(db);
    if (migrations.applied.length > 0)
      logger.info({ applied: migrations.applied }, 'database migrated');
    const box = await openCryptoBox(config);
    // During a key rotation, whichever process starts first moves what the old keys sealed.
    if (config.previousEncryptionKeys.length > 0) {
      const resealed = await resealSecrets(db, box);
      logger.info(
        { resealed: resealed.resealed, unopenable: resealed.unopenable.length },
        'stored secrets sealed with the current encryption key',
      );
    }
    checkpoint();
    const redis = await ensureRedis({
      url: config.redis.url,
      autostart: config.redis.autostart,
      dataDir: config.dataDir,
      logger,
    });
    stops.push(() => redis.stop());
    checkpoint();

    const hubspot = { ...config.hubspot };
    const ecosystem = config.sandbox.enabled
      ? generateEcosystem({
          seed: DEMO_SEED,
          now: new Date(new Date().toISOString().slice(0, 10)),
          portalId: DEMO_PORTAL_ID,
        })
      : undefined;
    // Known once the API listens: where the local HubSpot sends its webhooks, and where an
    // install comes back to.
    let apiUrl: string | undefined;
    const sandbox = ecosystem
      ? await startSandbox({
          port: config.sandbox.port,
          app: config.hubspot,
          ecosystems: [
            ecosystem,
            generateEcosystem({
              seed: DEMO_SEED + 1,
              now: new Date(new Date().toISOString().slice(0, 10)),
              portalId: INSTALL_PORTAL_ID,
              size: { partners: 12, companies: 60, deals: 120 },
            }),
          ],
          installPortalId: INSTALL_PORTAL_ID,
          webhookTarget: () => (apiUrl ? `${apiUrl}/webhooks/hubspot` : undefined),
        })
      : undefined;
    if (sandbox) {
      stops.push(() => sandbox.close());
      hubspot.apiBase = sandbox.url;
      logger.info({ url: sandbox.url }, 'local HubSpot sandbox up');
      checkpoint();
    }

    const salesforce = config.salesforce ? { ...config.salesforce } : undefined;
    const salesforceSandbox =
      config.sandbox.enabled && salesforce
        ? await startSalesforceSandbox({
            port: config.sandbox.salesforcePort,
            app: {
              clientId: salesforce.clientId,
              clientSecret: salesforce.clientSecret,
              // demo.json's token stays good for a working day of trying things.
              accessTokenSeconds: 12 * 3600,
            },
            orgs: [
              generateSalesforceOrg({
                seed: DEMO_SEED,
                now: new Date(new Date().toISOString().slice(0, 10)),
              }),
            ],
          })
        : undefined;
    if (salesforceSandbox && salesforce) {
      stops.push(() => salesforceSandbox.close());
      salesforce.loginUrl = salesforceSandbox.url;
      logger.info({ url: salesforceSandbox.url }, 'local Salesforce sandbox up');
      checkpoint();
    }

    const queueSettings = {
      redisUrl: redis.url,
      prefix: config.queuePrefix,
      lockDurationMs: config.queue.lockMs,
      jobRequests: db,
    };
    const crmSync = new CrmSyncQueue(queueSettings);
    const reconcileQueue = new ReconcileQueue(queueSettings);
    const commissionsQueue = new CommissionsQueue(queueSettings);
    const crmChanges = new CrmChangesQueue(queueSettings);
    stops.push(
      () => crmSync.close(),
      () => reconcileQueue.close(),
      () => commissionsQueue.close(),
      () => crmChanges.close(),
    );

    const crms = new CrmRegistry([
      hubspotAdapter({ db, box, hubspot, now: Date.now }),
      ...(salesforce ? [salesforceAdapter({ db, box, salesforce })] : []),
    ]);
    const running: Running = {
      stop,
      ...(sandbox ? { sandboxUrl: sandbox.url, sandbox } : {}),
      ...(salesforceSandbox ? { salesforceSandboxUrl: salesforceSandbox.url } : {}),
    };
    if (config.role !== 'worker') {
      const app = createApp({
        db,
        logger,
        crmSync,
        reconcile: reconcileQueue,
        commissions: commissionsQueue,
        crms,
        crmChanges,
        hubspotInstall: {
          app: hubspot,
          authorizeUrl: sandbox ? `${sandbox.url}/oauth/authorize` : config.hubspot.authorizeUrl,
          redirectUri: () => `${running.apiUrl}/oauth/hubspot/callback`,
          scopes: HUBSPOT_SCOPES,
        },
        ...(salesforce
          ? {
              salesforceInstall: {
                app: salesforce,
                redirectUri: () => `${running.apiUrl}/oauth/salesforce/callback`,
              },
            }
          : {}),
        hubspotClientSecret: config.hubspot.clientSecret,
        ...(config.hubspot.previousClientSecret
          ? { hubspotPreviousClientSecret: config.hubspot.previousClientSecret }
          : {}),
        box,
        publicUrl: config.http.publicUrl,
        ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
        readiness: {
          database: () => db.query('select 1'),
          redis: async () => (await redisAnswers(redis.url)) || Promise.reject(),
        },
      });
      const http = await listen(app, config.http.port, config.http.host);
      stops.push(() => http.close());
      running.apiUrl =
        config.http.publicUrl ??
        `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${http.port}`;
      apiUrl = running.apiUrl;
    }
    if (config.role !== 'api') {
      const workers = [
        startCrmSyncWorker(queueSettings, {
          db,
          crms,
          logger,
          // The commissions job follows the reconcile (attributions may move between partners).
          onSynced: (tenantId) => reconcileQueue.reconcile(tenantId),
        }),
        startReconcileWorker(queueSettings, {
          db,
          logger,
          onReconciled: (tenantId) => commissionsQueue.recompute(tenantId),
        }),
        startCommissionsWorker(queueSettings, { db, logger }),
      ];
      // Webhooks' changes: partner companies may have changed (reconcile, which brings the ledger
      // along), deals surely did (the ledger).
      const changes = await startCrmChangesWorker(queueSettings, {
        db,
        crms,
        logger,
        queue: crmChanges,
        onChanged: async (tenantId, crm, changed) => {
          if (changed.accounts.length > 0)
            await reconcileQueue.reconcile(
              tenantId,
              changed.accounts.map((id) => `${crm}:${id}`),
            );
          if (changed.deals.length > 0) await commissionsQueue.recompute(tenantId);
        },
      });
      stops.push(() => changes.close());
      if (salesforce) {
        const streams = new SalesforceChangeStreams({
          db,
          box,
          salesforce,
          logger,
          onChanges: (tenantId) => crmChanges.process(tenantId, 'salesforce'),
          onCatchUp: (tenantId) => crmSync.sync(tenantId, { crm: 'salesforce', incremental: true }),
        });
        await streams.start();
        running.changeStreams = streams;
        stops.push(() => streams.close());
      }
      const sweep = await startRegistrationSweep(queueSettings, {
        db,
        logger,
        slaTasks: {
          writers: {
            hubspot: hubspotTaskWriters({ db, box, hubspot, now: Date.now }),
            ...(salesforce ? { salesforce: salesforceTaskWriters({ db, box, salesforce }) } : {}),
          },
          // Tasks link to the triage page on the registration (docs/registrations.md, SLA tasks).
          links: { hubspotAppId: config.hubspot.appId },
        },
      });
      const nightly = await startNightlySync(queueSettings, { db, crmSync, logger });
      const recovery = startRecoverySweep({
        db,
        queues: [crmSync, reconcileQueue, commissionsQueue, crmChanges],
        schedules: [sweep.ensureScheduled, changes.ensureScheduled, nightly.ensureScheduled],
        logger,
        everyMs: config.queue.recoveryMs,
      });
      // Registered after the API so that, stopping in reverse, the workers drain first.
      stops.push(() =>
        Promise.all([
          ...workers.map((worker) => worker.close()),
          sweep.close(),
          nightly.close(),
          recovery.close(),
        ]),
      );
    }

    if (sandbox && ecosystem) {
      const demo = await ensureDemoTenant(
        db,
        box,
        sandbox.store,
        ecosystem,
        await previousDemoKey(config.dataDir),
        salesforceSandbox
          ? { store: salesforceSandbox.store, orgId: SALESFORCE_DEMO_ORG_ID }
          : undefined,
      );
      running.demo = { tenantId: demo.tenant.id, apiKey: demo.apiKey };
      if (config.role !== 'all') {
        await crmSync.sync(demo.tenant.id);
      } else {
        await addAndWait(
          queueSettings,
          QUEUE_NAMES.crmSync,
          () => crmSync.sync(demo.tenant.id),
          60_000,
          abort,
        );
        // The sync asked for a reconcile; asking again joins it or runs one more, and waits.
        await addAndWait(
          queueSettings,
          QUEUE_NAMES.reconcile,
          () => reconcileQueue.reconcile(demo.tenant.id),
          60_000,
          abort,
        );
        const sampleDeal = async (crm: 'hubspot' | 'salesforce') =>
          (
            await db.query<{ crm_id: string }>(
              `select d.crm_id from deals d where d.tenant_id = $1 and d.crm = $2 and d.stage = 'open'
                  and exists (select 1 from deal_partners dp where dp.tenant_id = d.tenant_id and dp.deal_id = d.id)
                order by d.crm_id limit 1`,
              [demo.tenant.id, crm],
            )
          )[0];
        const deal = await sampleDeal('hubspot');
        const opportunity = salesforceSandbox ? await sampleDeal('salesforce') : undefined;
        if (deal && running.apiUrl)
          running.demo.cardUrl = `${running.apiUrl}/api/v1/deals/${deal.crm_id}/card`;
        if (opportunity && running.apiUrl)
          running.demo.salesforceCardUrl = `${running.apiUrl}/api/v1/deals/${opportunity.crm_id}/card`;
        await running.changeStreams?.scan();
        if (running.apiUrl)
          running.demo.file = await writeDemoFile(config.dataDir, {
            apiUrl: running.apiUrl,
            apiKey: demo.apiKey,
            tenantId: demo.tenant.id,
            hubspot: {
              apiBase: sandbox.url,
              portalId: ecosystem.portalId,
              accessToken: sandbox.store.grantPrivateAppToken(ecosystem.portalId),
              sampleDealId: deal?.crm_id ?? null,
              installPortalId: INSTALL_PORTAL_ID,
              installUrl: `${running.apiUrl}/oauth/hubspot/install`,
            },
            ...(salesforceSandbox && salesforce
              ? {
                  salesforce: {
                    instanceUrl: salesforceSandbox.url,
                    apiVersion: salesforce.apiVersion,
                    accessToken:
                      salesforceSandbox.store.grantTokens(SALESFORCE_DEMO_ORG_ID).accessToken,
                    sampleDealId: opportunity?.crm_id ?? null,
                    orgId: SALESFORCE_DEMO_ORG_ID,
                    installUrl: `${running.apiUrl}/oauth/salesforce/install`,
                  },
                }
              : {}),
          });
      }
    }
    return running;
  } catch (error) {
    await stop();
    throw error;
  }
}
