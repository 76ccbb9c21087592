import type { SalesforceOrg } from './org';
import { type FieldDef, isFilterable, type SObjectSchema } from './schema';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

const urlsOf = (version: string, name: string) => ({
  sobject: `/services/data/v${version}/sobjects/${name}`,
  describe: `/services/data/v${version}/sobjects/${name}/describe`,
  rowTemplate: `/services/data/v${version}/sobjects/${name}/{ID}`,
});

/** The object-level flags describe and describeGlobal share. */
export function objectSummary(schema: SObjectSchema, version: string) {
  const def = schema.def;
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: false,
    createable: def.createable,
    updateable: def.updateable,
    deletable: def.deletable,
    undeletable: def.deletable,
    queryable: true,
    retrieveable: true,
    searchable: def.name !== 'PartnerRole',
    replicateable: true,
    triggerable: def.createable,
    layoutable: def.createable,
    mergeable: def.name === 'Account',
    feedEnabled: def.name === 'Account' || def.name === 'Opportunity',
    urls: urlsOf(version, def.name),
  };
}

function describeField(org: SalesforceOrg, field: FieldDef) {
  const values = field.name === 'CurrencyIsoCode' ? org.currencies : (field.picklist ?? []);
  const numeric = ['currency', 'double', 'percent'].includes(field.type);
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    length: field.length ?? (field.type === 'id' || field.type === 'reference' ? 18 : 0),
    byteLength: (field.length ?? 18) * 3,
    precision: numeric ? 18 : 0,
    scale: numeric ? 2 : 0,
    digits: field.type === 'int' ? 9 : 0,
    nillable: field.nillable,
    createable: field.createable,
    updateable: field.updateable,
    defaultedOnCreate: field.defaultedOnCreate,
    filterable: isFilterable(field),
    sortable: isFilterable(field),
    groupable: isFilterable(field) && !numeric,
    calculated: false,
    custom: Boolean(field.custom),
    externalId: false,
    idLookup: field.type === 'id',
    unique: false,
    autoNumber: false,
    restrictedPicklist: Boolean(field.restricted) || field.name === 'CurrencyIsoCode',
    picklistValues: values.map((value, i) => ({
      active: true,
      defaultValue: i === 0 && field.defaultedOnCreate,
      label: value,
      validFor: null,
      value,
    })),
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    polymorphicForeignKey: (field.referenceTo?.length ?? 0) > 1,
    compoundFieldName: field.compound?.name ?? null,
  };
}

const CHILD_RELATIONSHIPS: Record<
  string,
  Array<{ childSObject: string; field: string; relationshipName: string }>
> = {
  Account: [
    { childSObject: 'Opportunity', field: 'AccountId', relationshipName: 'Opportunities' },
    { childSObject: 'Partner', field: 'AccountToId', relationshipName: 'PartnersTo' },
    { childSObject: 'Partner', field: 'AccountFromId', relationshipName: 'PartnersFrom' },
    { childSObject: 'Task', field: 'WhatId', relationshipName: 'Tasks' },
  ],
  Opportunity: [
    {
      childSObject: 'OpportunityPartner',
      field: 'OpportunityId',
      relationshipName: 'OpportunityPartnersFrom',
    },
    { childSObject: 'Partner', field: 'OpportunityId', relationshipName: 'Partners' },
    { childSObject: 'Task', field: 'WhatId', relationshipName: 'Tasks' },
  ],
};

/** GET sobjects/{type}/describe. */
export function describeSObject(org: SalesforceOrg, schema: SObjectSchema, version: string) {
  return {
    ...objectSummary(schema, version),
    fields: schema.fields.map((f) => describeField(org, f)),
    childRelationships: (CHILD_RELATIONSHIPS[schema.name] ?? []).map((c) => ({
      ...c,
      cascadeDelete: true,
      deprecatedAndHidden: false,
      restrictedDelete: false,
    })),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
  };
}
