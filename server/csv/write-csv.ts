import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { finished } from 'node:stream/promises';

import { type Stringifier, stringify } from 'csv-stringify';

// A value starting with one of these is a formula to a spreadsheet (OWASP's list); prefixed with
// an apostrophe it stays text. Values that are apostrophes then such a character get one more, so
// `unescapeCell` gives back exactly what was written. A plain number ("-12.50") is no formula.
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** A text cell as it goes out in every CSV the app writes: never a formula when opened. */
export const safeCell = (value: string) =>
  FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;

/** The value `safeCell` was given, from what it wrote (for tools that read the app's CSV back). */
export const unescapeCell = (cell: string) => (/^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/**
 * A CSV stream under a header, every cell made formula-safe: the one way the app writes CSV
 * (CLI outputs, statement downloads), so no output can forget it.
 */
export function csvStream(columns: readonly string[]): {
  csv: Stringifier;
  /** Writes a row; resolves when the stream can take more. */
  write(row: readonly (string | number)[]): Promise<void>;
} {
  const csv = stringify({ header: true, columns: [...columns], record_delimiter: '\n' });
  return {
    csv,
    async write(row) {
      const cells = row.map((cell) => (typeof cell === 'number' ? String(cell) : safeCell(cell)));
      if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve));
    },
  };
}

/**
 * Writes rows under a header to a temporary file and renames it into place when complete, so a
 * failed run never leaves a half-written output. Cells are guarded against formula injection.
 */
export async function writeCsv(
  file: string,
  columns: readonly string[],
  rows: Iterable<readonly (string | number)[]>,
): Promise<void> {
  const temporary = `${file}.partial`;
  const out = createWriteStream(temporary);
  const { csv, write } = csvStream(columns);
  csv.pipe(out);
  for (const row of rows) await write(row);
  csv.end();
  await finished(out);
  await rename(temporary, file);
}
