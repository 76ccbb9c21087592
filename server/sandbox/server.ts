import { listen } from '../lib/listen';
import { createHubSpotSandbox } from './hubspot/app';
import { loadEcosystem } from './hubspot/load';
import { HubSpotSandboxStore, type SandboxApp } from './hubspot/store';
import type { Ecosystem } from './seed/ecosystem';

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
