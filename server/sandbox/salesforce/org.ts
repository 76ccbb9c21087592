import { ChangeEventLog, DEFAULT_RETENTION, type RetentionOptions } from './change-events';
import { IdFactory, toId18 } from './ids';
import { type SfRecord, SObjectSchema } from './schema';
import { SOBJECTS } from './sobjects';

export interface OrgOptions {
  orgId: string;
  name: string;
  /** Two characters in every id of the org, where Salesforce puts the pod. */
  pod?: string;
  /** Calls per rolling 24 hours (Developer Edition: 15,000; Enterprise: 100,000 + 1,000 per licence). */
  dailyApiLimit?: number;
  multiCurrency?: boolean;
  currencies?: string[];
  corporateCurrency?: string;
  retention?: Partial<RetentionOptions>;
}

/** One Salesforce org in the sandbox: its users, records (recycle bin included) and event bus. */
export class SalesforceOrg {
  readonly orgId: string;
  readonly name: string;
  readonly dailyApiLimit: number;
  readonly multiCurrency: boolean;
  readonly currencies: string[];
  readonly corporateCurrency: string;
  readonly ids: IdFactory;
  readonly changes: ChangeEventLog;
  readonly schemas = new Map<string, SObjectSchema>();
  /** type → id → record, in insertion (= id) order; deleted records stay with IsDeleted true. */
  private readonly records = new Map<string, Map<string, SfRecord>>();
  /** The user the OAuth consent signs in as, unless a token names another. */
  defaultUserId = '';

  constructor(
    options: OrgOptions,
    readonly now: () => number,
  ) {
    this.orgId = options.orgId;
    this.name = options.name;
    this.dailyApiLimit = options.dailyApiLimit ?? 15_000;
    this.multiCurrency = options.multiCurrency ?? false;
    this.corporateCurrency = options.corporateCurrency ?? 'USD';
    this.currencies = options.currencies ?? [this.corporateCurrency];
    this.ids = new IdFactory(options.pod ?? '5g');
    this.changes = new ChangeEventLog({ ...DEFAULT_RETENTION, ...options.retention }, now);
    for (const def of SOBJECTS) {
      const schema = new SObjectSchema(def, this.multiCurrency);
      this.schemas.set(def.name.toLowerCase(), schema);
      this.records.set(def.name, new Map());
    }
  }

  /** sObject names are case-insensitive in SOQL and in REST paths. */
  schema(type: string): SObjectSchema | undefined {
    return this.schemas.get(type.toLowerCase());
  }

  table(type: string): Map<string, SfRecord> {
    const table = this.records.get(type);
    if (!table) throw new Error(`no table for ${type}`);
    return table;
  }

  /** Puts a record as it is (seeding, derived rows); the write path validates before it calls this. */
  put(type: string, record: SfRecord): void {
    this.table(type).set(String(record.Id), record);
    this.ids.observe(String(record.Id));
  }

  /** A live or deleted record of one of the types, found by a 15- or 18-character id. */
  find(types: readonly string[], id: string): { type: string; record: SfRecord } | undefined {
    const id18 = toId18(id);
    if (!id18) return undefined;
    for (const type of types) {
      const record = this.table(type).get(id18);
      if (record) return { type, record };
    }
    return undefined;
  }

  live(type: string, id: string): SfRecord | undefined {
    const record = this.find([type], id)?.record;
    return record && !record.IsDeleted ? record : undefined;
  }

  count(type: string): number {
    let n = 0;
    for (const record of this.table(type).values()) if (!record.IsDeleted) n++;
    return n;
  }
}
