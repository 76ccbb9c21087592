import { execFileSync } from 'node:child_process';
import path from 'node:path';

const snippets = [
  {
    filePath: 'src/matching/j.ts',
    code: "import { randomUUID } from 'crypto';\nexport default randomUUID;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/matching/k.ts',
    code: "import os from 'os';\nexport default os;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/matching/l.ts',
    code: "import { lookup } from 'dns/promises';\nexport default lookup;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/matching/m.ts',
    code: "export const get = () => fetch('https://x');\n",
    rule: 'no-restricted-globals',
  },
  {
    filePath: 'src/matching/n.ts',
    code: 'export const id = () => crypto.randomUUID();\n',
    rule: 'no-restricted-globals',
  },
  {
    filePath: 'src/matching/o.ts',
    code: 'export const t = () => performance.now();\n',
    rule: 'no-restricted-globals',
  },
  {
    filePath: 'src/matching/a.ts',
    code: "import express from 'express';\nexport default express;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/matching/b.ts',
    code: "import { Pool } from 'pg';\nexport default Pool;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/matching/c.ts',
    code: "import { readFile } from 'node:fs/promises';\nexport default readFile;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/matching/d.ts',
    code: "import { Client } from '@hubspot/api-client';\nexport default Client;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/matching/e.ts',
    code: "import { Queue } from 'bullmq';\nexport default Queue;\n",
    rule: 'no-restricted-imports',
  },
  {
    filePath: 'src/program/f.ts',
    code: 'export const key = process.env.KEY;\n',
    rule: 'no-restricted-properties',
  },
  {
    filePath: 'src/program/g.ts',
    code: 'export const t = Date.now();\n',
    rule: 'no-restricted-properties',
  },
  {
    filePath: 'src/program/h.ts',
    code: 'export const r = Math.random();\n',
    rule: 'no-restricted-properties',
  },
  {
    filePath: 'src/program/i.ts',
    code: 'export const d = new Date();\n',
    rule: 'no-restricted-syntax',
  },
];
const allowed = [
  {
    filePath: 'src/matching/ok.ts',
    code: "import { normalizeDomain } from './domain';\n\nexport const d = normalizeDomain;\n",
  },
  {
    filePath: 'server/ok.ts',
    code: "import { Pool } from 'pg';\n\nexport const pool = new Pool();\n",
  },
  { filePath: 'src/money/ok.ts', code: 'export const at = (ms: number) => new Date(ms);\n' },
];

const results: string[][] = JSON.parse(
  execFileSync(process.execPath, [path.join(__dirname, '../support/lint-snippets.mjs')], {
    input: JSON.stringify([...snippets, ...allowed]),
    encoding: 'utf8',
  }),
);

describe('the rule that keeps src/ pure', () => {
  it.each(
    snippets.map((snippet, index) => [snippet.code.split('\n')[0], snippet.rule, index] as const),
  )('fails `%s` in src/ (%s)', (_code, rule, index) => {
    expect(results[index]).toContain(rule);
  });

  it('lets src/ import its own modules, even one named like a Node built-in', () => {
    expect(results[snippets.length]).toEqual([]);
  });

  it('lets server/ do I/O', () => {
    expect(results[snippets.length + 1]).toEqual([]);
  });

  it('lets src/ build dates from values it is given', () => {
    expect(results[snippets.length + 2]).toEqual([]);
  });
});
