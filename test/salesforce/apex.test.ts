import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';

const CLASSES = path.join(__dirname, '../../extensions/salesforce/force-app/main/default/classes');
const classes = readdirSync(CLASSES).filter((file) => file.endsWith('.cls'));

class Collect extends ApexErrorListener {
  errors: string[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push(`${line}:${column} ${message}`);
  }
}

describe('the Apex classes', () => {
  it.each(classes)('%s parses', (file) => {
    const listener = new Collect();
    const { parser } = ApexParserFactory.createLexerAndParser(
      readFileSync(path.join(CLASSES, file), 'utf8'),
      listener,
    );
    parser.compilationUnit();
    expect(listener.errors).toEqual([]);
  });

  it('is formatted by prettier-plugin-apex (prettier --check, in its own process)', () => {
    const result = spawnSync(
      process.execPath,
      [require.resolve('prettier/bin/prettier.cjs'), '--check', CLASSES],
      { encoding: 'utf8' },
    );
    expect({ status: result.status, out: result.stdout + result.stderr }).toEqual({
      status: 0,
      out: expect.stringContaining('All matched files use Prettier code style!'),
    });
  });

  it.each(
    classes.filter((file) => !file.endsWith('Test.cls') && file !== 'PartnerLensCalloutMock.cls'),
  )('%s runs with sharing, and any SOQL in user mode', (file) => {
    const source = readFileSync(path.join(CLASSES, file), 'utf8');
    expect(source).toMatch(/\bpublic with sharing class\b/);
    for (const query of source.match(/\[\s*SELECT[^\]]*\]/gi) ?? [])
      expect(query).toMatch(/WITH USER_MODE/);
    expect(source).not.toMatch(/https?:\/\//);
  });

  it('every class has a test class, and every test class is @IsTest', () => {
    const names = classes.map((file) => file.replace(/\.cls$/, ''));
    for (const name of names.filter((n) => /Controller$|Signer$/.test(n)))
      expect(names).toContain(`${name}Test`);
    for (const name of names.filter((n) => /Test$|Mock$/.test(n)))
      expect(readFileSync(path.join(CLASSES, `${name}.cls`), 'utf8')).toMatch(/^@IsTest/m);
  });
});
