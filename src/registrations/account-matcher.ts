import { CandidateIndex } from '../matching/candidate-index';
import {
  compareRecords,
  type Evidence,
  matchScore,
  type PreparedRecord,
  sameDomain,
} from '../matching/compare';
import { type MatchInput, prepareRecord } from '../matching/prepare';

export interface AccountMatch {
  accountId: string | null;
  evidence: Evidence[];
}

/**
 * Finds the account a registered company is: the best match at or above the threshold (a domain
 * match scores 1), ties to the account listed first. No match: a new logo.
 */
export class AccountMatcher {
  private readonly accounts: PreparedRecord[];
  private readonly index: CandidateIndex;
  /** Accounts by registrable domain and by whole normalised name: the exact matches. */
  private readonly exact = new Map<string, number[]>();

  constructor(
    accounts: readonly MatchInput[],
    private readonly nameThreshold: number,
  ) {
    this.accounts = accounts.map(prepareRecord);
    this.index = new CandidateIndex(this.accounts);
    this.accounts.forEach((account, position) => {
      for (const key of exactKeys(account)) {
        const list = this.exact.get(key);
        if (list) list.push(position);
        else this.exact.set(key, [position]);
      }
    });
  }

  match(company: PreparedRecord): AccountMatch {
    const settings = { nameThreshold: this.nameThreshold };
    // A shared company domain outranks any name match (DESIGN.md §3: "same registrable domain ⇒
    // match. Otherwise" the name); then the higher score; ties go to the account listed first.
    const best = (positions: Iterable<number>) => {
      let found: { position: number; rank: number } | undefined;
      for (const position of positions) {
        const account = this.accounts[position]!;
        const score = matchScore(company, account, settings);
        if (score === undefined) continue;
        const rank = sameDomain(company, account) ? 2 : score;
        if (!found || rank > found.rank || (rank === found.rank && position < found.position))
          found = { position, rank };
      }
      return found;
    };
    // An exact hit scores 1, which no other candidate can beat: the blocking scan is only needed
    // without one. (A name equal only up to word order also scores 1; that rare tie may go to an
    // exact hit listed later.)
    const exactHit = best(exactKeys(company).flatMap((key) => this.exact.get(key) ?? []));
    const found =
      exactHit && exactHit.rank >= 1 ? exactHit : best(this.index.candidates(-1, company));
    if (!found) return { accountId: null, evidence: [] };
    const account = this.accounts[found.position]!;
    return { accountId: account.id, evidence: compareRecords(company, account, settings).evidence };
  }
}

function exactKeys(record: PreparedRecord): string[] {
  const keys: string[] = [];
  if (record.domain) keys.push(`d:${record.domain.registrable}`);
  if (record.name) keys.push(`n:${record.name.compact}`);
  return keys;
}
