import fc from 'fast-check';

/** One way a CSV file goes wrong, at a data row (0-based; the header is line 1, row r line r + 2). */
export type Defect =
  | { kind: 'stray quote'; row: number; cell: string }
  | { kind: 'unclosed quote'; row: number }
  | { kind: 'NUL'; row: number }
  | { kind: 'Latin-1'; row: number }
  | { kind: 'invalid UTF-8'; row: number }
  | { kind: 'UTF-16 with BOM' }
  | { kind: 'oversized line'; row: number }
  | { kind: 'formula cell'; row: number; cell: string };

/** A CSV format: its header, and a good data row `i` with `name` as its text cell. */
export interface CsvFormat {
  header: string;
  row(i: number, name: string): string;
}

/** Formula cells as a spreadsheet user might type them, quoted as CSV so the file stays valid. */
export const FORMULA_CELLS = [
  '=1+1',
  '=HYPERLINK("http://evil.example","Click")',
  '+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];

const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

export const defect = (rows: number): fc.Arbitrary<Defect> => {
  const row = fc.integer({ min: 0, max: rows - 1 });
  return fc.oneof(
    fc.record({
      kind: fc.constant('stray quote' as const),
      row,
      cell: fc.constantFrom('=HYPERLINK("http://evil.example")', '"Acme" Labs', 'Ac"me'),
    }),
    fc.record({ kind: fc.constant('unclosed quote' as const), row }),
    fc.record({ kind: fc.constant('NUL' as const), row }),
    fc.record({ kind: fc.constant('Latin-1' as const), row }),
    fc.record({ kind: fc.constant('invalid UTF-8' as const), row }),
    fc.record({ kind: fc.constant('UTF-16 with BOM' as const) }),
    fc.record({ kind: fc.constant('oversized line' as const), row }),
    fc.record({
      kind: fc.constant('formula cell' as const),
      row,
      cell: fc.constantFrom(...FORMULA_CELLS),
    }),
  );
};

/** A file of `rows` good rows with the defect in it, as bytes. */
export function badFile(format: CsvFormat, rows: number, bad: Defect): Buffer {
  const lines: Buffer[] = [Buffer.from(`${format.header}\n`)];
  for (let i = 0; i < rows; i++) {
    const name = `Company ${i}`;
    if (!('row' in bad) || bad.row !== i) {
      lines.push(Buffer.from(`${format.row(i, name)}\n`));
      continue;
    }
    const [before, after] = format.row(i, '\u0001').split('\u0001') as [string, string];
    const cell: Buffer = {
      'stray quote': () => Buffer.from((bad as { cell: string }).cell),
      'unclosed quote': () => Buffer.from(`"${name}`),
      NUL: () => Buffer.from(`Ac\u0000me ${i}`),
      'Latin-1': () => Buffer.from(`M\u00fcller ${i}`, 'latin1'),
      'invalid UTF-8': () =>
        Buffer.concat([Buffer.from('A'), Buffer.from([0xc3, 0x28]), Buffer.from('b')]),
      'oversized line': () => Buffer.from('x'.repeat(20_000)),
      'formula cell': () => Buffer.from(quoted((bad as { cell: string }).cell)),
    }[bad.kind]();
    lines.push(Buffer.concat([Buffer.from(before), cell, Buffer.from(`${after}\n`)]));
  }
  const file = Buffer.concat(lines);
  if (bad.kind !== 'UTF-16 with BOM') return file;
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file.toString('utf8'), 'utf16le')]);
}

/** The file as a JSON body `{ "csv": … }` with its bytes as they are (so bad bytes stay bad). */
export const asJsonBody = (file: Buffer) =>
  Buffer.from(`{"csv":${JSON.stringify(file.toString('latin1'))}}`, 'latin1');

/** The line of the defect's row. */
export const lineOf = (bad: Defect) => ('row' in bad ? bad.row + 2 : 1);

export const describeDefect = (bad: Defect, rows: number) =>
  `${bad.kind}${'row' in bad ? ` on line ${lineOf(bad)}` : ''}${'cell' in bad ? ` (${JSON.stringify(bad.cell)})` : ''} of ${rows} rows`;
