import { createHash, randomBytes } from 'node:crypto';

import { type Fault, FaultPlan } from './faults';
import { type OrgOptions, SalesforceOrg } from './org';
import { ApiUsage } from './rate-limit';

export interface SalesforceApp {
  clientId: string;
  clientSecret: string;
  /** Callback URLs of the connected app; when absent any redirect_uri is accepted (development). */
  redirectUris?: string[];
  /** Access token lifetime (Salesforce's session timeout, 2 hours by default). */
  accessTokenSeconds?: number;
}

interface Grant {
  orgId: string;
  userId: string;
  revoked: boolean;
}

interface Session {
  orgId: string;
  userId: string;
  expiresAt: number;
  /** The refresh token it came from: revoking that ends the session too. */
  refreshToken?: string;
  revoked: boolean;
}

interface AuthorizationCode {
  orgId: string;
  userId: string;
  redirectUri: string;
  codeChallenge?: string;
  expiresAt: number;
}

const CODE_SECONDS = 15 * 60;
const token = (kind: string) => `${kind}!${randomBytes(24).toString('base64url')}`;

export type SessionLookup =
  { ok: true; org: SalesforceOrg; userId: string } | { ok: false; reason: 'unknown' | 'expired' };

/** In-memory state of the local Salesforce: orgs, the tokens it issued, and the tests' fault plans. */
export class SalesforceSandboxStore {
  private readonly orgsById = new Map<string, SalesforceOrg>();
  private readonly grants = new Map<string, Grant>();
  private readonly sessions = new Map<string, Session>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly usage = new Map<string, ApiUsage>();
  private readonly faultPlans = new Map<string, FaultPlan>();
  /** Set by the running server: instance_url and the identity URLs start with it. */
  baseUrl = '';
  /**
   * Rows per Bulk API 2.0 results page when the caller gives no maxRecords. Salesforce cuts pages
   * by size; one page by default keeps jsforce 3.10.16's bulk2.query whole, which misreads later
   * pages (their header row becomes a record, and pages can interleave).
   */
  bulkPageSize = 1_000_000;

  constructor(
    readonly app: SalesforceApp,
    readonly now: () => number = Date.now,
  ) {}

  addOrg(options: OrgOptions): SalesforceOrg {
    const org = new SalesforceOrg(options, this.now);
    this.orgsById.set(org.orgId, org);
    this.usage.set(org.orgId, new ApiUsage(this.now));
    this.faultPlans.set(org.orgId, new FaultPlan());
    return org;
  }

  org(orgId: string): SalesforceOrg | undefined {
    return this.orgsById.get(orgId);
  }

  get orgs(): SalesforceOrg[] {
    return [...this.orgsById.values()];
  }

  apiUsage(orgId: string): ApiUsage {
    return this.usage.get(orgId)!;
  }

  faults(orgId: string): FaultPlan {
    return this.faultPlans.get(orgId)!;
  }

  /** Makes the org's next `count` API calls fail with the fault (503, REQUEST_LIMIT_EXCEEDED, …). */
  failNext(orgId: string, count: number, fault: Fault): void {
    this.faults(orgId).add(count, fault);
  }

  /** A refresh token for the org, as a completed OAuth consent would have produced. */
  grantRefreshToken(orgId: string, userId?: string): string {
    const org = this.org(orgId);
    if (!org) throw new Error(`no org ${orgId}`);
    const refreshToken = token(`5Aep${orgId.slice(3, 8)}`);
    this.grants.set(refreshToken, { orgId, userId: userId ?? org.defaultUserId, revoked: false });
    return refreshToken;
  }

  /** An access/refresh token pair for the org, so a demo or a test can connect without a browser. */
  grantTokens(orgId: string, userId?: string): { accessToken: string; refreshToken: string } {
    const refreshToken = this.grantRefreshToken(orgId, userId);
    return { accessToken: this.refresh(refreshToken)!.accessToken, refreshToken };
  }

  refresh(
    refreshToken: string,
  ): { accessToken: string; orgId: string; userId: string } | undefined {
    const grant = this.grants.get(refreshToken);
    if (!grant || grant.revoked) return undefined;
    return {
      ...this.openSession(grant.orgId, grant.userId, refreshToken),
      orgId: grant.orgId,
      userId: grant.userId,
    };
  }

  private openSession(orgId: string, userId: string, refreshToken?: string) {
    const accessToken = token(orgId.slice(0, 15));
    const seconds = this.app.accessTokenSeconds ?? 7200;
    this.sessions.set(accessToken, {
      orgId,
      userId,
      expiresAt: this.now() + seconds * 1000,
      ...(refreshToken ? { refreshToken } : {}),
      revoked: false,
    });
    return { accessToken };
  }

  session(accessToken: string): SessionLookup {
    const session = this.sessions.get(accessToken);
    const grant = session?.refreshToken ? this.grants.get(session.refreshToken) : undefined;
    if (!session || session.revoked || grant?.revoked) return { ok: false, reason: 'unknown' };
    if (session.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, org: this.org(session.orgId)!, userId: session.userId };
  }

  /** Whether the token was issued and not revoked, expired or not (CometD sessions do not expire). */
  sessionRevoked(accessToken: string): boolean {
    const session = this.sessions.get(accessToken);
    const grant = session?.refreshToken ? this.grants.get(session.refreshToken) : undefined;
    return !session || session.revoked || Boolean(grant?.revoked);
  }

  issueCode(orgId: string, redirectUri: string, codeChallenge?: string): string {
    const code = token('aPrx');
    this.codes.set(code, {
      orgId,
      userId: this.org(orgId)!.defaultUserId,
      redirectUri,
      ...(codeChallenge ? { codeChallenge } : {}),
      expiresAt: this.now() + CODE_SECONDS * 1000,
    });
    return code;
  }

  /** Redeems an authorization code once: same redirect_uri, and the PKCE verifier if a challenge was sent. */
  redeemCode(
    code: string,
    redirectUri: string | undefined,
    codeVerifier: string | undefined,
  ): { accessToken: string; refreshToken: string; orgId: string; userId: string } | undefined {
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || issued.expiresAt <= this.now() || issued.redirectUri !== redirectUri)
      return undefined;
    if (issued.codeChallenge) {
      const digest = codeVerifier && createHash('sha256').update(codeVerifier).digest('base64url');
      if (digest !== issued.codeChallenge) return undefined;
    }
    const refreshToken = this.grantRefreshToken(issued.orgId, issued.userId);
    const session = this.openSession(issued.orgId, issued.userId, refreshToken);
    return { ...session, refreshToken, orgId: issued.orgId, userId: issued.userId };
  }

  /** /services/oauth2/revoke: a refresh token ends every session it gave; an access token only itself. */
  revoke(tokenValue: string): boolean {
    const grant = this.grants.get(tokenValue);
    if (grant) return (grant.revoked = true);
    const session = this.sessions.get(tokenValue);
    if (session) return (session.revoked = true);
    return false;
  }

  /** Ends the access tokens of an org (or all) now, as if their session timeout had passed. */
  expireAccessTokens(orgId?: string): void {
    for (const session of this.sessions.values())
      if (!orgId || session.orgId === orgId) session.expiresAt = this.now();
  }
}
