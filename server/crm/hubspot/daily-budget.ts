import { type ApiUsage, CrmBudgetError } from '../port';

/**
 * A portal's daily API budget as HubSpot's answers state it (`X-HubSpot-RateLimit-Daily` and
 * `-Daily-Remaining`, counted per portal and reset at midnight in the portal's time zone). HubSpot
 * sends them only on calls not made with OAuth (private-app tokens): a marketplace install has no
 * daily limit, and its budget stays unknown. Like the Salesforce org's budget, the last tenth is
 * left to the portal's other tools: PartnerLens stops before it, and the connection is paused.
 */
export class DailyBudget {
  private seen: ApiUsage | undefined;

  constructor(private readonly reserve = 0.1) {}

  /** What an answer (a success or an error) says of the day's budget. */
  observe(headers: Record<string, string | undefined>): void {
    const limit = Number(headers['x-hubspot-ratelimit-daily']);
    const remaining = Number(headers['x-hubspot-ratelimit-daily-remaining']);
    if (!Number.isFinite(limit) || limit <= 0 || !Number.isFinite(remaining)) return;
    this.seen = { used: Math.max(0, limit - Math.max(0, remaining)), limit };
  }

  usage(): ApiUsage | undefined {
    return this.seen;
  }

  /** Whether the calls made so far reached the reserve. */
  spent(): boolean {
    return this.seen !== undefined && this.seen.used >= this.ceiling(this.seen.limit);
  }

  /** Refuses the next call when the day's calls reached the reserve. */
  check(): void {
    if (!this.spent()) return;
    const { used, limit } = this.seen!;
    throw new CrmBudgetError(
      `Paused: the portal has used ${used} of its ${limit} daily API calls; PartnerLens keeps the last ${Math.round(this.reserve * 100)} % for the portal's other tools and resumes when HubSpot's day starts again`,
      this.seen,
    );
  }

  private ceiling(limit: number): number {
    return Math.floor(limit * (1 - this.reserve));
  }
}
