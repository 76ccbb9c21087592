import { readFile } from 'node:fs/promises';

import { parseProgram, type Program } from '../../src/program/program';
import { CsvInputError } from '../csv/read-csv';

/**
 * Reads and validates a program JSON file; a bad one fails naming each bad field. Fields the
 * program does not know are ignored (the file may serve other tools too), each named in a warning.
 */
export async function readProgramFile(
  file: string,
  warn: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): Promise<Program> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CsvInputError(file, undefined, undefined, 'no such file');
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CsvInputError(
      file,
      undefined,
      undefined,
      `not valid JSON (${(error as Error).message})`,
    );
  }
  const program = parseProgram(json);
  if (!program.ok) {
    throw new CsvInputError(
      file,
      undefined,
      undefined,
      `not a valid program: ${program.error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  const strict = parseProgram(json, { unknownFields: 'reject' });
  if (!strict.ok)
    warn(
      `${file}: ignored what the program does not know: ${strict.error.issues.map((i) => i.path).join(', ')}`,
    );
  return program.value;
}
