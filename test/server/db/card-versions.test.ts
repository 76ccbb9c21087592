import { randomUUID } from 'node:crypto';

import { createTenant } from '../../../server/db/tenants';
import { recountPartners } from '../../../server/partners/performance';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

describe.each(DATABASE_KINDS)("a tenant's card version (%s)", (kind) => {
  let database: TestDatabase;
  let tenantId: string;
  let otherTenantId: string;
  const partnerIds = [randomUUID(), randomUUID()];

  const version = async (tenant = tenantId) =>
    (
      await database.db.query<{ partners: string }>(
        'select partners::text from card_versions where tenant_id = $1',
        [tenant],
      )
    )[0]?.partners;

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    tenantId = (await createTenant(database.db, { name: 'Versioned' })).id;
    otherTenantId = (await createTenant(database.db, { name: 'Other' })).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('moves once for a transaction that writes several partners in several statements', async () => {
    expect(await version()).toBeUndefined();
    await database.db.transaction(async (tx) => {
      for (const id of partnerIds)
        await tx.query(
          `insert into partners (tenant_id, id, name, type, tier) values ($1, $2, 'P', 'reseller', 'gold')`,
          [tenantId, id],
        );
      await tx.query(`update partners set tier = 'silver' where tenant_id = $1`, [tenantId]);
    });
    expect(await version()).toBe('1');
    expect(await version(otherTenantId)).toBeUndefined();
  });

  it('moves on each later write, not on a rolled-back one', async () => {
    await database.db.query(`update partners set status = 'inactive' where id = $1`, [
      partnerIds[0],
    ]);
    expect(await version()).toBe('2');
    await expect(
      database.db.transaction(async (tx) => {
        await tx.query(`update partners set tier = 'gold' where tenant_id = $1`, [tenantId]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await version()).toBe('2');
  });

  it("moves when the worker recounts partners' performance, and when a partner goes", async () => {
    await recountPartners(database.db, tenantId, partnerIds, Date.now());
    expect(await version()).toBe('3');
    await database.db.query('delete from partners where tenant_id = $1 and id = $2', [
      tenantId,
      partnerIds[1],
    ]);
    expect(await version()).toBe('4');
  });

  it('lets a tenant be deleted with its partners', async () => {
    await database.db.query('delete from tenants where id = $1', [tenantId]);
    expect(await version()).toBeUndefined();
  });
});
