import { CandidateIndex } from '../matching/candidate-index';
import {
  compareRecords,
  type Evidence,
  matchScore,
  type PreparedRecord,
} from '../matching/compare';
import { type MatchInput, prepareRecord } from '../matching/prepare';

export interface AccountMatch {
  accountId: string | null;
  evidence: Evidence[];
}

/**
 * Finds the account a registered company is: a domain match first, else the best name match at or
 * above the threshold; ties go to the account listed first. No match: a new logo.
 */
export class AccountMatcher {
  private readonly accounts: PreparedRecord[];
  private readonly index: CandidateIndex;

  constructor(
    accounts: readonly MatchInput[],
    private readonly nameThreshold: number,
  ) {
    this.accounts = accounts.map(prepareRecord);
    this.index = new CandidateIndex(this.accounts);
  }

  match(company: PreparedRecord): AccountMatch {
    const settings = { nameThreshold: this.nameThreshold };
    let best: { position: number; score: number } | undefined;
    for (const position of this.index.candidates(-1, company)) {
      const score = matchScore(company, this.accounts[position]!, settings);
      if (score === undefined) continue;
      if (!best || score > best.score || (score === best.score && position < best.position))
        best = { position, score };
    }
    if (!best) return { accountId: null, evidence: [] };
    const account = this.accounts[best.position]!;
    return { accountId: account.id, evidence: compareRecords(company, account, settings).evidence };
  }
}
