import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import { staleDeals } from '../../../server/commissions/recompute-deals';
import { replaceCrmDealPartners, upsertDeals } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CommissionsQueue } from '../../../server/queue/queues';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { createDealRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase, testQueueSettings } from '../../support/services';

const DEALS = 3000;
const BATCH = 250;
const SCRIPT = path.join(__dirname, '../../support/commissions-worker-process.ts');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a commissions worker killed with SIGKILL in the middle of a batch', () => {
  let database: TestDatabase;
  let tenant: Tenant;
  const settings = testQueueSettings();
  let queue: CommissionsQueue;
  const partners = [1, 2, 3].map((n) =>
    createPartnerInput({ name: `Reseller ${n}`, type: 'reseller', tier: 'gold' }),
  );
  // Deal i is worth 1,000 + (i mod 500) whole dollars and goes to partner i mod 3 at 30 %.
  const expected = new Map<string, bigint>();
  const children: ChildProcess[] = [];

  const startWorker = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: {
        ...process.env,
        WORKER_SCHEMA: database.schema,
        WORKER_PREFIX: settings.prefix,
        WORKER_BATCH_SIZE: String(BATCH),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    return child;
  };
  const accrued = async () =>
    database.db.query<{ partner_id: string; deals: string; total: string }>(
      `select partner_id, count(distinct deal_id)::text as deals, sum(amount_minor)::text as total
         from ledger_entries where tenant_id = $1 group by partner_id`,
      [tenant.id],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await createTenant(database.db, { name: 'Killed Worker Co' });
    queue = new CommissionsQueue(settings);
    await upsertPartners(database.db, tenant.id, partners);
    const program = parseProgram({
      rates: [{ partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 }],
    });
    if (!program.ok) throw new Error(program.error.message);
    await saveProgram(database.db, tenant.id, program.value, 'test');
    const records = Array.from({ length: DEALS }, (_, i) =>
      createDealRecord({
        crmId: String(900000 + i),
        stage: 'won',
        amount: `${1000 + (i % 500)}.00`,
        closedAt: new Date('2026-03-01T00:00:00Z'),
      }),
    );
    const ids = await upsertDeals(database.db, tenant.id, 'hubspot', records);
    await replaceCrmDealPartners(
      database.db,
      tenant.id,
      [...ids.values()],
      records.map((record, i) => {
        const partnerId = partners[i % 3]!.id;
        const line = (BigInt(1000 + (i % 500)) * 100n * 3000n) / 10000n;
        expected.set(partnerId, (expected.get(partnerId) ?? 0n) + line);
        return { dealId: ids.get(record.crmId)!, partnerId, role: 'sourced', sharePct: '100.00' };
      }),
    );
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await queue.close();
    await database.drop();
  });

  it('resumes after a restart and leaves the ledger totals exactly as expected', async () => {
    const jobId = await queue.recompute(tenant.id);
    const first = await startWorker();
    // Kill as soon as the first batch has committed: the next one is under way.
    let seen = 0;
    for (let i = 0; i < 2000 && seen === 0; i++) {
      seen = (await accrued()).reduce((sum, row) => sum + Number(row.deals), 0);
      if (seen === 0) await sleep(5);
    }
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = (await accrued()).reduce((sum, row) => sum + Number(row.deals), 0);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(DEALS);
    // Batches are transactions: the one in flight left nothing behind.
    expect(atKill % BATCH).toBe(0);

    await startWorker();
    const job = (await queue.queue.getJob(jobId))!;
    let state = await job.getState();
    for (let i = 0; i < 300 && state !== 'completed' && state !== 'failed'; i++) {
      await sleep(100);
      state = await job.getState();
    }
    expect(state).toBe('completed');

    const rows = await accrued();
    expect(new Map(rows.map((row) => [row.partner_id, BigInt(row.total)]))).toEqual(expected);
    expect(rows.reduce((sum, row) => sum + Number(row.deals), 0)).toBe(DEALS);
    const [{ entries }] = (await database.db.query<{ entries: string }>(
      'select count(*)::text as entries from ledger_entries where tenant_id = $1',
      [tenant.id],
    )) as [{ entries: string }];
    expect(Number(entries)).toBe(DEALS);
    expect(await staleDeals(database.db, tenant.id)).toEqual([]);
  });
});
