import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const BIN = path.join(__dirname, '../../bin/partnerlens.js');

/**
 * Runs `partnerlens <command…>` in its own process on inputs written to a fresh directory under
 * `parent` (`program` as program.json, every other name as <name>.csv, each passed as --<name>),
 * with each of `outputs` (flag → file name) passed too; returns the process and what the outputs hold.
 */
export async function runCliOnFiles<O extends string>(
  parent: string,
  command: string[],
  inputs: Record<string, string | Buffer>,
  outputs: Record<O, string>,
) {
  const dir = await mkdtemp(path.join(parent, 'run-'));
  const args: string[] = [];
  for (const [name, content] of Object.entries(inputs)) {
    const file = path.join(dir, name === 'program' ? 'program.json' : `${name}.csv`);
    await writeFile(file, content);
    args.push(`--${name}`, file);
  }
  for (const [flag, name] of Object.entries<string>(outputs))
    args.push(`--${flag}`, path.join(dir, name));
  const result = spawnSync(process.execPath, [BIN, ...command, ...args], { encoding: 'utf8' });
  const written = {} as Record<O, string | undefined>;
  for (const [flag, name] of Object.entries<string>(outputs)) {
    const file = path.join(dir, name);
    written[flag as O] = existsSync(file) ? await readFile(file, 'utf8') : undefined;
  }
  return { ...result, written };
}
