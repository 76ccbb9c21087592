import { CandidateIndex } from '../matching/candidate-index';
import { compareRecords, type Evidence, type PreparedRecord } from '../matching/compare';
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
    let best: { position: number; score: number; evidence: Evidence[] } | undefined;
    for (const position of this.index.candidates(-1, company)) {
      const result = compareRecords(company, this.accounts[position]!, {
        nameThreshold: this.nameThreshold,
      });
      if (!result.match) continue;
      if (
        !best ||
        result.score > best.score ||
        (result.score === best.score && position < best.position)
      ) {
        best = { position, score: result.score, evidence: result.evidence };
      }
    }
    return best
      ? { accountId: this.accounts[best.position]!.id, evidence: best.evidence }
      : { accountId: null, evidence: [] };
  }
}
