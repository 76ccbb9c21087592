import type { SalesforceOrg } from './org';
import type { FieldValue, SfRecord } from './schema';
import { OPPORTUNITY_STAGES } from './sobjects';

const stageOf = (name: FieldValue | undefined) => OPPORTUNITY_STAGES.find((s) => s.name === name);

/** What Salesforce fills in on create when the caller leaves it out. */
export function createDefaults(
  org: SalesforceOrg,
  type: string,
  values: SfRecord,
  userId: string,
): SfRecord {
  const schema = org.schema(type)!;
  const defaults: SfRecord = {};
  if (schema.field('OwnerId')) defaults.OwnerId = userId;
  if (schema.field('CurrencyIsoCode')) defaults.CurrencyIsoCode = org.corporateCurrency;
  if (type === 'Account') defaults.IsPartner = false;
  if (type === 'Partner') defaults.IsPrimary = false;
  if (type === 'Task') Object.assign(defaults, { Status: 'Not Started', Priority: 'Normal' });
  const merged = { ...defaults, ...stripNulls(values) };
  return { ...merged, ...derived(type, merged, merged) };
}

/** The fields that follow others: IsClosed/IsWon (and the default Probability) follow StageName, Task.IsClosed its Status. */
export function derived(type: string, record: SfRecord, changed: SfRecord): SfRecord {
  if (type === 'Opportunity' && 'StageName' in changed) {
    const stage = stageOf(record.StageName);
    return {
      IsClosed: stage?.closed ?? false,
      IsWon: stage?.won ?? false,
      ...('Probability' in changed && changed.Probability !== null
        ? {}
        : { Probability: stage?.probability ?? null }),
    };
  }
  if (type === 'Task' && 'Status' in changed) return { IsClosed: record.Status === 'Completed' };
  return {};
}

const stripNulls = (values: SfRecord): SfRecord =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
