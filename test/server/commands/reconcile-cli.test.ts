import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.join(__dirname, '../../../bin/partnerlens.js');

describe('partnerlens reconcile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pl-reconcile-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (csv: string, ...extra: string[]) => {
    const input = path.join(dir, `in-${Math.random().toString(36).slice(2)}.csv`);
    const output = path.join(dir, `out-${Math.random().toString(36).slice(2)}.csv`);
    await writeFile(input, csv);
    const result = spawnSync(
      process.execPath,
      [BIN, 'reconcile', '--input', input, '--output', output, ...extra],
      { encoding: 'utf8' },
    );
    return {
      ...result,
      output,
      text: existsSync(output) ? await readFile(output, 'utf8') : undefined,
    };
  };

  it('clusters a messy file: BOM, CRLF, columns in another order, extra columns, quotes, blank lines, short rows', async () => {
    const csv =
      '\uFEFF Name ,country,Domain,record_id,source,notes\r\n' +
      '"ACME, Inc.",USA,https://www.acme.com/about,r1,hubspot,"says ""hi"""\r\n' +
      '\r\n' +
      'Acme Incorporated,United States,,r2,program\r\n' +
      '"  Acme Logistics ",US,acmelogistics.com,r3,salesforce,\r\n' +
      ',,,,,\r\n' +
      'Müller & Söhne GmbH,DE,mueller.de,r4,hubspot,x\r\n' +
      'Muller and Sohne,Germany,gmail.com,r5,program,y\r\n';
    const result = await run(csv);
    expect(result.status).toBe(0);
    expect(result.text).toBe('record_id,cluster_id\nr1,r1\nr2,r1\nr3,r3\nr4,r4\nr5,r4\n');
    expect(result.stderr).toMatch(/5 records → 3 clusters/);
  });

  it('uses --threshold', async () => {
    const csv =
      'record_id,source,name,domain,country\na,x,Northwind Analytics,,\nb,y,Northwnid Analytics,,\n';
    expect((await run(csv)).text).toBe('record_id,cluster_id\na,a\nb,a\n');
    expect((await run(csv, '--threshold', '0.99')).text).toBe('record_id,cluster_id\na,a\nb,b\n');
  });

  it('writes records left for review when asked', async () => {
    const reviews = path.join(dir, 'reviews.csv');
    const csv =
      'record_id,source,name,domain,country\n' +
      'A,hubspot,Northwind Traders,northwind.com,US\nB,program,Northwind Tradrs,,\nC,salesforce,Northwind Traders Ltd,nwtraders.co.uk,UK\n';
    const result = await run(csv, '--reviews', reviews);
    expect(result.status).toBe(0);
    expect(await readFile(reviews, 'utf8')).toMatch(
      /^record_id,candidate_cluster_ids,matched_record_ids,evidence\nB,A;C,A;C,/,
    );
  });

  it.each([
    [
      'a missing column',
      'record_id,source,name,domain\nr1,x,A,a.com\n',
      /line 1: missing column country/,
    ],
    [
      'an empty record id',
      'record_id,source,name,domain,country\nr1,x,A,,\n,x,B,,\n',
      /line 3, column record_id: must not be empty/,
    ],
    [
      'a duplicate record id',
      'record_id,source,name,domain,country\nr1,x,A,,\nr1,y,B,,\n',
      /line 3, column record_id: "r1" already appears on line 2/,
    ],
    [
      'an empty source',
      'record_id,source,name,domain,country\nr1,,A,,\n',
      /line 2, column source: must not be empty/,
    ],
    [
      'an unclosed quote',
      'record_id,source,name,domain,country\nr1,x,"A,,\n',
      /line \d+: Quote Not Closed/,
    ],
    [
      'a row with too many cells',
      'record_id,source,name,domain,country\nr1,x,A,,,surplus\n',
      /line 2: Invalid Record Length/,
    ],
    ['an empty file', '', /line 1: the file is empty/],
  ])(
    'exits 1 naming file, line and column for %s, and writes nothing',
    async (_case, csv, message) => {
      const result = await run(csv);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^partnerlens: in-\w+\.csv /);
      expect(result.stderr).toMatch(message);
      expect(result.text).toBeUndefined();
    },
  );

  it('refuses a threshold outside (0, 1]', async () => {
    const result = await run('record_id,source,name,domain,country\n', '--threshold', '1.5');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/threshold is a number above 0 and at most 1/);
  });
});
