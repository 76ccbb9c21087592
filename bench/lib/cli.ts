import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The header of DESIGN.md §10's deals.csv, which replay and simulate both read. */
export const DEALS_COLUMNS = [
  'deal_id',
  'account_id',
  'name',
  'amount',
  'currency',
  'stage',
  'created_at',
  'closed_at',
  'partner_id',
  'partner_role',
];

const BIN = path.join(__dirname, '../../bin/partnerlens.js');

/** One `partnerlens …` run in its own process, as an admin runs it: wall-clock seconds and stdout. */
export function timeCli(args: string[]): { seconds: number; output: string } {
  const started = performance.now();
  const output = execFileSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { seconds: Number(((performance.now() - started) / 1000).toFixed(2)), output };
}
