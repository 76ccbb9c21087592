import { randomBytes } from 'node:crypto';

import { disconnectCrm, markConnection } from '../../../server/crm/connections';
import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { createTenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { CrmSyncQueue } from '../../../server/queue/queues';
import {
  askNightlySyncs,
  NIGHTLY_PATTERN,
  startNightlySync,
} from '../../../server/queue/workers/nightly-sync';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

describe('the nightly catch-up sync', () => {
  let database: TestDatabase;
  const box = new CryptoBox(randomBytes(32));
  const tenants: Record<'connected' | 'paused' | 'broken' | 'disconnected', string> = {
    connected: '',
    paused: '',
    broken: '',
    disconnected: '',
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const status of Object.keys(tenants) as Array<keyof typeof tenants>) {
      const { id } = await createTenant(database.db, { name: `Nightly ${status}` });
      tenants[status] = id;
      await storeHubSpotRefreshToken(database.db, box, id, `rt-${status}`, `90${status.length}`);
      if (status === 'disconnected') await disconnectCrm(database.db, id, 'hubspot', 'uninstalled');
      else if (status !== 'connected')
        await markConnection(database.db, id, 'hubspot', { status, reason: status });
    }
  });
  afterAll(() => database.drop());

  it('asks a full sync of each connected or paused CRM, none of a broken or disconnected one', async () => {
    const settings = { ...testQueueSettings(), jobRequests: database.db };
    const crmSync = new CrmSyncQueue(settings);
    try {
      expect(await askNightlySyncs(database.db, crmSync)).toBe(2);
      const jobs = await crmSync.queue.getJobs(['waiting']);
      expect(jobs.map((job) => job.data as object)).toEqual(
        expect.arrayContaining([
          { tenantId: tenants.connected, crm: 'hubspot', full: true },
          { tenantId: tenants.paused, crm: 'hubspot', full: true },
        ]),
      );
      expect(jobs).toHaveLength(2);
    } finally {
      await crmSync.queue.obliterate({ force: true });
      await crmSync.close();
    }
  });

  it('is scheduled once a night, and scheduled again when Redis lost the schedule', async () => {
    const settings = testQueueSettings();
    const crmSync = new CrmSyncQueue(settings);
    const nightly = await startNightlySync(settings, {
      db: database.db,
      crmSync,
      logger: silentLogger,
    });
    try {
      const scheduler = await nightly.queue.getJobScheduler('nightly');
      expect(scheduler).toMatchObject({ pattern: NIGHTLY_PATTERN, tz: 'UTC' });
      await nightly.queue.removeJobScheduler('nightly');
      await nightly.ensureScheduled();
      expect(await nightly.queue.getJobScheduler('nightly')).toMatchObject({
        pattern: NIGHTLY_PATTERN,
      });
    } finally {
      await nightly.queue.obliterate({ force: true });
      await nightly.close();
      await crmSync.close();
    }
  });
});
