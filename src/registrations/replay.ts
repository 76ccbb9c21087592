import { GrowingIndex } from '../matching/candidate-index';
import { compareRecords, matchScore, type PreparedRecord } from '../matching/compare';
import { type MatchInput, prepareRecord } from '../matching/prepare';
import { type Program, protectionDaysOf } from '../program/program';
import { type AccountMatch, AccountMatcher } from './account-matcher';
import { type ConflictContext, detectConflicts, holderOf } from './detect-conflicts';
import { windowEnd } from './time';
import type { DealFacts, Evaluation, Hold, PartnerFacts, RegistrationFacts } from './types';
import { isAutoApprovable, verdictOf } from './verdict';

export interface ReplayInput {
  program: Program;
  partners: readonly PartnerFacts[];
  accounts: readonly MatchInput[];
  deals: readonly DealFacts[];
  registrations: readonly RegistrationFacts[];
  /** Finds a registration's account; by default the matching engine over `accounts`. */
  matchAccount?: (registration: RegistrationFacts, company: PreparedRecord) => AccountMatch;
}

export interface ReplayOutcome extends Evaluation {
  registrationId: string;
}

/** Submission order: by time, ties by registration id (numerically when both are whole numbers). */
export function bySubmission(a: RegistrationFacts, b: RegistrationFacts): number {
  if (a.submittedAt !== b.submittedAt) return a.submittedAt - b.submittedAt;
  if (/^\d+$/.test(a.id) && /^\d+$/.test(b.id) && a.id.length !== b.id.length)
    return a.id.length - b.id.length;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

interface HeldCompany {
  hold: Hold;
  company: PreparedRecord;
}

/**
 * Replays registrations under a program (DESIGN.md §4, §10): in submission order, each is judged
 * against the world at its submission; one that is not rejected holds its company from its
 * submission for its tier's protection window. Outcomes come back in input order.
 */
export function replayRegistrations(input: ReplayInput): ReplayOutcome[] {
  const { program } = input;
  const partners = new Map(input.partners.map((p) => [p.id, p]));
  const dealsByAccount = new Map<string, DealFacts[]>();
  for (const deal of input.deals) pushTo(dealsByAccount, deal.accountId, deal);
  const matcher = input.matchAccount
    ? undefined
    : new AccountMatcher(input.accounts, program.matching.nameThreshold);
  const matchAccount =
    input.matchAccount ??
    ((_registration: RegistrationFacts, company: PreparedRecord) => matcher!.match(company));

  const held: HeldCompany[] = [];
  const newLogoIndex = new GrowingIndex();
  const heldByAccount = new Map<string, number[]>();
  const windowsByPartner = new Map<string, number[]>();
  const outcomes = new Map<string, ReplayOutcome>();

  for (const registration of [...input.registrations].sort(bySubmission)) {
    const partner = partners.get(registration.partnerId);
    if (!partner)
      throw new Error(`registration ${registration.id}: unknown partner ${registration.partnerId}`);
    const at = registration.submittedAt;
    const company = prepareRecord({
      id: registration.id,
      name: registration.companyName,
      domain: registration.companyDomain,
    });
    const account = matchAccount(registration, company);

    // The same company: the same account for registrations matched to accounts; new logos, which
    // matched no account, are matched to each other (DESIGN.md §4).
    const sameCompany: ConflictContext['holds'][number][] = [];
    for (const position of account.accountId ? (heldByAccount.get(account.accountId) ?? []) : []) {
      sameCompany.push({
        hold: held[position]!.hold,
        sameCompany: { accountId: account.accountId! },
      });
    }
    for (const position of account.accountId ? [] : newLogoIndex.candidates(company)) {
      const other = held[position]!;
      const settings = { nameThreshold: program.matching.nameThreshold };
      if (matchScore(company, other.company, settings) === undefined) continue;
      sameCompany.push({
        hold: other.hold,
        sameCompany: { evidence: compareRecords(company, other.company, settings).evidence },
      });
    }

    const windows = (windowsByPartner.get(partner.id) ?? []).filter((end) => end > at);
    windowsByPartner.set(partner.id, windows);
    const conflicts = detectConflicts(partner.id, {
      program,
      partner,
      at,
      matchedAccountId: account.accountId,
      holds: sameCompany,
      deals: account.accountId ? (dealsByAccount.get(account.accountId) ?? []) : [],
      activeRegistrationsOfPartner: windows.length,
    });
    const autoApprovable = isAutoApprovable(program, partner, registration);
    const verdict = verdictOf(conflicts, autoApprovable);
    outcomes.set(registration.id, {
      registrationId: registration.id,
      verdict,
      conflicts,
      matchedAccountId: account.accountId,
      accountMatch: account.evidence,
      holderRegistrationId: holderOf(conflicts),
      autoApprovable,
    });

    if (verdict !== 'rejected') {
      const hold: Hold = {
        registrationId: registration.id,
        partnerId: partner.id,
        accountId: account.accountId,
        start: at,
        end: windowEnd(at, protectionDaysOf(program, partner.tier)),
        submittedAt: at,
      };
      const position = held.push({ hold, company }) - 1;
      if (account.accountId) pushTo(heldByAccount, account.accountId, position);
      else newLogoIndex.add(position, company);
      windows.push(hold.end);
    }
  }
  return input.registrations.map((r) => outcomes.get(r.id)!);
}
