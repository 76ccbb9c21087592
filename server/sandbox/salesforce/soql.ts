import { parseQuery } from '@jetstreamapp/soql-parser-js';

import { SoqlError } from './errors';
import type { SalesforceOrg } from './org';
import type { SfRecord, SObjectSchema } from './schema';
import { compileWhere, type LooseWhere, type Predicate } from './soql-filter';
import { type FieldPath, resolvePath, soqlPosition, valueAt } from './soql-paths';

export interface CompiledQuery {
  schema: SObjectSchema;
  /** SELECT COUNT(): the answer is totalSize alone. */
  count: boolean;
  paths: FieldPath[];
  where?: Predicate;
  orderBy: Array<{ path: FieldPath; descending: boolean; nullsLast: boolean }>;
  limit?: number;
  offset: number;
}

interface LooseField {
  type: string;
  field?: string;
  relationships?: string[];
  functionName?: string;
  parameters?: unknown[];
  rawValue?: string;
}

const MAX_OFFSET = 2000;

const unsupported = (soql: string, what: string) =>
  new SoqlError(
    'MALFORMED_QUERY',
    `${soqlPosition(soql, what)}${what} is not supported by the sandbox`,
  );

/** Parses SOQL (with @jetstreamapp/soql-parser-js) and checks it against the org's objects. */
export function compileQuery(org: SalesforceOrg, soql: string): CompiledQuery {
  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw new SoqlError('MALFORMED_QUERY', `${soqlPosition(soql, '')}${(error as Error).message}`);
  }
  const schema = parsed.sObject ? org.schema(parsed.sObject) : undefined;
  if (!schema)
    throw new SoqlError(
      'INVALID_TYPE',
      `${soqlPosition(soql, `FROM ${parsed.sObject ?? ''}`)}sObject type '${parsed.sObject ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  if (parsed.groupBy || parsed.having) throw unsupported(soql, 'GROUP BY');
  if (parsed.offset !== undefined && parsed.offset > MAX_OFFSET)
    throw new SoqlError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  const fields = (parsed.fields ?? []) as LooseField[];
  const count =
    fields.length === 1 &&
    fields[0]!.functionName?.toUpperCase() === 'COUNT' &&
    !fields[0]!.parameters?.length;
  const paths = count ? [] : selectPaths(org, schema, fields, soql, parsed.limit);
  const orderBy = [parsed.orderBy ?? []].flat().map((clause) => {
    const c = clause as { field?: string; order?: string; nulls?: string };
    if (!c.field) throw unsupported(soql, 'ORDER BY on a function');
    const descending = c.order?.toUpperCase() === 'DESC';
    return {
      path: resolvePath(org, schema, c.field, soql),
      descending,
      nullsLast: c.nulls ? c.nulls.toUpperCase() === 'LAST' : descending,
    };
  });
  return {
    schema,
    count,
    paths,
    where: compileWhere(org, schema, parsed.where as LooseWhere | undefined, soql),
    orderBy,
    ...(parsed.limit !== undefined ? { limit: parsed.limit } : {}),
    offset: parsed.offset ?? 0,
  };
}

function selectPaths(
  org: SalesforceOrg,
  schema: SObjectSchema,
  fields: LooseField[],
  soql: string,
  limit: number | undefined,
): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const f of fields) {
    if (f.type === 'Field') paths.push(resolvePath(org, schema, f.field!, soql));
    else if (f.type === 'FieldRelationship')
      paths.push(resolvePath(org, schema, [...f.relationships!, f.field!].join('.'), soql));
    else if (f.type === 'FieldFunctionExpression' && f.functionName?.toUpperCase() === 'FIELDS') {
      const which = String(f.parameters?.[0] ?? '').toUpperCase();
      if (which !== 'STANDARD' && (limit === undefined || limit > 200))
        throw new SoqlError(
          'MALFORMED_QUERY',
          `${soqlPosition(soql, 'FIELDS')}The SOQL FIELDS function must have a LIMIT of at most 200`,
        );
      for (const field of schema.fields)
        if (which === 'ALL' || (which === 'CUSTOM') === Boolean(field.custom))
          paths.push({ hops: [], leaf: field, text: field.name });
    } else throw unsupported(soql, f.rawValue ?? f.functionName ?? 'this select item');
  }
  // A field named twice comes back once.
  return paths.filter(
    (p, i) => paths.findIndex((q) => q.text.toLowerCase() === p.text.toLowerCase()) === i,
  );
}

/** The records a compiled query selects, in its order, before LIMIT/OFFSET paging. */
export function runQuery(
  org: SalesforceOrg,
  query: CompiledQuery,
  includeDeleted: boolean,
): SfRecord[] {
  const matched: SfRecord[] = [];
  for (const record of org.table(query.schema.name).values()) {
    if (record.IsDeleted && !includeDeleted) continue;
    if (query.where && !query.where(record)) continue;
    matched.push(record);
  }
  if (query.orderBy.length > 0) {
    const keys = new Map(
      matched.map((r) => [r, query.orderBy.map((o) => sortKey(valueAt(org, r, o.path)))]),
    );
    matched.sort((a, b) => {
      for (const [i, o] of query.orderBy.entries()) {
        const x = keys.get(a)![i]!;
        const y = keys.get(b)![i]!;
        if (x === y) continue;
        if (x === null) return o.nullsLast ? 1 : -1;
        if (y === null) return o.nullsLast ? -1 : 1;
        return (x < y ? -1 : 1) * (o.descending ? -1 : 1);
      }
      return 0;
    });
  }
  const end = query.limit === undefined ? undefined : query.offset + query.limit;
  return query.offset > 0 || end !== undefined ? matched.slice(query.offset, end) : matched;
}

const sortKey = (value: unknown) =>
  value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? value.toLowerCase()
      : (value as number | boolean);
