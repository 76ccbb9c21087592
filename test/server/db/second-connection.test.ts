import { SecondConnectionError } from '../../../server/db/database';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

describe.each(DATABASE_KINDS)('a query on the database inside its own transaction (%s)', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ kind, migrate: false });
  });
  afterAll(() => database.drop());

  it('is refused at once instead of waiting for a second connection', async () => {
    const db = database.db;
    await expect(db.transaction(() => db.query('select 1'))).rejects.toThrow(SecondConnectionError);
    await expect(db.transaction(() => db.transaction(async () => 1))).rejects.toThrow(
      SecondConnectionError,
    );
  });

  it('leaves the transaction itself and other callers working', async () => {
    const db = database.db;
    const inside = db.transaction(async (tx) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return tx.query<{ one: number }>('select 1 as one');
    });
    // Another request meanwhile waits its turn (PGlite) or takes another connection (Postgres).
    const outside = db.query<{ two: number }>('select 2 as two');
    expect(await inside).toEqual([{ one: 1 }]);
    expect(await outside).toEqual([{ two: 2 }]);
  });

  it('lets work that outlives the transaction use the database', async () => {
    const db = database.db;
    let later: Promise<unknown> = Promise.resolve();
    await db.transaction(async () => {
      later = new Promise((resolve) => setTimeout(resolve, 10)).then(() => db.query('select 3'));
    });
    await expect(later).resolves.toEqual([{ '?column?': 3 }]);
  });
});
