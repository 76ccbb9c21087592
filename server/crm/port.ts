/**
 * The one CRM port: what PartnerLens needs of a CRM, whichever it is. `hubspot/` and `salesforce/`
 * implement it; nothing above `server/crm/` names a CRM.
 */

export const CRM_KINDS = ['hubspot', 'salesforce'] as const;
export type CrmKind = (typeof CRM_KINDS)[number];

export const CRM_NAMES: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** A company (HubSpot) or account (Salesforce) as the mirror keeps it. */
export interface AccountRecord {
  crmId: string;
  name: string;
  domain: string | null;
  country: string | null;
  industry: string | null;
  /** The CRM's own classification (HubSpot company type, Salesforce Type), as it says it. */
  companyType: string | null;
  /** A partner's own company: reconciled into partners, never an account to sell to. */
  isPartner: boolean;
  /** The partner type the CRM record says, when it says one (reseller, msp, …). */
  partnerType: string | null;
  updatedAt: Date | null;
}

/** A deal (HubSpot) or opportunity (Salesforce) as the mirror keeps it. */
export interface DealRecord {
  crmId: string;
  name: string;
  /** Decimal in major units of `currency`. */
  amount: string | null;
  currency: string | null;
  stage: 'open' | 'won' | 'lost';
  crmStage: string | null;
  pipeline: string | null;
  createdAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date | null;
}

/** A partner company on a deal, as the CRM records it: its label or role, and whether primary. */
export interface DealPartnerLink {
  companyCrmId: string;
  /** HubSpot: the association label; Salesforce: the OpportunityPartner role. */
  label: string;
  primary: boolean;
}

/** A deal's account and its complete set of partner links, as the CRM has them now. */
export interface DealLinks {
  dealCrmId: string;
  accountCrmId: string | null;
  links: DealPartnerLink[];
}

/** One page of what the CRM holds (a full read) or what changed in it (since a cursor). */
export interface MirrorPage {
  accounts: AccountRecord[];
  deals: DealRecord[];
  /** For each deal named here, its account and every partner link it has now (none: none). */
  dealLinks: DealLinks[];
  deletedAccounts: string[];
  deletedDeals: string[];
  /** Records left out because they were not what the CRM's shape promises (counted, logged). */
  skipped: number;
}

export const emptyPage = (): MirrorPage => ({
  accounts: [],
  deals: [],
  dealLinks: [],
  deletedAccounts: [],
  deletedDeals: [],
  skipped: 0,
});

export type PartnerRole = 'sourced' | 'influenced' | 'reseller' | 'referral';

/** How far through the CRM's API budget the tenant is, when the CRM says. */
export interface ApiUsage {
  used: number;
  limit: number;
}

/** One tenant's CRM, its credentials read (and refreshed) when it was opened. */
export interface CrmConnection {
  readonly crm: CrmKind;
  /**
   * Everything the mirror needs (no cursor), or what changed since `cursor`, a page at a time.
   * Returns the cursor to read from next time.
   */
  read(cursor: string | undefined): AsyncGenerator<MirrorPage, { cursor: string | undefined }>;
  /**
   * Re-reads these records (a change notification named them): their current state, and those
   * the CRM no longer has as deleted. Never trusts a notification's own values.
   */
  reread(ids: { accounts: string[]; deals: string[] }): Promise<MirrorPage>;
  /** Puts a partner's company on a deal in the CRM, in the role (write-back). */
  attachPartner(link: {
    dealCrmId: string;
    companyCrmId: string;
    role: PartnerRole;
  }): Promise<void>;
  /** The API budget as the CRM last reported it. */
  usage(): ApiUsage | undefined;
  /**
   * Whether the budget is into the reserve PartnerLens leaves (its next call would be refused).
   * Without it, only a sync takes a paused connection back to connected.
   */
  budgetSpent?(): boolean;
}

/** A CRM PartnerLens can connect to. */
export interface CrmAdapter {
  readonly crm: CrmKind;
  /** The tenant's connection; CrmAuthError when it has none or the CRM refuses its credentials. */
  connect(tenantId: string): Promise<CrmConnection>;
}

/** The tenant's connection to a CRM is missing or gone (revoked, uninstalled): retrying will not help. */
export class CrmAuthError extends Error {
  readonly code = 'CRM.AUTH_FAILED';
  constructor(
    message: string,
    /** The CRM no longer knows the app's grant: it was uninstalled (or access revoked there). */
    readonly uninstalled = false,
  ) {
    super(message);
    this.name = 'CrmAuthError';
  }
}

/**
 * PartnerLens stopped short of the CRM's API budget (or the CRM refuses calls for its limit): the
 * connection is paused, shown in sync health, and a later sync resumes where it left off.
 */
export class CrmBudgetError extends Error {
  readonly code = 'CRM.BUDGET_REACHED';
  constructor(
    message: string,
    readonly usage?: ApiUsage,
  ) {
    super(message);
    this.name = 'CrmBudgetError';
  }
}

/** The CRM said no to a change, for a reason a retry will not mend. */
export class CrmWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrmWriteError';
  }
}

/** The CRMs this deployment can reach, by kind. */
export class CrmRegistry {
  private readonly adapters = new Map<CrmKind, CrmAdapter>();

  constructor(adapters: readonly CrmAdapter[]) {
    for (const adapter of adapters) this.adapters.set(adapter.crm, adapter);
  }

  has(crm: CrmKind): boolean {
    return this.adapters.has(crm);
  }

  connect(tenantId: string, crm: CrmKind): Promise<CrmConnection> {
    const adapter = this.adapters.get(crm);
    if (!adapter)
      return Promise.reject(new CrmAuthError(`${CRM_NAMES[crm]} is not configured here`));
    return adapter.connect(tenantId);
  }
}
