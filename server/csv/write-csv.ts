import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { finished } from 'node:stream/promises';

import { stringify } from 'csv-stringify';

// A value starting with one of these is a formula to a spreadsheet; prefix it so it stays text.
// A plain number ("-12.50") is no formula and stays a number.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export const safeCell = (value: string) =>
  FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;

/**
 * Writes rows under a header to a temporary file and renames it into place when complete, so a
 * failed run never leaves a half-written output. Cells are guarded against formula injection.
 */
export async function writeCsv(
  file: string,
  columns: readonly string[],
  rows: Iterable<readonly (string | number)[]>,
  options: { formulaSafe?: boolean } = {},
): Promise<void> {
  const temporary = `${file}.partial`;
  const out = createWriteStream(temporary);
  const csv = stringify({ header: true, columns: [...columns], record_delimiter: '\n' });
  csv.pipe(out);
  for (const row of rows) {
    const cells = row.map((cell) =>
      typeof cell === 'number' ? String(cell) : options.formulaSafe ? safeCell(cell) : cell,
    );
    if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve));
  }
  csv.end();
  await finished(out);
  await rename(temporary, file);
}
