import { type ApiUsage, CrmAuthError, CrmBudgetError } from '../port';
import type { OrgSession } from './credentials';

export interface LimitSettings {
  /** The share of the org's daily API calls PartnerLens leaves to the org's other integrations. */
  reserve: number;
  /** Attempts of a call Salesforce answered REQUEST_LIMIT_EXCEEDED or 5xx. */
  retries: number;
  /** The first pause before such a retry; each next one doubles. */
  backoffMs: number;
}

/**
 * 10 %: Salesforce counts every integration's calls against one daily allocation, and an org that
 * hits it stops its own users' tools too; PartnerLens never takes the last tenth.
 */
export const DEFAULT_LIMITS: LimitSettings = { reserve: 0.1, retries: 5, backoffMs: 500 };

const TRANSIENT = new Set(['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW']);

interface SalesforceError {
  errorCode?: string;
  name?: string;
  statusCode?: number;
  message?: string;
}

const codeOf = (error: SalesforceError) => error.errorCode ?? error.name ?? '';

/**
 * Every call PartnerLens makes to one org: refused before it is sent when the org's usage (from
 * Sforce-Limit-Info, which jsforce reads into limitInfo) is into the reserve; retried with a
 * growing pause on REQUEST_LIMIT_EXCEEDED (also the concurrent-request limit, which clears in
 * seconds) and 5xx; a refresh Salesforce refused is a CrmAuthError.
 */
export class OrgApi {
  calls = 0;

  constructor(
    readonly session: OrgSession,
    readonly settings: LimitSettings = DEFAULT_LIMITS,
  ) {}

  get conn() {
    return this.session.conn;
  }

  usage(): ApiUsage | undefined {
    const live = this.session.conn.limitInfo?.apiUsage;
    return live ? { used: live.used, limit: live.limit } : this.session.storedUsage;
  }

  private checkBudget(): void {
    const usage = this.usage();
    if (!usage || usage.limit <= 0) return;
    const ceiling = Math.floor(usage.limit * (1 - this.settings.reserve));
    if (usage.used >= ceiling)
      throw new CrmBudgetError(
        `Paused: the org has used ${usage.used} of its ${usage.limit} daily API calls; PartnerLens keeps the last ${Math.round(this.settings.reserve * 100)} % for the org's other integrations and resumes when Salesforce's rolling 24-hour count has room`,
        usage,
      );
  }

  /** Whether the usage stored by an earlier sync says the budget was spent (worth one fresh look). */
  async refreshUsageIfSpent(): Promise<void> {
    const usage = this.usage();
    if (!usage || this.session.conn.limitInfo?.apiUsage) return;
    if (usage.used >= Math.floor(usage.limit * (1 - this.settings.reserve))) {
      this.session.storedUsage = undefined;
      await this.call(() => this.session.conn.limits());
    }
  }

  async call<T>(request: () => PromiseLike<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.checkBudget();
      try {
        this.calls++;
        return await request();
      } catch (error) {
        if (this.session.revoked) throw new CrmAuthError(this.session.revoked.reason);
        const e = error as SalesforceError;
        const code = codeOf(e);
        const status = e.statusCode ?? 0;
        const transient = TRANSIENT.has(code) || (status >= 500 && status < 600);
        if (!transient) throw error;
        if (attempt >= this.settings.retries) {
          if (code === 'REQUEST_LIMIT_EXCEEDED')
            throw new CrmBudgetError(
              `Paused: Salesforce refuses calls (REQUEST_LIMIT_EXCEEDED: ${e.message ?? 'limit exceeded'}); the next sync resumes`,
              this.usage(),
            );
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, this.settings.backoffMs * 2 ** attempt));
      }
    }
  }
}
