import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import fc from 'fast-check';

import { readPartners } from '../../../server/commands/partners-file';
import { readRecords } from '../../../server/commands/reconcile';
import { CsvInputError } from '../../../server/csv/read-csv';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant } from '../../../server/db/tenants';
import { parseProgram, type Program } from '../../../src/program/program';
import { startTestApi, type TestApi } from '../../support/api';
import {
  asJsonBody,
  badFile,
  type CsvFormat,
  type Defect,
  defect,
  describeDefect,
  lineOf,
} from '../../support/bad-csv';
import { runCliOnFiles } from '../../support/cli';
import { createPartnerInput, upsertPartners } from '../../support/fixtures';
import { schemaRowCounts } from '../../support/route-table';
import { createTestDatabase, type TestDatabase } from '../../support/services';

/** Files per CSV input: each a few rows (or 3,000, for a defect deep in the file) with one defect. */
const RUNS = 40;
const rowCounts = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 20 }) },
  fc.constant(3000),
);
const files = rowCounts.chain((rows) => fc.tuple(fc.constant(rows), defect(rows)));

interface Answer {
  status: number;
  body: {
    rowsKept?: number;
    errors?: Array<{ line: number; column?: string }>;
    error?: { code: string; message: string; details?: unknown };
  };
}

/** What an HTTP CSV input must answer to a file with this defect. */
type Expected =
  | { status: 400 | 413; code: string; line?: number }
  | { status: 201; badRow?: { line: number; column: string } };

const ACCOUNTS: CsvFormat = {
  header: 'name,domain,population',
  row: (i, name) => `${name},c${i}.example,prospect`,
};
const PROGRAM: CsvFormat = {
  header: 'partner_id,name,domain,type,tier,status',
  row: (i, name) => `p${i},${name},p${i}.example,reseller,gold,active`,
};
const RECORDS: CsvFormat = {
  header: 'record_id,source,name,domain,country',
  row: (i, name) => `r${i},hubspot,${name},c${i}.example,US`,
};
const PARTNERS: CsvFormat = {
  header: 'partner_id,name,domain,type,tier,status,regions,verticals',
  row: (i, name) => `p${i},${name},p${i}.example,reseller,gold,active,emea,saas`,
};

/**
 * The CSV inputs suite (issue 16): every CSV the app reads — the program's partner list and the
 * partners' account lists over HTTP (as text/csv and as JSON { csv }), the CLI files — is given
 * files with bad encodings, NUL bytes, oversized lines, unbalanced quotes and formula cells. None
 * may answer 500; a file refused is a 400 naming the line, a bad row is reported by line and
 * column, and a refused file writes nothing.
 */
describe('every CSV input, given a bad file', () => {
  let database: TestDatabase;
  let api: TestApi;
  let key: string;
  let partnerId: string;
  let dir: string;
  let program: Program;
  let sent = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    const tenant = await createTenant(database.db, { name: 'CSV Co' });
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    const partner = createPartnerInput({ name: 'Lister' });
    await upsertPartners(database.db, tenant.id, [partner]);
    partnerId = partner.id;
    api = await startTestApi(database.db);
    dir = await mkdtemp(path.join(tmpdir(), 'pl-bad-csv-'));
    const parsed = parseProgram({ tiers: ['gold'] });
    if (!parsed.ok) throw new Error(parsed.error.message);
    program = parsed.value;
  });
  afterAll(async () => {
    console.log(`csv-inputs: ${sent} bad files sent`);
    await api?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const post = async (url: string, contentType: string, body: Buffer): Promise<Answer> => {
    const response = await fetch(`${api.url}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
      body,
    });
    const text = await response.text();
    sent += 1;
    if (response.status >= 500) throw new Error(`answered ${response.status}: ${text}`);
    return { status: response.status, body: JSON.parse(text) as Answer['body'] };
  };

  /** Sends each generated file and holds the answer to `expected`; a refusal must write nothing. */
  const holds = async (
    format: CsvFormat,
    send: (file: Buffer) => Promise<Answer>,
    expected: (bad: Defect, file: Buffer) => Expected,
  ) =>
    fc.assert(
      fc.asyncProperty(files, async ([rows, bad]) => {
        const before = await schemaRowCounts(database);
        const file = badFile(format, rows, bad);
        const answer = await send(file);
        const want = expected(bad, file);
        const seen =
          answer.status >= 400
            ? {
                status: answer.status,
                code: answer.body.error?.code,
                ...('line' in want
                  ? { line: (answer.body.error?.details as { line?: number } | undefined)?.line }
                  : {}),
              }
            : {
                status: answer.status,
                ...('badRow' in want
                  ? {
                      badRow: answer.body.errors?.[0] && {
                        line: answer.body.errors[0].line,
                        column: answer.body.errors[0].column,
                      },
                    }
                  : {}),
              };
        expect({ file: describeDefect(bad, rows), ...seen }).toEqual({
          file: describeDefect(bad, rows),
          ...want,
        });
        if (answer.status === 201 && !('badRow' in want)) expect(answer.body.errors).toEqual([]);
        if (answer.status >= 400) expect(await schemaRowCounts(database)).toEqual(before);
      }),
      { numRuns: RUNS },
    );

  const syntax = (bad: Defect): Expected | undefined =>
    bad.kind === 'stray quote'
      ? { status: 400, code: 'CSV.INVALID', line: lineOf(bad) }
      : bad.kind === 'unclosed quote'
        ? { status: 400, code: 'CSV.INVALID' }
        : undefined;

  /**
   * A JSON body carries the file as text: bad bytes and NUL are refused before any CSV is read,
   * and a body over the JSON limit (1 MB) before that.
   */
  const asJson = (bad: Defect, file: Buffer): Expected | undefined =>
    asJsonBody(file).length > 1024 * 1024
      ? { status: 413, code: 'REQUEST.TOO_LARGE' }
      : ['Latin-1', 'invalid UTF-8', 'UTF-16 with BOM'].includes(bad.kind)
        ? { status: 400, code: 'REQUEST.ENCODING' }
        : bad.kind === 'NUL'
          ? { status: 400, code: 'REQUEST.INVALID' }
          : undefined;

  it('an account list sent as text/csv', async () => {
    await holds(
      ACCOUNTS,
      (file) => post(`/api/v1/partners/${partnerId}/accounts/import`, 'text/csv', file),
      (bad) =>
        syntax(bad) ??
        (bad.kind === 'Latin-1' || bad.kind === 'invalid UTF-8' || bad.kind === 'UTF-16 with BOM'
          ? { status: 400, code: 'CSV.ENCODING', line: lineOf(bad) }
          : bad.kind === 'NUL'
            ? { status: 201, badRow: { line: lineOf(bad), column: 'name' } }
            : bad.kind === 'oversized line'
              ? { status: 400, code: 'CSV.INVALID', line: lineOf(bad) }
              : { status: 201 }),
    );
  });

  it('an account list sent as JSON { csv }', async () => {
    await holds(
      ACCOUNTS,
      (file) =>
        post(`/api/v1/partners/${partnerId}/accounts/import`, 'application/json', asJsonBody(file)),
      (bad, file) =>
        asJson(bad, file) ??
        syntax(bad) ??
        (bad.kind === 'oversized line'
          ? { status: 400, code: 'CSV.INVALID', line: lineOf(bad) }
          : { status: 201 }),
    );
  });

  it("the program's partner list (JSON { csv })", async () => {
    await holds(
      PROGRAM,
      (file) => post('/api/v1/partners/import', 'application/json', asJsonBody(file)),
      (bad, file) =>
        asJson(bad, file) ??
        syntax(bad) ??
        (bad.kind === 'oversized line'
          ? { status: 201, badRow: { line: lineOf(bad), column: 'name' } }
          : { status: 201 }),
    );
  });

  /** What readCsv (every CLI file) must make of the defect: the message, or the rows read. */
  const cliExpected = (bad: Defect): RegExp | 'read' =>
    bad.kind === 'stray quote' || bad.kind === 'unclosed quote'
      ? bad.kind === 'stray quote'
        ? new RegExp(`line ${lineOf(bad)}: `)
        : /line \d+: /
      : bad.kind === 'NUL'
        ? new RegExp(`line ${lineOf(bad)}, column name: must not contain a NUL character`)
        : bad.kind === 'oversized line'
          ? new RegExp(`line ${lineOf(bad)}, column name: is longer than 500 characters`)
          : bad.kind === 'formula cell'
            ? 'read'
            : new RegExp(`line ${lineOf(bad)}: is not UTF-8`);

  it.each([
    [
      'reconcile --input',
      RECORDS,
      async (file: string) => (await readRecords(file)).map((record) => record.name),
    ],
    [
      'replay and simulate --partners',
      PARTNERS,
      // Partners are read for their ids and tiers only: the count is what shows the file was read.
      async (file: string) => (await readPartners(file, program)).map(() => undefined),
    ],
  ] as const)('the CLI file of %s', async (_name, format, read) => {
    await fc.assert(
      fc.asyncProperty(files, async ([rows, bad]) => {
        const file = path.join(dir, `in-${sent++}.csv`);
        await writeFile(file, badFile(format, rows, bad));
        const want = cliExpected(bad);
        const outcome = await read(file).then(
          (names) => ({ read: names.length, names }),
          async (error: unknown) => {
            if (!(error instanceof CsvInputError)) throw error;
            return { message: (await error.resolveLines()).message };
          },
        );
        if (want === 'read') {
          expect(outcome).toMatchObject({ read: rows });
          // A formula cell is data: kept as written (trimmed), and escaped wherever it goes out.
          const cell = (bad as { cell: string; row: number }).cell;
          const name = (outcome as { names: (string | undefined)[] }).names[
            (bad as { row: number }).row
          ];
          if (name !== undefined) expect(name).toBe(cell.trim());
        } else
          expect({ file: describeDefect(bad, rows), ...outcome }).toEqual({
            file: describeDefect(bad, rows),
            message: expect.stringMatching(want),
          });
      }),
      { numRuns: RUNS },
    );
  });

  it('the CLI itself answers a bad file with its line and exit code 1, not a stack trace', async () => {
    for (const bad of [
      { kind: 'UTF-16 with BOM' },
      { kind: 'Latin-1', row: 2 },
      { kind: 'stray quote', row: 1, cell: '=HYPERLINK("x")' },
      { kind: 'NUL', row: 0 },
    ] as Defect[]) {
      const result = await runCliOnFiles(
        dir,
        ['reconcile'],
        { input: badFile(RECORDS, 3, bad) },
        { output: 'clusters.csv' },
      );
      expect({ defect: bad.kind, status: result.status, stderr: result.stderr.trim() }).toEqual({
        defect: bad.kind,
        status: 1,
        stderr: expect.stringMatching(
          new RegExp(`^partnerlens: input\\.csv line ${lineOf(bad)}[:,] [^\\n]+$`),
        ),
      });
      expect(result.written.output).toBeUndefined();
    }
  });
});
