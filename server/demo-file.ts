import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

/**
 * `.data/demo.json`: how scripts and the official clients reach the running demo (the API and its
 * key, the local CRMs and tokens valid for this run). Written at every `npm start`; its API key is
 * kept across restarts of the same data folder.
 */
export interface DemoFile {
  apiUrl: string;
  apiKey: string;
  tenantId: string;
  hubspot?: {
    apiBase: string;
    portalId: string;
    accessToken: string;
    sampleDealId: string | null;
    /** A portal of the local HubSpot the app is not installed in: open installUrl to try it. */
    installPortalId: string;
    installUrl: string;
  };
  salesforce?: {
    instanceUrl: string;
    apiVersion: string;
    accessToken: string;
    sampleDealId: string | null;
    orgId: string;
    /** Connect another org of the local Salesforce (an install): open it in a browser. */
    installUrl: string;
  };
}

const previous = z.object({ apiKey: z.string().startsWith('pl_') }).loose();

export const demoFilePath = (dataDir: string) => path.join(dataDir, 'demo.json');

/** The demo API key an earlier start wrote into this data folder, if any. */
export async function previousDemoKey(dataDir: string): Promise<string | undefined> {
  try {
    const parsed = previous.safeParse(JSON.parse(await readFile(demoFilePath(dataDir), 'utf8')));
    return parsed.success ? parsed.data.apiKey : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (a reader never sees half a file); readable by this user only. */
export async function writeDemoFile(dataDir: string, demo: DemoFile): Promise<string> {
  const file = demoFilePath(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  return file;
}
