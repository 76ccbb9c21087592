import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { type Preview, startPreview } from '../../extensions/salesforce/preview/serve';
import { type SalesforceDemo, startSalesforceDemo } from '../support/salesforce-demo';
import { createTestDatabase, type TestDatabase } from '../support/services';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '../../extensions/salesforce/preview/screenshots');
// .ci/run installs Debian's Chromium when it is missing; only a machine that cannot skips this.
const run = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM))
  process.stderr.write(
    `preview test skipped: ${CHROMIUM} is absent (apt-get install -y chromium)\n`,
  );

run('the Salesforce preview in Chromium', () => {
  let database: TestDatabase;
  let demo: SalesforceDemo;
  let preview: Preview;

  beforeAll(async () => {
    database = await createTestDatabase();
    demo = await startSalesforceDemo(database.db);
    preview = await startPreview({
      apiUrl: demo.api.url,
      apiKey: demo.apiKey,
      dealId: demo.dealId,
      port: 0,
    });
  }, 180_000);
  afterAll(async () => {
    await preview?.close();
    await demo?.close();
    await database?.drop();
  });

  it("renders the card with the demo's partners and suggestions, and the triage queue", async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
      await page.goto(preview.url);
      const card = await demo.api.call<{
        partners: Array<{ name: string }>;
        suggestions: Array<{ name: string }>;
      }>('GET', `/api/v1/deals/${demo.dealId}/card`, demo.apiKey);
      const partners = page.locator('c-partner-lens-deal-card tr[data-id="partner"]');
      await partners.first().waitFor({ timeout: 30_000 });
      expect(await partners.count()).toBe(card.body.partners.length);
      await expect(partners.first().textContent()).resolves.toContain(card.body.partners[0]!.name);
      const suggestion = page.locator('c-partner-lens-deal-card [data-id="suggestion"]').first();
      await expect(suggestion.textContent()).resolves.toContain(card.body.suggestions[0]!.name);
      await page
        .locator('c-partner-lens-registration-queue tr[data-id="row"]')
        .first()
        .waitFor({ timeout: 30_000 });
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, 'preview.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
