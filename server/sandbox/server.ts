import { listen } from '../lib/listen';
import { createHubSpotSandbox } from './hubspot/app';
import { loadEcosystem } from './hubspot/load';
import type { FaultOptions, RateLimitOptions } from './hubspot/rate-limit';
import { HubSpotSandboxStore, type SandboxApp } from './hubspot/store';
import { startWebhookDelivery, type WebhookDelivery } from './hubspot/webhooks';
import { createSalesforceSandbox, type SalesforceSandboxOptions } from './salesforce/app';
import type { StreamingHooks } from './salesforce/cometd';
import { loadSalesforceOrg } from './salesforce/load';
import { type SalesforceApp, SalesforceSandboxStore } from './salesforce/store';
import type { Ecosystem } from './seed/ecosystem';
import type { SalesforceOrgSeed } from './seed/salesforce-org';

export interface RunningSandbox {
  url: string;
  store: HubSpotSandboxStore;
  /** Signed webhooks to the app, when a target was given. */
  webhooks?: WebhookDelivery;
  /** Calls to fail on purpose (a 429 or 5xx storm); undefined: none. */
  faults: { current: FaultOptions | undefined };
  close(): Promise<void>;
}

/**
 * The local HubSpot on a port of this machine, holding the given ecosystems as portals. With a
 * webhook target, the portals the app is installed in send it their changes, signed.
 */
export async function startSandbox(options: {
  port: number;
  app: SandboxApp;
  ecosystems?: Ecosystem[];
  host?: string;
  /** The portal an install consents to when it names none (a portal not installed at start). */
  installPortalId?: string;
  /** Where webhooks go (the app's /webhooks/hubspot); read at each delivery. */
  webhookTarget?: () => string | undefined;
  limits?: RateLimitOptions;
}): Promise<RunningSandbox> {
  const store = new HubSpotSandboxStore(options.app);
  for (const ecosystem of options.ecosystems ?? []) loadEcosystem(store, ecosystem);
  const host = options.host ?? '127.0.0.1';
  const faults: RunningSandbox['faults'] = { current: undefined };
  const listening = await listen(
    createHubSpotSandbox(store, options.limits, {
      installPortalId: options.installPortalId,
      faults: () => faults.current,
    }),
    options.port,
    host,
  );
  const webhooks = options.webhookTarget
    ? startWebhookDelivery(store, options.webhookTarget)
    : undefined;
  return {
    url: `http://${host}:${listening.port}`,
    store,
    ...(webhooks ? { webhooks } : {}),
    faults,
    async close() {
      webhooks?.close();
      await listening.close();
    },
  };
}

export interface RunningSalesforceSandbox {
  url: string;
  store: SalesforceSandboxStore;
  /** Test hooks on the CometD endpoint (dropping the streaming clients of an org). */
  streaming: StreamingHooks;
  close(): Promise<void>;
}

/** The local Salesforce on a port of this machine, holding the given generated orgs. */
export async function startSalesforceSandbox(options: {
  port: number;
  app: SalesforceApp;
  orgs?: SalesforceOrgSeed[];
  host?: string;
  now?: () => number;
  sandbox?: SalesforceSandboxOptions;
}): Promise<RunningSalesforceSandbox> {
  const store = new SalesforceSandboxStore(options.app, options.now);
  for (const org of options.orgs ?? []) loadSalesforceOrg(store, org);
  const host = options.host ?? '127.0.0.1';
  const sandbox = createSalesforceSandbox(store, options.sandbox);
  const listening = await listen(sandbox.app, options.port, host);
  store.baseUrl = `http://${host}:${listening.port}`;
  return {
    url: store.baseUrl,
    store,
    streaming: sandbox.streaming,
    close: async () => {
      sandbox.close();
      // CometD long polls are held open on purpose; they must not keep the server from closing.
      listening.server.closeAllConnections();
      await listening.close();
    },
  };
}
