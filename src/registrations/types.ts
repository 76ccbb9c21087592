import type { Evidence } from '../matching/compare';

export const CONFLICT_KINDS = [
  'duplicate_submission',
  'competing_registration',
  'direct_opportunity',
  'partner_opportunity',
  'existing_customer',
  'partner_ineligible',
] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export type Severity = 'block' | 'warn';
export type Verdict = 'approved' | 'review' | 'rejected';

export interface PartnerFacts {
  id: string;
  tier: string;
  status: 'active' | 'inactive';
}

export interface DealFacts {
  id: string;
  accountId: string;
  stage: 'open' | 'won' | 'lost';
  createdAt: number;
  closedAt: number | null;
  /** Partners attributed to the deal; empty for a direct deal. */
  partnerIds: string[];
}

export interface RegistrationFacts {
  id: string;
  partnerId: string;
  companyName: string;
  companyDomain: string | null;
  /** Decimal in major units of `currency`; null when not given. */
  amount: string | null;
  currency: string | null;
  submittedAt: number;
}

/** A registration that holds a company: its window, and how the company was identified. */
export interface Hold {
  registrationId: string;
  partnerId: string;
  accountId: string | null;
  start: number;
  /** Exclusive; Infinity while a registration awaits its decision. */
  end: number;
  submittedAt: number;
}

export type Conflict =
  | {
      kind: 'duplicate_submission' | 'competing_registration';
      severity: 'block';
      holderRegistrationId: string;
      holderPartnerId: string;
      /** Exclusive end of the holder's window; null while the holder awaits its decision. */
      holdsUntil: number | null;
      /** How the two were found to be the same company: the same account, or matching companies. */
      sameCompany: { accountId: string } | { evidence: Evidence[] };
    }
  | {
      kind: 'direct_opportunity';
      severity: Severity;
      dealId: string;
      accountId: string;
      dealCreatedAt: number;
    }
  | {
      kind: 'partner_opportunity';
      severity: 'warn';
      dealId: string;
      accountId: string;
      partnerIds: string[];
    }
  | {
      kind: 'existing_customer';
      severity: Severity;
      dealId: string;
      accountId: string;
      closedAt: number;
    }
  | {
      kind: 'partner_ineligible';
      severity: 'block';
      reason: 'inactive' | 'cap_reached';
      activeRegistrations?: number;
      cap?: number;
    };

export interface Evaluation {
  verdict: Verdict;
  conflicts: Conflict[];
  matchedAccountId: string | null;
  accountMatch: Evidence[];
  /** The earliest registration holding the same company, when it competes. */
  holderRegistrationId: string | null;
  autoApprovable: boolean;
}
