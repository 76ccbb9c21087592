import { failure, type SfError, sfError, type SfResult } from './errors';
import { coerceInput } from './field-values';
import type { SalesforceOrg } from './org';
import { type FieldValue, isRequired, type SObjectSchema } from './schema';

export type Operation = 'create' | 'update';

/** The caller's fields of a create or update, checked one by one and converted to stored values. */
export function checkFields(
  org: SalesforceOrg,
  schema: SObjectSchema,
  body: Record<string, unknown>,
  operation: Operation,
): SfResult<Record<string, FieldValue>> {
  const values: Record<string, FieldValue> = {};
  const errors: SfError[] = [];
  const readOnly: string[] = [];
  for (const [name, raw] of Object.entries(body)) {
    if (name === 'attributes' || (name.toLowerCase() === 'id' && operation === 'update')) continue;
    const field = schema.field(name);
    if (!field) {
      errors.push(
        sfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${schema.name}`),
      );
      continue;
    }
    if (operation === 'create' ? !field.createable : !field.updateable) {
      readOnly.push(field.name);
      continue;
    }
    const coerced = coerceInput(org, field, raw);
    if (!coerced.ok) errors.push(coerced.error);
    else values[field.name] = coerced.value;
  }
  if (readOnly.length > 0)
    errors.push(
      sfError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      ),
    );
  if (errors.length > 0) return failure(...errors);
  const missing = schema.fields
    .filter((f) => isRequired(f))
    .filter((f) =>
      operation === 'create'
        ? values[f.name] === undefined || values[f.name] === null
        : f.name in values && values[f.name] === null,
    )
    .map((f) => f.name);
  if (missing.length > 0)
    return failure(
      sfError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      ),
    );
  return { ok: true, value: values };
}

/** Why a type cannot take this operation at all, if it cannot. */
export function operationRefusal(
  schema: SObjectSchema,
  operation: 'create' | 'update' | 'delete',
): SfError | undefined {
  const allowed =
    operation === 'create'
      ? schema.def.createable
      : operation === 'update'
        ? schema.def.updateable
        : schema.def.deletable;
  if (allowed) return undefined;
  const verb = operation === 'create' ? 'inserted' : operation === 'update' ? 'updated' : 'deleted';
  return sfError('INVALID_TYPE', `entity type cannot be ${verb}: ${schema.name}`);
}
