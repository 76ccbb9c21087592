import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';

import { recomputeStaleDeals } from '../../../server/commissions/recompute-deals';
import { safeCell, unescapeCell, writeCsv } from '../../../server/csv/write-csv';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant } from '../../../server/db/tenants';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { startTestApi, type TestApi } from '../../support/api';
import { FORMULA_CELLS } from '../../support/bad-csv';
import { runCliOnFiles } from '../../support/cli';
import { seedDealWithPartner } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

/**
 * What a spreadsheet (Excel, LibreOffice, Google Sheets) evaluates when it opens a CSV: a cell
 * starting with one of OWASP's formula characters, unless it is a plain number.
 */
const opensAsFormula = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);

/** Any text, and text built to look like a formula (prefixes, apostrophes before them, numbers). */
const cellText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .tuple(
      fc.constantFrom('', "'", "''"),
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' =', '"=', ','),
      fc.string({ unit: 'binary', maxLength: 20 }),
    )
    .map(([quotes, start, rest]) => `${quotes}${start}${rest}`),
  fc.constantFrom(...FORMULA_CELLS, '-12.50', '12', '-0', '-1e5', '+1'),
);

const ROOT = path.join(__dirname, '../../..');
function serverFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? serverFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/**
 * The CSV outputs suite (issue 16, DESIGN.md §9 "CSV exports are safe against formula
 * injection"): every CSV the app writes goes through one writer, and no cell of it opens as a
 * formula, whatever text went in; the text comes back out as it went in.
 */
describe('every CSV the app writes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pl-csv-out-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is written through csvStream (server/csv/write-csv.ts), the one writer that escapes formulas', () => {
    const writers = serverFiles(path.join(ROOT, 'server'))
      .filter((file) => /from 'csv-stringify/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    // The local Salesforce emulates the Bulk API's result pages: Salesforce's CSV, not ours.
    expect(writers.sort()).toEqual([
      'server/csv/write-csv.ts',
      'server/sandbox/salesforce/bulk-routes.ts',
    ]);
  });

  it('escapes any text so no cell opens as a formula, and gives the text back', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const cell = safeCell(text);
        expect({ text, opensAsFormula: opensAsFormula(cell) }).toEqual({
          text,
          opensAsFormula: false,
        });
        expect(unescapeCell(cell)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes files whose cells, read back by a CSV parser, are safe and round-trip', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cellText, cellText), { minLength: 1, maxLength: 5 }),
        async (rows) => {
          const file = path.join(dir, `out-${n++}.csv`);
          await writeCsv(file, ['a', 'b'], rows);
          const read = parse(await readFile(file), { columns: true }) as Array<{
            a: string;
            b: string;
          }>;
          expect(read.flatMap((row) => [row.a, row.b]).filter(opensAsFormula)).toEqual([]);
          expect(read.map((row) => [unescapeCell(row.a), unescapeCell(row.b)])).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('escapes the ids a CLI file brings into its outputs (reconcile clusters.csv)', async () => {
    const result = await runCliOnFiles(
      dir,
      ['reconcile'],
      {
        input:
          'record_id,source,name,domain,country\n' +
          '"=HYPERLINK(""http://evil.example"",""x"")",hubspot,Acme,acme.example,US\n' +
          '@SUM(A1),hubspot,Globex,globex.example,US\n',
      },
      { output: 'clusters.csv' },
    );
    expect(result.status).toBe(0);
    const rows = parse(result.written.output!, { columns: true }) as Array<{
      record_id: string;
      cluster_id: string;
    }>;
    expect(rows.flatMap((row) => [row.record_id, row.cluster_id]).filter(opensAsFormula)).toEqual(
      [],
    );
    expect(rows.map((row) => unescapeCell(row.record_id))).toEqual([
      '=HYPERLINK("http://evil.example","x")',
      '@SUM(A1)',
    ]);
  });

  describe('a partner statement downloaded as CSV', () => {
    let database: TestDatabase;
    let api: TestApi;
    let key: string;
    let partnerId: string;
    let tenantId: string;
    let period: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      const tenant = await createTenant(database.db, { name: 'Statement Co' });
      tenantId = tenant.id;
      key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
      const seeded = await seedDealWithPartner(database.db, tenant.id, {
        deal: { stage: 'won', closedAt: new Date('2026-02-01T00:00:00Z') },
      });
      partnerId = seeded.partner.id;
      const program = parseProgram({
        rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 1000 }],
      });
      if (!program.ok) throw new Error(program.error.message);
      await saveProgram(database.db, tenant.id, program.value, 'test');
      await recomputeStaleDeals(database.db, tenant.id);
      // A statement is the month its entries were made in.
      [{ period }] = (await database.db.query<{ period: string }>(
        `select to_char(created_at at time zone 'UTC', 'YYYY-MM') as period from ledger_entries where tenant_id = $1`,
        [tenant.id],
      )) as [{ period: string }];
      api = await startTestApi(database.db);
    });
    afterAll(async () => {
      await api?.close();
      await database?.drop();
    });

    it('escapes whatever the CRM named the deal, and gives the name back', async () => {
      await fc.assert(
        fc.asyncProperty(
          cellText.filter((text) => !text.includes('\u0000') && text.isWellFormed()),
          async (name) => {
            await database.db.query('update deals set name = $2 where tenant_id = $1', [
              tenantId,
              name,
            ]);
            const response = await fetch(
              `${api.url}/api/v1/partners/${partnerId}/statements/${period}?format=csv`,
              { headers: { authorization: `Bearer ${key}` } },
            );
            expect(response.status).toBe(200);
            const rows = parse(await response.text(), { columns: true }) as Array<
              Record<string, string>
            >;
            expect(rows.length).toBeGreaterThan(0);
            expect(rows.flatMap((row) => Object.values(row)).filter(opensAsFormula)).toEqual([]);
            expect(rows.map((row) => unescapeCell(row.deal_name!))).toEqual(rows.map(() => name));
          },
        ),
        { numRuns: 40 },
      );
    });
  });
});
