import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { writeCsv } from '../server/csv/write-csv';
import { SeededRandom } from '../server/sandbox/seed/random';
import { DEALS_COLUMNS, timeCli } from './lib/cli';

const DEALS = 1_000_000;
const PARTNERS = 5_000;
const PROGRAM = {
  rates: [
    { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
    {
      partnerType: 'reseller',
      tier: '*',
      role: 'sourced',
      rateBps: 2000,
      bands: [{ uptoMinor: 5_000_000, rateBps: 2000 }, { rateBps: 1000 }],
    },
    { partnerType: 'referral', tier: '*', role: 'sourced', rateBps: 1500 },
    { partnerType: '*', tier: '*', role: '*', rateBps: 500, capMinor: 500000 },
  ],
};

/** 1,000,000 won deals through `partnerlens commissions simulate`, CSV in and out, as admins run it. */
export async function simulateBench() {
  const random = new SeededRandom(6);
  // BENCH_KEEP_FILES=1 leaves the generated files behind (and says where), for profiling the CLI.
  const keep = process.env.BENCH_KEEP_FILES === '1';
  const dir = await mkdtemp(path.join(tmpdir(), 'pl-simulate-bench-'));
  if (keep) process.stdout.write(`simulate files in ${dir}\n`);
  try {
    const file = (name: string) => path.join(dir, name);
    const types = ['reseller', 'referral', 'system_integrator', 'msp'];
    const tiers = ['registered', 'silver', 'gold', 'platinum'];
    await writeFile(file('program.json'), JSON.stringify(PROGRAM));
    await writeCsv(
      file('partners.csv'),
      ['partner_id', 'name', 'domain', 'type', 'tier', 'status', 'regions', 'verticals'],
      Array.from({ length: PARTNERS }, (_, i) => [
        `P${i}`,
        `Partner ${i}`,
        '',
        random.pick(types),
        random.pick(tiers),
        'active',
        '',
        '',
      ]),
    );
    const deals: string[][] = [];
    const attributions: string[][] = [];
    for (let i = 0; i < DEALS; i++) {
      deals.push([
        `D${i}`,
        `A${i % 200_000}`,
        '',
        `${random.int(1_000, 500_000)}.${String(random.int(0, 99)).padStart(2, '0')}`,
        'USD',
        'won',
        '2025-06-01T00:00:00Z',
        '2026-01-15T00:00:00Z',
        '',
        '',
      ]);
      attributions.push([`D${i}`, `P${random.int(0, PARTNERS - 1)}`, 'sourced', '100']);
      if (random.chance(0.3))
        attributions.push([
          `D${i}`,
          `P${random.int(0, PARTNERS - 1)}`,
          'influenced',
          random.pick(['50', '33.3333', '100']),
        ]);
    }
    await writeCsv(file('deals.csv'), DEALS_COLUMNS, deals);
    await writeCsv(
      file('attributions.csv'),
      ['deal_id', 'partner_id', 'role', 'share_pct'],
      attributions,
    );
    await writeCsv(
      file('refunds.csv'),
      ['deal_id', 'refunded_at', 'amount', 'currency'],
      Array.from({ length: 10_000 }, (_, i) => [
        `D${i * 97}`,
        '2026-02-01T00:00:00Z',
        '100.00',
        'USD',
      ]),
    );
    const run = () =>
      timeCli([
        'commissions',
        'simulate',
        '--program',
        file('program.json'),
        '--partners',
        file('partners.csv'),
        '--deals',
        file('deals.csv'),
        '--attributions',
        file('attributions.csv'),
        '--refunds',
        file('refunds.csv'),
        '--output',
        file('ledger.csv'),
        '--errors',
        file('errors.csv'),
      ]);
    const first = run();
    const digest = async () =>
      createHash('sha256')
        .update(await readFile(file('ledger.csv')))
        .digest('hex')
        .slice(0, 16);
    const firstDigest = await digest();
    const second = run();
    return {
      deals: DEALS,
      attributions: attributions.length,
      refunds: 10_000,
      seconds: first.seconds,
      secondRunSeconds: second.seconds,
      byteIdentical: firstDigest === (await digest()),
    };
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
