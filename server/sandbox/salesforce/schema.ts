/** The field types the sandbox's objects use, named as describe names them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'url'
  | 'email'
  | 'picklist'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'reference';

/** Stored values: datetimes as epoch milliseconds, dates as YYYY-MM-DD, the rest as JSON has them. */
export type FieldValue = string | number | boolean | null;
export type SfRecord = Record<string, FieldValue>;

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** Filled in by the platform when a create leaves it out (owner, defaults, derived fields). */
  defaultedOnCreate: boolean;
  length?: number;
  picklist?: readonly string[];
  /** A restricted picklist refuses values outside its list. */
  restricted?: boolean;
  referenceTo?: readonly string[];
  relationshipName?: string;
  custom?: boolean;
  /** Only present in orgs with multiple currencies enabled (CurrencyIsoCode). */
  multiCurrency?: boolean;
  /** Part of a compound field (BillingCountry of BillingAddress): CDC nests it under the compound name. */
  compound?: { name: string; part: string };
}

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** Selected for Change Data Capture in the sandbox's orgs (Partner and OpportunityPartner have no CDC). */
  cdc: boolean;
  fields: FieldDef[];
}

type FieldSpec = Partial<FieldDef> & Pick<FieldDef, 'name' | 'type'>;

const labelOf = (name: string) =>
  name
    .replace(/__c$/, '')
    .replace(/Id$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2');

/** A field that callers can write, nillable and not defaulted unless the spec says otherwise. */
export function field(spec: FieldSpec): FieldDef {
  return {
    label: labelOf(spec.name),
    createable: true,
    updateable: true,
    nillable: true,
    defaultedOnCreate: false,
    ...spec,
  };
}

/** A field only the platform writes. */
export const readOnly = (spec: FieldSpec): FieldDef =>
  field({ createable: false, updateable: false, defaultedOnCreate: true, ...spec });

export const reference = (name: string, to: string, spec: Partial<FieldDef> = {}): FieldDef =>
  field({
    name,
    type: 'reference',
    referenceTo: [to],
    relationshipName: name.replace(/Id$/, ''),
    ...spec,
  });

/** Id, IsDeleted and the audit fields every object here has. */
export function systemFields(options: { deletable: boolean }): FieldDef[] {
  return [
    readOnly({ name: 'Id', type: 'id', nillable: false }),
    ...(options.deletable
      ? [readOnly({ name: 'IsDeleted', type: 'boolean', nillable: false })]
      : []),
    readOnly({ name: 'CreatedDate', type: 'datetime', nillable: false }),
    reference('CreatedById', 'User', { createable: false, updateable: false, nillable: false }),
    readOnly({ name: 'LastModifiedDate', type: 'datetime', nillable: false }),
    reference('LastModifiedById', 'User', {
      createable: false,
      updateable: false,
      nillable: false,
    }),
    readOnly({ name: 'SystemModstamp', type: 'datetime', nillable: false }),
  ];
}

/** Required on create: not nillable, writable, and nothing fills it in. */
export const isRequired = (f: FieldDef) => f.createable && !f.nillable && !f.defaultedOnCreate;

/** Long text cannot be filtered or sorted on. */
export const isFilterable = (f: FieldDef) => f.type !== 'textarea';

export class SObjectSchema {
  private readonly byLowerName: Map<string, FieldDef>;
  private readonly byRelationship: Map<string, FieldDef>;

  constructor(
    readonly def: SObjectDef,
    multiCurrency: boolean,
  ) {
    this.fields = def.fields.filter((f) => !f.multiCurrency || multiCurrency);
    this.byLowerName = new Map(this.fields.map((f) => [f.name.toLowerCase(), f]));
    this.byRelationship = new Map(
      this.fields
        .filter((f) => f.relationshipName)
        .map((f) => [f.relationshipName!.toLowerCase(), f]),
    );
  }

  readonly fields: FieldDef[];

  get name(): string {
    return this.def.name;
  }

  /** SOQL and the REST API take field names in any case. */
  field(name: string): FieldDef | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  relationship(name: string): FieldDef | undefined {
    return this.byRelationship.get(name.toLowerCase());
  }
}
