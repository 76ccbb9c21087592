import { randomUUID } from 'node:crypto';

import type { ChangeType, RecordChange } from './change-events';
import { createDefaults, derived } from './derived-fields';
import { failure, sfError, type SfResult } from './errors';
import { eventValue } from './field-values';
import type { SalesforceOrg } from './org';
import { checkPartner, createPartnerLinks, deletePartnerLinks } from './partner-links';
import type { SfRecord } from './schema';
import { checkFields, operationRefusal } from './write-checks';

/** One API call's writes: they share a CDC transaction key and are published when it commits. */
export interface Transaction {
  userId: string;
  origin: string;
  key: string;
  at: number;
  changes: RecordChange[];
}

export function beginTransaction(org: SalesforceOrg, userId: string, origin: string): Transaction {
  return { userId, origin, key: randomUUID(), at: org.now(), changes: [] };
}

export function commit(org: SalesforceOrg, tx: Transaction): void {
  for (const change of tx.changes) org.changes.publish(change);
}

/** A write that passed every check; running it cannot fail, which is what allOrNone relies on. */
export type Prepared = () => string;

export function prepareCreate(
  org: SalesforceOrg,
  type: string,
  body: Record<string, unknown>,
  tx: Transaction,
): SfResult<Prepared> {
  const schema = org.schema(type);
  if (!schema) return failure(sfError('INVALID_TYPE', `sObject type '${type}' is not supported.`));
  const refusal = operationRefusal(schema, 'create');
  if (refusal) return failure(refusal);
  const checked = checkFields(org, schema, body, 'create');
  if (!checked.ok) return checked;
  if (schema.name === 'Partner') {
    const partner = checkPartner(checked.value);
    if (!partner.ok) return partner;
  }
  return {
    ok: true,
    value: () => {
      const id = org.ids.next(schema.def.keyPrefix);
      const record: SfRecord = {
        Id: id,
        ...(schema.field('IsDeleted') ? { IsDeleted: false } : {}),
        ...createDefaults(org, schema.name, checked.value, tx.userId),
        CreatedDate: tx.at,
        CreatedById: tx.userId,
        LastModifiedDate: tx.at,
        LastModifiedById: tx.userId,
        SystemModstamp: tx.at,
      };
      org.put(schema.name, record);
      if (schema.name === 'Partner') createPartnerLinks(org, record, tx.at);
      recordChange(org, tx, schema.name, 'CREATE', record, eventFieldNames(record));
      return id;
    },
  };
}

export function prepareUpdate(
  org: SalesforceOrg,
  type: string,
  id: string,
  body: Record<string, unknown>,
  tx: Transaction,
): SfResult<Prepared> {
  const schema = org.schema(type)!;
  const refusal = operationRefusal(schema, 'update');
  if (refusal) return failure(refusal);
  const found = existing(org, schema.name, id);
  if (!found.ok) return found;
  const checked = checkFields(org, schema, body, 'update');
  if (!checked.ok) return checked;
  const record = found.value;
  return {
    ok: true,
    value: () => {
      const next = { ...record, ...checked.value };
      Object.assign(next, derived(schema.name, next, checked.value));
      const changed = Object.keys(next).filter((name) => next[name] !== record[name]);
      Object.assign(record, next, {
        LastModifiedDate: tx.at,
        LastModifiedById: tx.userId,
        SystemModstamp: tx.at,
      });
      const names = [...changed, 'LastModifiedDate'];
      recordChange(org, tx, schema.name, 'UPDATE', record, names);
      return String(record.Id);
    },
  };
}

export function prepareDelete(
  org: SalesforceOrg,
  type: string,
  id: string,
  tx: Transaction,
): SfResult<Prepared> {
  const schema = org.schema(type)!;
  const refusal = operationRefusal(schema, 'delete');
  if (refusal) return failure(refusal);
  const found = existing(org, schema.name, id);
  if (!found.ok) return found;
  return {
    ok: true,
    value: () => (softDelete(org, tx, schema.name, found.value), String(found.value.Id)),
  };
}

/** A live record of the type, or NOT_FOUND / ENTITY_IS_DELETED as Salesforce answers. */
export function existing(org: SalesforceOrg, type: string, id: string): SfResult<SfRecord> {
  const record = org.find([type], id)?.record;
  if (!record) return failure(sfError('NOT_FOUND', 'The requested resource does not exist'));
  if (record.IsDeleted) return failure(sfError('ENTITY_IS_DELETED', 'entity is deleted'));
  return { ok: true, value: record };
}

// Deleting a parent takes its children to the recycle bin too, as Salesforce's cascade does.
const CHILDREN: Record<string, Array<{ type: string; field: string }>> = {
  Account: [
    { type: 'Opportunity', field: 'AccountId' },
    { type: 'Partner', field: 'AccountToId' },
    { type: 'Partner', field: 'AccountFromId' },
    { type: 'Task', field: 'WhatId' },
  ],
  Opportunity: [
    { type: 'Partner', field: 'OpportunityId' },
    { type: 'Task', field: 'WhatId' },
  ],
};

function softDelete(org: SalesforceOrg, tx: Transaction, type: string, record: SfRecord): void {
  if (record.IsDeleted) return;
  Object.assign(record, { IsDeleted: true, SystemModstamp: tx.at });
  if (type === 'Partner') deletePartnerLinks(org, record, tx.at);
  recordChange(org, tx, type, 'DELETE', record, []);
  for (const child of CHILDREN[type] ?? [])
    for (const candidate of [...org.table(child.type).values()])
      if (candidate[child.field] === record.Id) softDelete(org, tx, child.type, candidate);
}

/** Takes a record out of the recycle bin (the sandbox's stand-in for the UI's Restore). */
export function undelete(
  org: SalesforceOrg,
  tx: Transaction,
  type: string,
  record: SfRecord,
): void {
  Object.assign(record, { IsDeleted: false, SystemModstamp: tx.at });
  if (type === 'Partner') {
    const link = org.table('OpportunityPartner').get(String(record.Id));
    if (link) Object.assign(link, { IsDeleted: false, SystemModstamp: tx.at });
  }
  recordChange(org, tx, type, 'UNDELETE', record, eventFieldNames(record));
}

// Change events leave out IsDeleted and SystemModstamp.
const eventFieldNames = (record: SfRecord) =>
  Object.keys(record).filter(
    (name) => name !== 'IsDeleted' && name !== 'SystemModstamp' && record[name] !== null,
  );

function recordChange(
  org: SalesforceOrg,
  tx: Transaction,
  type: string,
  changeType: ChangeType,
  record: SfRecord,
  names: string[],
): void {
  const schema = org.schema(type)!;
  if (!schema.def.cdc) return;
  const fields: Record<string, unknown> = {};
  const changedFields: string[] = [];
  for (const name of names) {
    const field = schema.field(name);
    if (!field || name === 'Id' || name === 'IsDeleted' || name === 'SystemModstamp') continue;
    const value = eventValue(field, record[name]);
    // Compound fields (BillingAddress) travel nested, and are named by their part when changed.
    if (field.compound) {
      const compound = (fields[field.compound.name] ??= {}) as Record<string, unknown>;
      compound[field.compound.part] = value;
      changedFields.push(`${field.compound.name}.${field.compound.part}`);
    } else {
      fields[name] = value;
      changedFields.push(name);
    }
  }
  tx.changes.push({
    entity: type,
    changeType,
    recordId: String(record.Id),
    fields,
    changedFields: changeType === 'UPDATE' ? changedFields : [],
    userId: tx.userId,
    origin: tx.origin,
    transactionKey: tx.key,
    sequenceNumber: tx.changes.length + 1,
    at: tx.at,
  });
}
