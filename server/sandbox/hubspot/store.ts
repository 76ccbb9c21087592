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
}

export interface SandboxApp {
  clientId: string;
  clientSecret: string;
}

interface AccessToken {
  portalId: string;
  expiresAt: number;
}

const ACCESS_TOKEN_SECONDS = 1800;

/** In-memory state of the local HubSpot: portals, their CRM objects and the OAuth tokens it issued. */
export class HubSpotSandboxStore {
  private readonly portals = new Map<string, SandboxPortal>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly accessTokens = new Map<string, AccessToken>();

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
    };
    this.portals.set(portalId, portal);
    return portal;
  }

  portal(portalId: string): SandboxPortal | undefined {
    return this.portals.get(portalId);
  }

  putObject(portal: SandboxPortal, type: SandboxObjectType, object: SandboxObject): void {
    portal.objects[type].set(object.id, object);
    portal.revisions[type]++;
  }

  deleteObject(portal: SandboxPortal, type: SandboxObjectType, id: string): void {
    portal.objects[type].delete(id);
    if (type === 'deals') portal.dealCompanies.delete(id);
    portal.revisions[type]++;
  }

  /** A refresh token for the portal, as an app install would have produced. */
  grantRefreshToken(
    portalId: string,
    token = `sandbox-refresh-${randomBytes(16).toString('hex')}`,
  ): string {
    this.refreshTokens.set(token, portalId);
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

  portalForAccessToken(accessToken: string): SandboxPortal | undefined {
    const token = this.accessTokens.get(accessToken);
    if (!token || token.expiresAt <= this.now()) return undefined;
    return this.portals.get(token.portalId);
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
