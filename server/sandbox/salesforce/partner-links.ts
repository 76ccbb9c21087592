import { failure, sfError, type SfResult } from './errors';
import type { SalesforceOrg } from './org';
import type { SfRecord } from './schema';
import { PARTNER_ROLES } from './sobjects';

/**
 * Partner is the writable side of a partner link; Salesforce derives the rest: an
 * OpportunityPartner (same id) for an opportunity link, the reverse Partner for an account link.
 * None of these objects has Change Data Capture, and none of them touches the opportunity: a
 * subscriber learns of partner changes by querying OpportunityPartner by SystemModstamp.
 */
export function checkPartner(values: SfRecord): SfResult<void> {
  const { OpportunityId, AccountFromId, AccountToId } = values;
  if (OpportunityId && AccountFromId)
    return failure(
      sfError(
        'FIELD_INTEGRITY_EXCEPTION',
        'Specify either OpportunityId or AccountFromId, not both',
        ['OpportunityId', 'AccountFromId'],
      ),
    );
  if (!OpportunityId && !AccountFromId)
    return failure(
      sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [AccountFromId]', [
        'AccountFromId',
      ]),
    );
  if (AccountFromId && AccountFromId === AccountToId)
    return failure(
      sfError('FIELD_INTEGRITY_EXCEPTION', 'An account cannot be its own partner', ['AccountToId']),
    );
  if (AccountFromId && values.IsPrimary)
    return failure(
      sfError('FIELD_INTEGRITY_EXCEPTION', 'Primary applies to opportunity partners only', [
        'IsPrimary',
      ]),
    );
  return { ok: true, value: undefined };
}

const reverseRoleOf = (role: unknown) =>
  PARTNER_ROLES.find((r) => r.label === role)?.reverse ?? null;

/** Runs after the Partner row is stored: the derived rows, and the one-primary-per-opportunity rule. */
export function createPartnerLinks(org: SalesforceOrg, partner: SfRecord, at: number): void {
  const audit: SfRecord = {
    CreatedDate: at,
    CreatedById: partner.CreatedById ?? null,
    LastModifiedDate: at,
    LastModifiedById: partner.LastModifiedById ?? null,
    SystemModstamp: at,
  };
  if (partner.OpportunityId) {
    if (partner.IsPrimary) clearPrimary(org, String(partner.OpportunityId), String(partner.Id), at);
    // The AccountPartner Salesforce creates between the partner and the opportunity's account is
    // not served; its id is what ReversePartnerId names.
    partner.ReversePartnerId = org.ids.next('00I');
    org.put('OpportunityPartner', {
      Id: partner.Id ?? null,
      IsDeleted: false,
      OpportunityId: partner.OpportunityId,
      AccountToId: partner.AccountToId ?? null,
      Role: partner.Role ?? null,
      IsPrimary: partner.IsPrimary ?? false,
      ReversePartnerId: partner.ReversePartnerId,
      ...audit,
    });
    return;
  }
  const reverseId = org.ids.next('00I');
  partner.ReversePartnerId = reverseId;
  org.put('Partner', {
    Id: reverseId,
    IsDeleted: false,
    OpportunityId: null,
    AccountFromId: partner.AccountToId ?? null,
    AccountToId: partner.AccountFromId ?? null,
    Role: reverseRoleOf(partner.Role),
    IsPrimary: false,
    ReversePartnerId: partner.Id ?? null,
    ...audit,
  });
}

/** Deleting a Partner deletes what was derived from it. */
export function deletePartnerLinks(org: SalesforceOrg, partner: SfRecord, at: number): void {
  const derivedRows = [
    org.table('OpportunityPartner').get(String(partner.Id)),
    partner.OpportunityId ? undefined : org.table('Partner').get(String(partner.ReversePartnerId)),
  ];
  for (const row of derivedRows)
    if (row && !row.IsDeleted) Object.assign(row, { IsDeleted: true, SystemModstamp: at });
}

function clearPrimary(
  org: SalesforceOrg,
  opportunityId: string,
  exceptId: string,
  at: number,
): void {
  for (const type of ['Partner', 'OpportunityPartner'])
    for (const row of org.table(type).values())
      if (
        row.OpportunityId === opportunityId &&
        row.Id !== exceptId &&
        row.IsPrimary &&
        !row.IsDeleted
      )
        Object.assign(row, { IsPrimary: false, LastModifiedDate: at, SystemModstamp: at });
}
