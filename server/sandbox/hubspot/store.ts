import { randomBytes } from 'node:crypto';

import {
  PARTNER_ROLE_BY_LABEL,
  type PartnerLabel,
  PRIMARY_COMPANY_TYPE_ID,
} from '../../crm/hubspot/partner-roles';

export type SandboxObjectType = 'companies' | 'deals';

export interface SandboxObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
}

export interface AssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

export interface SandboxAssociation {
  toObjectId: string;
  associationTypes: AssociationType[];
}

/** The deal→company labels PartnerLens creates on install, as the sandbox's portals have them. */
export const PARTNER_LABEL_TYPE_IDS: Record<PartnerLabel, number> = {
  'Sourced partner': 101,
  'Influencing partner': 102,
  Reseller: 103,
  'Referral partner': 104,
};

/** HubSpot's own deal→company types: the primary company, and the unlabelled default. */
export const HUBSPOT_PRIMARY_COMPANY: AssociationType[] = [
  { category: 'HUBSPOT_DEFINED', typeId: PRIMARY_COMPANY_TYPE_ID, label: 'Primary' },
  { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
];

/** Every deal→company association label a sandbox portal knows: HubSpot's own and the partner labels. */
export const DEAL_COMPANY_LABELS: AssociationType[] = [
  ...HUBSPOT_PRIMARY_COMPANY,
  ...(Object.keys(PARTNER_ROLE_BY_LABEL) as PartnerLabel[]).map((label) => ({
    category: 'USER_DEFINED' as const,
    typeId: PARTNER_LABEL_TYPE_IDS[label],
    label,
  })),
];

export interface SandboxPortal {
  portalId: string;
  /** Change through putObject / deleteObject, which count revisions for the paging index. */
  objects: Record<SandboxObjectType, Map<string, SandboxObject>>;
  revisions: Record<SandboxObjectType, number>;
  /** deal id → its company associations */
  dealCompanies: Map<string, SandboxAssociation[]>;
  /** Tasks (engagements) with the companies they are associated with; no webhooks for them. */
  tasks: Map<string, SandboxTask>;
  /**
   * The portal's daily API calls (private-app tokens: OAuth calls have no daily limit). `used`
   * counts the calls of `day` (UTC: the sandbox's portals keep that time zone).
   */
  daily: { limit: number; used: number; day: string };
}

/** HubSpot's daily limit for a free or Starter portal's private apps. */
export const SANDBOX_DAILY_LIMIT = 250_000;

export interface SandboxTask {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  companyIds: string[];
}

export interface SandboxApp {
  clientId: string;
  clientSecret: string;
}

interface AccessToken {
  portalId: string;
  expiresAt: number;
}

/** A change in a portal, as HubSpot's webhooks tell an installed app of it. */
export type SandboxChange = {
  portalId: string;
  objectType: SandboxObjectType;
  objectId: string;
} & (
  | { kind: 'creation' | 'deletion' }
  | { kind: 'propertyChange'; propertyName: string; propertyValue: string | null }
  | { kind: 'associationChange'; toObjectId: string; typeId: number; removed: boolean }
);

const ACCESS_TOKEN_SECONDS = 1800;

/** In-memory state of the local HubSpot: portals, their CRM objects and the OAuth tokens it issued. */
export class HubSpotSandboxStore {
  private readonly portals = new Map<string, SandboxPortal>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly codes = new Map<
    string,
    { portalId: string; redirectUri: string; expiresAt: number }
  >();
  private readonly listeners: Array<(change: SandboxChange) => void> = [];
  /** Portals the app is installed in (a refresh token was granted): they get webhooks. */
  readonly installed = new Set<string>();

  constructor(
    readonly app: SandboxApp,
    private readonly now: () => number = Date.now,
  ) {}

  addPortal(portalId: string): SandboxPortal {
    const portal: SandboxPortal = {
      portalId,
      objects: { companies: new Map(), deals: new Map() },
      revisions: { companies: 0, deals: 0 },
      dealCompanies: new Map(),
      tasks: new Map(),
      daily: { limit: SANDBOX_DAILY_LIMIT, used: 0, day: '' },
    };
    this.portals.set(portalId, portal);
    return portal;
  }

  portal(portalId: string): SandboxPortal | undefined {
    return this.portals.get(portalId);
  }

  /** Hears every change made through the store (what webhooks are made of). */
  onChange(listener: (change: SandboxChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: SandboxChange): void {
    for (const listener of this.listeners) listener(change);
  }

  putObject(portal: SandboxPortal, type: SandboxObjectType, object: SandboxObject): void {
    const before = portal.objects[type].get(object.id);
    portal.objects[type].set(object.id, object);
    portal.revisions[type]++;
    const at = { portalId: portal.portalId, objectType: type, objectId: object.id };
    if (!before) return this.emit({ ...at, kind: 'creation' });
    for (const [name, value] of Object.entries(object.properties))
      if ((before.properties[name] ?? null) !== value && name !== 'hs_lastmodifieddate')
        this.emit({ ...at, kind: 'propertyChange', propertyName: name, propertyValue: value });
  }

  deleteObject(portal: SandboxPortal, type: SandboxObjectType, id: string): void {
    portal.objects[type].delete(id);
    if (type === 'deals') portal.dealCompanies.delete(id);
    portal.revisions[type]++;
    this.emit({ portalId: portal.portalId, objectType: type, objectId: id, kind: 'deletion' });
  }

  /** Associates a deal with a company under these types (added to those it has). */
  associate(
    portal: SandboxPortal,
    dealId: string,
    companyId: string,
    types: AssociationType[],
  ): SandboxAssociation {
    const existing = portal.dealCompanies.get(dealId) ?? [];
    let association = existing.find((a) => a.toObjectId === companyId);
    if (!association) {
      association = { toObjectId: companyId, associationTypes: [] };
      portal.dealCompanies.set(dealId, [...existing, association]);
    }
    for (const type of types)
      if (!association.associationTypes.some((t) => t.typeId === type.typeId)) {
        association.associationTypes.push(type);
        this.emit({
          portalId: portal.portalId,
          objectType: 'deals',
          objectId: dealId,
          kind: 'associationChange',
          toObjectId: companyId,
          typeId: type.typeId,
          removed: false,
        });
      }
    return association;
  }

  /** Removes every association between a deal and a company. */
  dissociate(portal: SandboxPortal, dealId: string, companyId: string): boolean {
    const existing = portal.dealCompanies.get(dealId) ?? [];
    const removed = existing.find((a) => a.toObjectId === companyId);
    if (!removed) return false;
    portal.dealCompanies.set(
      dealId,
      existing.filter((a) => a !== removed),
    );
    for (const type of removed.associationTypes)
      this.emit({
        portalId: portal.portalId,
        objectType: 'deals',
        objectId: dealId,
        kind: 'associationChange',
        toObjectId: companyId,
        typeId: type.typeId,
        removed: true,
      });
    return true;
  }

  /** The consent step of an install: a one-time code for the portal, valid 5 minutes. */
  authorizationCode(portalId: string, redirectUri: string): string {
    const code = `sandbox-code-${randomBytes(16).toString('hex')}`;
    this.codes.set(code, { portalId, redirectUri, expiresAt: this.now() + 5 * 60 * 1000 });
    return code;
  }

  /** Spends an install's code (once, with the redirect URI it was given for) for a token pair. */
  exchangeCode(
    code: string,
    redirectUri: string,
  ):
    { portalId: string; refreshToken: string; accessToken: string; expiresIn: number } | undefined {
    const granted = this.codes.get(code);
    this.codes.delete(code);
    if (!granted || granted.expiresAt <= this.now() || granted.redirectUri !== redirectUri)
      return undefined;
    const refreshToken = this.grantRefreshToken(granted.portalId);
    const issued = this.exchangeRefreshToken(refreshToken)!;
    return { portalId: granted.portalId, refreshToken, ...issued };
  }

  /** The app uninstalled from the portal: its tokens stop working and its webhooks stop. */
  uninstall(portalId: string): void {
    this.installed.delete(portalId);
    for (const [token, portal] of this.refreshTokens)
      if (portal === portalId) this.refreshTokens.delete(token);
    for (const [token, access] of this.accessTokens)
      if (access.portalId === portalId && access.expiresAt !== Number.POSITIVE_INFINITY)
        this.accessTokens.delete(token);
  }

  /** A refresh token for the portal, as an app install would have produced. */
  grantRefreshToken(
    portalId: string,
    token = `sandbox-refresh-${randomBytes(16).toString('hex')}`,
  ): string {
    this.refreshTokens.set(token, portalId);
    this.installed.add(portalId);
    return token;
  }

  exchangeRefreshToken(
    refreshToken: string,
  ): { accessToken: string; expiresIn: number } | undefined {
    const portalId = this.refreshTokens.get(refreshToken);
    if (!portalId) return undefined;
    const accessToken = `sandbox-access-${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(accessToken, {
      portalId,
      expiresAt: this.now() + ACCESS_TOKEN_SECONDS * 1000,
    });
    return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  /**
   * An access token that does not expire while the sandbox runs, like a HubSpot private app's:
   * for scripts and the official client to drive the portal directly (.data/demo.json).
   */
  grantPrivateAppToken(portalId: string): string {
    const accessToken = `sandbox-pat-${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(accessToken, { portalId, expiresAt: Number.POSITIVE_INFINITY });
    return accessToken;
  }

  /** Whether the token is a private app's (its calls count against the portal's daily limit). */
  isPrivateAppToken(accessToken: string): boolean {
    return this.accessTokens.get(accessToken)?.expiresAt === Number.POSITIVE_INFINITY;
  }

  portalForAccessToken(accessToken: string): SandboxPortal | undefined {
    const token = this.accessTokens.get(accessToken);
    if (!token || token.expiresAt <= this.now()) return undefined;
    return this.portals.get(token.portalId);
  }

  /** Whether the portal exists in the sandbox. */
  hasPortal(portalId: string): boolean {
    return this.portals.has(portalId);
  }

  accessTokenInfo(accessToken: string): { portalId: string; expiresIn: number } | undefined {
    const token = this.accessTokens.get(accessToken);
    if (!token || token.expiresAt <= this.now()) return undefined;
    return {
      portalId: token.portalId,
      expiresIn: Math.floor((token.expiresAt - this.now()) / 1000),
    };
  }
}
