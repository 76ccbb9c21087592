import { SoqlError } from './errors';
import { parseDateTime } from './field-values';
import { toId18 } from './ids';
import type { SalesforceOrg } from './org';
import { isFilterable, type SfRecord, type SObjectSchema } from './schema';
import { dateRange } from './soql-dates';
import { type FieldPath, resolvePath, soqlPosition, valueAt } from './soql-paths';

export type Predicate = (record: SfRecord) => boolean;
export type Comparable = string | number | boolean | null;
export /** The parts of the parser's WHERE shape that the sandbox reads. */
interface LooseCondition {
  field?: string;
  operator: string;
  value?: string | string[];
  literalType?: string;
  openParen?: number;
  closeParen?: number;
}
export interface LooseWhere {
  left?: LooseCondition | null;
  operator?: string;
  right?: LooseWhere;
}
type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | LooseCondition;

/** The parser gives WHERE as a right-leaning chain with parenthesis counts; this lays it out as tokens. */
function tokens(where: LooseWhere | undefined, out: Token[] = []): Token[] {
  if (!where) return out;
  if (where.operator === 'NOT' && !where.left) {
    out.push('NOT');
    return tokens(where.right, out);
  }
  const left = where.left;
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
    out.push(left);
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
  }
  if (where.operator === 'AND' || where.operator === 'OR') out.push(where.operator);
  return tokens(where.right, out);
}

/** Compiles WHERE into a predicate; like Salesforce it wants parentheses where AND and OR mix. */
export function compileWhere(
  org: SalesforceOrg,
  schema: SObjectSchema,
  where: LooseWhere | undefined,
  soql: string,
): Predicate | undefined {
  if (!where) return undefined;
  const list = tokens(where);
  let at = 0;
  const malformed = (what: string) =>
    new SoqlError('MALFORMED_QUERY', `${soqlPosition(soql, 'WHERE')}unexpected token: ${what}`);
  const expression = (): Predicate => {
    const terms = [unary()];
    let joiner: 'AND' | 'OR' | undefined;
    while (list[at] === 'AND' || list[at] === 'OR') {
      const op = list[at++] as 'AND' | 'OR';
      if (joiner && joiner !== op) throw malformed(`'${op}' (use parentheses to mix AND and OR)`);
      joiner = op;
      terms.push(unary());
    }
    if (terms.length === 1) return terms[0]!;
    return joiner === 'OR' ? (r) => terms.some((t) => t(r)) : (r) => terms.every((t) => t(r));
  };
  const unary = (): Predicate => {
    const token = list[at++];
    if (token === 'NOT') {
      const inner = unary();
      return (r) => !inner(r);
    }
    if (token === '(') {
      const inner = expression();
      if (list[at++] !== ')') throw malformed("missing ')'");
      return inner;
    }
    if (!token || typeof token === 'string')
      throw malformed(`'${String(token ?? 'end of query')}'`);
    return condition(org, schema, token, soql);
  };
  const predicate = expression();
  if (at < list.length) throw malformed(`'${String(list[at])}'`);
  return predicate;
}

function condition(
  org: SalesforceOrg,
  schema: SObjectSchema,
  c: LooseCondition,
  soql: string,
): Predicate {
  if (!c.field || c.literalType === 'SUBQUERY')
    throw new SoqlError(
      'MALFORMED_QUERY',
      `${soqlPosition(soql, 'WHERE')}this condition is not supported by the sandbox (subqueries, functions)`,
    );
  const path = resolvePath(org, schema, c.field, soql);
  if (!isFilterable(path.leaf))
    throw new SoqlError(
      'INVALID_FIELD',
      `${soqlPosition(soql, c.field)}field '${path.leaf.name}' can not be filtered in a query call`,
    );
  const operator = c.operator === '<>' ? '!=' : c.operator;
  const get = (r: SfRecord) => normalise(path, valueAt(org, r, path));
  if (operator === 'IN' || operator === 'NOT IN') {
    const values = new Set(
      (Array.isArray(c.value) ? c.value : [c.value ?? '']).map((v) =>
        literal(path, c.literalType, v, soql),
      ),
    );
    return operator === 'IN' ? (r) => values.has(get(r)) : (r) => !values.has(get(r));
  }
  if (c.literalType === 'DATE_LITERAL' || c.literalType === 'DATE_N_LITERAL')
    return dateRange(org, path, String(c.value), operator, soql, get);
  const wanted = literal(path, c.literalType, String(c.value), soql);
  switch (operator) {
    case '=':
      return (r) => get(r) === wanted;
    case '!=':
      return (r) => get(r) !== wanted;
    case 'LIKE': {
      const pattern = likePattern(String(wanted));
      return (r) => typeof get(r) === 'string' && pattern.test(String(get(r)));
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (r) => compare(get(r), wanted, operator);
    default:
      throw new SoqlError(
        'MALFORMED_QUERY',
        `${soqlPosition(soql, c.field)}operator ${c.operator} is not supported by the sandbox`,
      );
  }
}

function compare(
  value: Comparable,
  wanted: Comparable,
  operator: '<' | '<=' | '>' | '>=',
): boolean {
  if (value === null || wanted === null) return false;
  if (operator === '<') return value < wanted;
  if (operator === '<=') return value <= wanted;
  if (operator === '>') return value > wanted;
  return value >= wanted;
}

const STRING_TYPES = new Set(['string', 'textarea', 'url', 'email', 'picklist', 'id', 'reference']);
const NUMBER_TYPES = new Set(['currency', 'double', 'percent', 'int']);

/** Stored values in the form literals are compared in: strings folded (SOQL is case-insensitive), dates as ms. */
function normalise(path: FieldPath, value: unknown): Comparable {
  if (value === null || value === undefined) return null;
  const type = path.leaf.type;
  if (type === 'id' || type === 'reference') return String(value);
  if (STRING_TYPES.has(type)) return String(value).toLowerCase();
  if (type === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
  return value as Comparable;
}

function literal(
  path: FieldPath,
  literalType: string | undefined,
  raw: string,
  soql: string,
): Comparable {
  const type = path.leaf.type;
  const mismatch = (wanted: string, quoted: boolean) =>
    new SoqlError(
      'INVALID_FIELD',
      `${soqlPosition(soql, path.text)}value of filter criterion for field '${path.leaf.name}' must be of type ${wanted} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  if (literalType === 'NULL') return null;
  if (STRING_TYPES.has(type)) {
    if (literalType !== 'STRING') throw mismatch('string', true);
    const text = unquote(raw);
    if (type === 'id' || type === 'reference') return toId18(text) ?? text;
    return text.toLowerCase();
  }
  if (type === 'boolean') {
    if (literalType !== 'BOOLEAN') throw mismatch('boolean', false);
    return raw.toUpperCase() === 'TRUE';
  }
  if (NUMBER_TYPES.has(type)) {
    if (literalType !== 'INTEGER' && literalType !== 'DECIMAL') throw mismatch('double', false);
    return Number(raw);
  }
  if (type === 'date') {
    if (literalType !== 'DATE') throw mismatch('date', false);
    return Date.parse(`${raw}T00:00:00Z`);
  }
  if (literalType !== 'DATETIME') throw mismatch('dateTime', false);
  return parseDateTime(raw) ?? NaN;
}

function unquote(raw: string): string {
  const inner = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return inner.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** SOQL LIKE: % any run, _ one character, case-insensitive. */
function likePattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}
