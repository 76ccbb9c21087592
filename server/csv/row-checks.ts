import type { z } from 'zod';

import { CsvInputError, rowRef } from './read-csv';

/** The header a row schema reads: its keys, in order. */
export const columnsOf = (schema: z.ZodObject) => Object.keys(schema.shape);

/** An id may appear once per file; `seen` remembers the row each one was on. */
export function unique(
  file: string,
  seen: Map<string, number>,
  id: string,
  row: number,
  column: string,
) {
  const earlier = seen.get(id);
  if (earlier)
    throw new CsvInputError(file, { row }, column, `"${id}" already appears on ${rowRef(earlier)}`);
  seen.set(id, row);
}

/**
 * A record that may span rows (a deal, one row per partner): its other cells must agree with its
 * first row. `seen` remembers each id's first row and cells; answers true on that first row.
 */
export function firstOrSame(
  file: string,
  seen: Map<string, { row: number; signature: string }>,
  id: string,
  row: number,
  signature: string,
  what: { column: string; cells: string },
): boolean {
  const first = seen.get(id);
  if (!first) {
    seen.set(id, { row, signature });
    return true;
  }
  if (first.signature !== signature)
    throw new CsvInputError(
      file,
      { row },
      what.column,
      `"${id}" appears on ${rowRef(first.row)} with another ${what.cells}`,
    );
  return false;
}

/** A reference to a row of another file (`the deals file` for `deal`) must name one it has. */
export function known(
  file: string,
  row: number,
  column: string,
  id: string,
  ids: { has(id: string): boolean },
  what: string,
) {
  if (!ids.has(id))
    throw new CsvInputError(file, { row }, column, `no ${what} "${id}" in the ${what}s file`);
}
