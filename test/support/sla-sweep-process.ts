// One SLA sweep in a process of its own that SIGKILLs itself the moment a CRM has answered a task
// create, before the sweep can record it: the crash between the CRM write and the row update.
// Settings come from the environment the test gives it.
import { hubspotTaskWriters } from '../../server/crm/hubspot/tasks';
import type { CrmKind } from '../../server/crm/port';
import { salesforceTaskWriters } from '../../server/crm/salesforce/tasks';
import type { TaskWriter } from '../../server/crm/tasks';
import { openPostgres } from '../../server/db/database';
import { CryptoBox } from '../../server/lib/crypto-box';
import { sweepSlaTasks } from '../../server/registrations/sla-tasks';

async function run() {
  const env = process.env;
  const db = await openPostgres(env.TEST_DATABASE_URL!, env.SWEEP_SCHEMA!);
  const box = new CryptoBox(Buffer.from(env.SWEEP_KEY!, 'hex'));
  const now = Number(env.SWEEP_NOW);
  const crm = env.SWEEP_CRM as CrmKind;
  const app = { clientId: env.SWEEP_CLIENT_ID!, clientSecret: env.SWEEP_CLIENT_SECRET! };
  const open =
    crm === 'hubspot'
      ? hubspotTaskWriters({
          db,
          box,
          hubspot: { ...app, apiBase: env.SWEEP_CRM_URL! },
          now: () => now,
        })
      : salesforceTaskWriters({
          db,
          box,
          salesforce: { ...app, loginUrl: env.SWEEP_CRM_URL!, apiVersion: '62.0' },
        });
  const dying = async (tenantId: string): Promise<TaskWriter> => {
    const writer = await open(tenantId);
    return {
      ...writer,
      create: async (task) => {
        await writer.create(task);
        process.kill(process.pid, 'SIGKILL');
        return new Promise<string>(() => undefined);
      },
    };
  };
  await sweepSlaTasks({ db, writers: { [crm]: dying }, links: {} }, now);
  process.stdout.write('survived\n');
  process.exit(0);
}

void run();
