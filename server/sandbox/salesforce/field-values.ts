import { type SfError, sfError } from './errors';
import { toId18 } from './ids';
import type { SalesforceOrg } from './org';
import type { FieldDef, FieldValue } from './schema';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Salesforce writes datetimes as 2026-11-01T09:30:00.000+0000. */
export const formatDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** Reads the datetime forms Salesforce accepts: Z, ±hhmm or ±hh:mm, with or without milliseconds. */
export function parseDateTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return undefined;
  const zone = !m[2] || m[2] === 'Z' ? 'Z' : `${m[2].slice(0, 3)}:${m[2].slice(-2)}`;
  const ms = Date.parse(`${m[1]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A stored value as the REST API shows it in records. */
export function formatValue(field: FieldDef, value: FieldValue | undefined): FieldValue {
  if (value === undefined || value === null) return null;
  return field.type === 'datetime' ? formatDateTime(Number(value)) : value;
}

/** A stored value as a change event carries it (ISO datetimes with Z). */
export function eventValue(field: FieldDef, value: FieldValue | undefined): FieldValue {
  if (value === undefined || value === null) return null;
  return field.type === 'datetime' ? new Date(Number(value)).toISOString() : value;
}

const jsonError = (field: FieldDef, raw: unknown, wanted: string): SfError =>
  sfError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${wanted} from ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${String(raw)} or request may be missing a required field`,
    [field.name],
  );

/** A value from a create or update body, checked and converted to its stored form. */
export function coerceInput(
  org: SalesforceOrg,
  field: FieldDef,
  raw: unknown,
): { ok: true; value: FieldValue } | { ok: false; error: SfError } {
  const fail = (error: SfError) => ({ ok: false as const, error });
  if (raw === null || raw === undefined || raw === '') {
    if (field.type === 'boolean') return { ok: true, value: false };
    return { ok: true, value: null };
  }
  switch (field.type) {
    case 'boolean':
      return typeof raw === 'boolean'
        ? { ok: true, value: raw }
        : fail(jsonError(field, raw, 'boolean'));
    case 'currency':
    case 'double':
    case 'percent':
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return fail(jsonError(field, raw, 'double'));
      return { ok: true, value: field.type === 'int' ? Math.trunc(n) : n };
    }
    case 'date':
      return typeof raw === 'string' &&
        DATE.test(raw.slice(0, 10)) &&
        !Number.isNaN(Date.parse(raw.slice(0, 10)))
        ? { ok: true, value: raw.slice(0, 10) }
        : fail(jsonError(field, raw, 'date'));
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseDateTime(raw) : undefined;
      return ms === undefined ? fail(jsonError(field, raw, 'datetime')) : { ok: true, value: ms };
    }
    case 'reference':
      return coerceReference(org, field, raw);
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number')
        return fail(jsonError(field, raw, 'string'));
      const text = String(raw);
      if (field.length && text.length > field.length)
        return fail(
          sfError(
            'STRING_TOO_LONG',
            `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`,
            [field.name],
          ),
        );
      if (
        field.type === 'picklist' &&
        field.restricted &&
        !restrictedValues(org, field).includes(text)
      )
        return fail(
          sfError(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.label}: bad value for restricted picklist field: ${text}`,
            [field.name],
          ),
        );
      return { ok: true, value: text };
    }
  }
}

const restrictedValues = (org: SalesforceOrg, field: FieldDef) =>
  field.name === 'CurrencyIsoCode' ? org.currencies : (field.picklist ?? []);

function coerceReference(org: SalesforceOrg, field: FieldDef, raw: unknown) {
  const id = typeof raw === 'string' ? toId18(raw) : undefined;
  const targets = field.referenceTo ?? [];
  const prefixes = targets.map((t) => org.schema(t)!.def.keyPrefix);
  if (!id || !prefixes.includes(id.slice(0, 3)))
    return {
      ok: false as const,
      error: sfError(
        'MALFORMED_ID',
        `${field.label} ID: id value of incorrect type: ${String(raw)}`,
        [field.name],
      ),
    };
  const found = org.find(targets, id);
  if (!found || found.record.IsDeleted)
    return {
      ok: false as const,
      error: sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]),
    };
  if (field.name === 'OwnerId' && found.record.IsActive === false)
    return {
      ok: false as const,
      error: sfError(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${id}] as owner of the record`,
      ),
    };
  return { ok: true as const, value: id };
}
