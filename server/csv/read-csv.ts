import { createReadStream } from 'node:fs';
import path from 'node:path';

import { CsvError, type Options, parse } from 'csv-parse';
import { CsvError as SyncCsvError } from 'csv-parse/sync';
import type { z } from 'zod';

import { NOT_UTF8, NotUtf8Error, utf8Only } from './utf8-only';

const OPTIONS: Options = {
  bom: true,
  skip_empty_lines: true,
  // Hand-edited files drop trailing empty cells, and leave rows of bare commas.
  relax_column_count_less: true,
  skip_records_with_empty_values: true,
};

/** Names another record in an error's reason; `resolveLines` turns it into "line N". */
export const rowRef = (row: number) => `{row:${row}}`;

/**
 * Bad input in a CSV file: names the file, where, and the column when it is about one value. The
 * place is a record number (the header is record 0) until `resolveLines` finds the file lines.
 */
export class CsvInputError extends Error {
  readonly code = 'CSV.INVALID';
  constructor(
    readonly file: string,
    readonly at: { row: number } | { line: number } | undefined,
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    super(CsvInputError.describe(file, at, column, reason));
    this.name = 'CsvInputError';
  }

  private static describe(
    file: string,
    at: CsvInputError['at'],
    column: string | undefined,
    reason: string,
  ) {
    const where = !at ? '' : 'line' in at ? ` line ${at.line}` : ` record ${at.row}`;
    return `${path.basename(file)}${where}${column ? `, column ${column}` : ''}: ${reason.replace(/\{row:(\d+)\}/g, 'record $1')}`;
  }

  /**
   * The same error with file lines instead of record numbers (quoted cells may span lines, and
   * blank lines are skipped): a second pass over the file, taken only when there is an error.
   */
  async resolveLines(): Promise<CsvInputError> {
    const rows = [
      ...(this.at && 'row' in this.at ? [this.at.row] : []),
      ...[...this.reason.matchAll(/\{row:(\d+)\}/g)].map((m) => Number(m[1])),
    ];
    if (rows.length === 0) return this;
    const lines = await linesOfRecords(this.file, new Set(rows));
    const reason = this.reason.replace(
      /\{row:(\d+)\}/g,
      (_, row: string) => `line ${lines.get(Number(row)) ?? `?`}`,
    );
    const at =
      this.at && 'row' in this.at ? { line: lines.get(this.at.row) ?? this.at.row } : this.at;
    return new CsvInputError(this.file, at, this.column, reason);
  }
}

async function linesOfRecords(file: string, rows: Set<number>): Promise<Map<number, number>> {
  const lines = new Map<number, number>();
  const last = Math.max(...rows);
  const parser = createReadStream(file).pipe(parse({ ...OPTIONS, info: true }));
  let row = 0;
  try {
    for await (const { info } of parser as AsyncIterable<{ info: { lines: number } }>) {
      if (rows.has(row)) lines.set(row, info.lines);
      if (++row > last) break;
    }
  } catch {
    // the error being explained may be this very parse error: keep what was found
  } finally {
    parser.destroy();
  }
  return lines;
}

/**
 * Reads a CSV file with a header row whose names are `columns` (any order; extra columns ignored;
 * names trimmed, any case; UTF-8 BOM allowed; short rows read as empty trailing cells), streaming,
 * and hands each row, validated with `schema`, to `onRow` with its record number (the header is 0).
 * Rejects with a CsvInputError at the first bad row — or whatever `onRow` throws — so callers write
 * nothing from a bad file. Rows are handed over synchronously as the parser emits them: a promise
 * per row was a fifth of a million-row run.
 */
export function readCsv<T>(
  file: string,
  columns: readonly string[],
  schema: z.ZodType<T>,
  onRow: (value: T, row: number) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const source = createReadStream(file);
    const text = utf8Only();
    const parser = parse(OPTIONS);
    let positions: number[] | undefined;
    let row = -1;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      text.destroy();
      parser.destroy();
      reject(toCsvError(file, error));
    };
    source.on('error', fail);
    text.on('error', fail);
    parser.on('error', fail);
    parser.on('data', (record: string[]) => {
      if (failed) return;
      try {
        row++;
        if (!positions) {
          const header = record.map((name) => name.trim().toLowerCase());
          const missing = columns.filter((column) => !header.includes(column));
          if (missing.length > 0) {
            throw new CsvInputError(
              file,
              { line: 1 },
              undefined,
              `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header must name ${columns.join(', ')})`,
            );
          }
          positions = columns.map((column) => header.indexOf(column));
          return;
        }
        const cells: Record<string, string> = {};
        for (let c = 0; c < columns.length; c++) {
          const cell = (record[positions[c]!] ?? '').trim();
          // No file format of §10 holds one; it would go on into outputs and the database.
          if (cell.includes('\u0000'))
            throw new CsvInputError(file, { row }, columns[c], 'must not contain a NUL character');
          cells[columns[c]!] = cell;
        }
        const parsed = schema.safeParse(cells);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new CsvInputError(
            file,
            { row },
            issue.path.length ? String(issue.path[0]) : undefined,
            issue.message,
          );
        }
        onRow(parsed.data, row);
      } catch (error) {
        fail(error);
      }
    });
    parser.on('end', () => {
      if (failed) return;
      if (!positions)
        fail(
          new CsvInputError(
            file,
            { line: 1 },
            undefined,
            'the file is empty: expected a header row',
          ),
        );
      else resolve();
    });
    source.pipe(text).pipe(parser);
  });
}

/**
 * Where csv-parse stopped on malformed CSV (a stray quote, an unclosed one, a row too long), or
 * undefined for any other error. Its codes are not all prefixed CSV_ (INVALID_OPENING_QUOTE), so
 * the class decides — either of its classes: csv-parse/sync is a bundle of its own, with its own.
 */
export function csvSyntaxError(
  error: unknown,
): { line: number | undefined; column: string | undefined; message: string } | undefined {
  if (!(error instanceof CsvError) && !(error instanceof SyncCsvError)) return undefined;
  const at = error as CsvError & { lines?: number; column?: string | number };
  return {
    line: at.lines,
    column: typeof at.column === 'string' ? at.column : undefined,
    message: error.message,
  };
}

function toCsvError(file: string, error: unknown): unknown {
  if (error instanceof CsvInputError) return error;
  if (error instanceof NotUtf8Error)
    return new CsvInputError(file, { line: error.line }, undefined, NOT_UTF8);
  const parseError = error as { code?: string; lines?: number; message?: string };
  if (parseError.code === 'ENOENT')
    return new CsvInputError(file, undefined, undefined, 'no such file');
  if (error instanceof CsvError)
    return new CsvInputError(
      file,
      parseError.lines ? { line: parseError.lines } : undefined,
      undefined,
      parseError.message ?? 'not valid CSV',
    );
  return error;
}
