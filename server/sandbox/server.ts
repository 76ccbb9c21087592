import { listen } from '../lib/listen';
import { createHubSpotSandbox } from './hubspot/app';
import { loadEcosystem } from './hubspot/load';
import { HubSpotSandboxStore, type SandboxApp } from './hubspot/store';
import { createSalesforceSandbox, type SalesforceSandboxOptions } from './salesforce/app';
import type { StreamingHooks } from './salesforce/cometd';
import { loadSalesforceOrg } from './salesforce/load';
import { type SalesforceApp, SalesforceSandboxStore } from './salesforce/store';
import type { Ecosystem } from './seed/ecosystem';
import type { SalesforceOrgSeed } from './seed/salesforce-org';

export interface RunningSandbox {
  url: string;
  store: HubSpotSandboxStore;
  close(): Promise<void>;
}

/** The local HubSpot on a port of this machine, holding the given ecosystems as portals. */
export async function startSandbox(options: {
  port: number;
  app: SandboxApp;
  ecosystems?: Ecosystem[];
  host?: string;
}): Promise<RunningSandbox> {
  const store = new HubSpotSandboxStore(options.app);
  for (const ecosystem of options.ecosystems ?? []) loadEcosystem(store, ecosystem);
  const host = options.host ?? '127.0.0.1';
  const listening = await listen(createHubSpotSandbox(store), options.port, host);
  return { url: `http://${host}:${listening.port}`, store, close: listening.close };
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
