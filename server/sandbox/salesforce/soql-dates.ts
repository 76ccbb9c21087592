import { SoqlError } from './errors';
import type { SalesforceOrg } from './org';
import type { SfRecord } from './schema';
import type { Comparable, Predicate } from './soql-filter';
import { type FieldPath, soqlPosition } from './soql-paths';

const DAY = 86_400_000;

/**
 * A date literal (TODAY, LAST_N_DAYS:30, …) names a range of whole UTC days; each operator
 * compares against the range, as SOQL does (> TODAY is from tomorrow on).
 */
export function dateRange(
  org: SalesforceOrg,
  path: FieldPath,
  text: string,
  operator: string,
  soql: string,
  get: (r: SfRecord) => Comparable,
): Predicate {
  if (path.leaf.type !== 'date' && path.leaf.type !== 'datetime')
    throw new SoqlError(
      'INVALID_FIELD',
      `${soqlPosition(soql, path.text)}value of filter criterion for field '${path.leaf.name}' must be of type ${path.leaf.type}`,
    );
  const today = Math.floor(org.now() / DAY) * DAY;
  const [name, n] = text.toUpperCase().split(':') as [string, string | undefined];
  const days = Number(n ?? 0);
  const ranges: Record<string, [number, number]> = {
    TODAY: [today, today + DAY],
    YESTERDAY: [today - DAY, today],
    TOMORROW: [today + DAY, today + 2 * DAY],
    LAST_N_DAYS: [today - days * DAY, today + DAY],
    NEXT_N_DAYS: [today + DAY, today + (days + 1) * DAY],
  };
  const range = ranges[name];
  if (!range)
    throw new SoqlError(
      'MALFORMED_QUERY',
      `${soqlPosition(soql, text)}date literal ${text} is not supported by the sandbox`,
    );
  const [start, end] = range;
  const inRange = (v: Comparable) => typeof v === 'number' && v >= start && v < end;
  const tests: Record<string, (v: number) => boolean> = {
    '=': (v) => inRange(v),
    '!=': (v) => !inRange(v),
    '<': (v) => v < start,
    '<=': (v) => v < end,
    '>': (v) => v >= end,
    '>=': (v) => v >= start,
  };
  const test = tests[operator];
  if (!test)
    throw new SoqlError(
      'MALFORMED_QUERY',
      `${soqlPosition(soql, text)}unexpected operator ${operator}`,
    );
  return (r) => {
    const v = get(r);
    return v === null ? operator === '!=' : test(Number(v));
  };
}
