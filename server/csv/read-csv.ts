import { createReadStream } from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse';
import type { z } from 'zod';

/** Bad input in a CSV file: names the file, the line and, when it is about one value, the column. */
export class CsvInputError extends Error {
  readonly code = 'CSV.INVALID';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    super(
      `${path.basename(file)}${line ? ` line ${line}` : ''}${column ? `, column ${column}` : ''}: ${reason}`,
    );
    this.name = 'CsvInputError';
  }
}

export interface CsvRow<T> {
  value: T;
  /** 1-based line number of the row in the file (the header is line 1). */
  line: number;
}

/**
 * Streams a CSV file with a header row whose names are `columns` (any order; extra columns ignored;
 * names trimmed, any case; UTF-8 BOM allowed; short rows read as empty trailing cells), validating each row with `schema`. Throws
 * CsvInputError at the first bad row, so callers write nothing from a bad file.
 */
export async function* readCsv<T>(
  file: string,
  columns: readonly string[],
  schema: z.ZodType<T>,
): AsyncGenerator<CsvRow<T>> {
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      // Hand-edited files drop trailing empty cells, and leave rows of bare commas.
      relax_column_count_less: true,
      skip_records_with_empty_values: true,
    }),
  );
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!header) {
        header = record.map((name) => name.trim().toLowerCase());
        const missing = columns.filter((column) => !header!.includes(column));
        if (missing.length > 0)
          throw new CsvInputError(
            file,
            1,
            undefined,
            `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header must name ${columns.join(', ')})`,
          );
        continue;
      }
      const row = Object.fromEntries(
        columns.map((column) => [column, (record[header!.indexOf(column)] ?? '').trim()]),
      );
      const parsed = schema.safeParse(row);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new CsvInputError(
          file,
          info.lines,
          issue.path.length ? String(issue.path[0]) : undefined,
          issue.message,
        );
      }
      yield { value: parsed.data, line: info.lines };
    }
  } catch (error) {
    if (error instanceof CsvInputError) throw error;
    const parseError = error as { code?: string; lines?: number; message?: string };
    if (parseError.code === 'ENOENT')
      throw new CsvInputError(file, undefined, undefined, 'no such file');
    if (parseError.code?.startsWith('CSV_'))
      throw new CsvInputError(
        file,
        parseError.lines,
        undefined,
        parseError.message ?? 'not valid CSV',
      );
    throw error;
  } finally {
    parser.destroy();
  }
  if (!header)
    throw new CsvInputError(file, 1, undefined, 'the file is empty: expected a header row');
}
