import type { Express } from 'express';

import type { CrmRegistry } from '../../server/crm/port';
import type { Database } from '../../server/db/database';
import { createApp } from '../../server/http/app';
import type { HubSpotInstallSettings } from '../../server/http/routes/oauth-hubspot';
import type { SalesforceInstallSettings } from '../../server/http/routes/oauth-salesforce';
import type { CryptoBox } from '../../server/lib/crypto-box';
import { listen } from '../../server/lib/listen';
import { CommissionsQueue, CrmSyncQueue, ReconcileQueue } from '../../server/queue/queues';
import { silentLogger, testQueueSettings } from './services';

export interface TestApi {
  url: string;
  /** The Express app itself, for the suites that enumerate its routes. */
  app: Express;
  /** A JSON call with an API key; answers the status, the parsed body (or text) and the headers. */
  call<Body = Record<string, unknown>>(
    method: string,
    path: string,
    apiKey: string,
    body?: unknown,
  ): Promise<{ status: number; body: Body; text: string; headers: Headers }>;
  close(): Promise<void>;
}

/** The API on a free loopback port, with queues under a key prefix of its own. */
export async function startTestApi(
  db: Database,
  options: {
    now?: () => number;
    crms?: CrmRegistry;
    box?: CryptoBox;
    salesforceInstall?: SalesforceInstallSettings;
    hubspotInstall?: HubSpotInstallSettings;
  } = {},
): Promise<TestApi> {
  const settings = testQueueSettings();
  const crmSync = new CrmSyncQueue(settings);
  const reconcile = new ReconcileQueue(settings);
  const commissions = new CommissionsQueue(settings);
  const app = createApp({
    db,
    logger: silentLogger,
    crmSync,
    reconcile,
    commissions,
    hubspotClientSecret: 's',
    box: options.box,
    readiness: {},
    now: options.now,
    crms: options.crms,
    ...(options.salesforceInstall ? { salesforceInstall: options.salesforceInstall } : {}),
    ...(options.hubspotInstall ? { hubspotInstall: options.hubspotInstall } : {}),
  });
  const server = await listen(app, 0);
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    app,
    async call(method, path, apiKey, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      if (response.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
      return { status: response.status, body: parsed as never, text, headers: response.headers };
    },
    async close() {
      await server.close();
      await Promise.all([crmSync.close(), reconcile.close(), commissions.close()]);
    },
  };
}
