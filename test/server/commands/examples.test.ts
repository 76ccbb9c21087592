import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.join(__dirname, '../../../bin/partnerlens.js');
const EXAMPLES = path.join(__dirname, '../../../docs/examples');
const example = (name: string) => path.join(EXAMPLES, name);

/** docs/examples run as README shows them, and give what docs/examples/expected holds. */
describe('the example files', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'partnerlens-examples-'));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  const same = (name: string) =>
    expect(readFileSync(path.join(out, name), 'utf8')).toBe(
      readFileSync(example(`expected/${name}`), 'utf8'),
    );

  it('reconcile', () => {
    const result = run(
      'reconcile',
      '--input',
      example('records.csv'),
      '--output',
      path.join(out, 'clusters.csv'),
    );
    expect(result.status).toBe(0);
    same('clusters.csv');
  });

  it('registrations replay', () => {
    const result = run(
      'registrations',
      'replay',
      '--program',
      example('program.json'),
      '--partners',
      example('partners.csv'),
      '--accounts',
      example('accounts.csv'),
      '--deals',
      example('deals.csv'),
      '--registrations',
      example('registrations.csv'),
      '--output',
      path.join(out, 'verdicts.csv'),
    );
    expect(result.status).toBe(0);
    same('verdicts.csv');
  });

  it('commissions simulate', () => {
    const result = run(
      'commissions',
      'simulate',
      '--program',
      example('program.json'),
      '--partners',
      example('partners.csv'),
      '--deals',
      example('deals.csv'),
      '--attributions',
      example('attributions.csv'),
      '--refunds',
      example('refunds.csv'),
      '--output',
      path.join(out, 'ledger.csv'),
      '--errors',
      path.join(out, 'errors.csv'),
    );
    expect(result.status).toBe(0);
    same('ledger.csv');
    same('errors.csv');
  });
});
