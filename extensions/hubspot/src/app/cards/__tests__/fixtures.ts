import type {
  CardFetcher,
  CardPartner,
  CardRegistration,
  CardSuggestion,
  DealCard,
} from '../card-api.ts';

export const createPartner = (overrides: Partial<CardPartner> = {}): CardPartner => ({
  id: '5b1c9f0e-3f0a-4c55-9a57-2c9d0f0e1a01',
  name: 'Northwind Cloud Partners',
  type: 'reseller',
  tier: 'gold',
  role: 'sourced',
  sharePct: 100,
  partnerManager: null,
  certifications: [],
  registration: null,
  performance: null,
  commission: null,
  ...overrides,
});

export const createRegistration = (
  overrides: Partial<CardRegistration> = {},
): CardRegistration => ({
  id: 'r1',
  partner: { id: 'p9', name: 'Contoso Partners', tier: 'gold' },
  status: 'approved',
  daysLeft: 42,
  company: { name: 'Acme Corporation', domain: 'acme.com' },
  accountMatch: [{ kind: 'domain', domain: 'acme.com' }],
  conflicts: [],
  ...overrides,
});

export const createDealCard = (overrides: Partial<DealCard> = {}): DealCard => ({
  deal: {
    id: '123',
    name: 'Acme renewal',
    amount: { amount: '12500.00', currency: 'USD' },
    stage: 'open',
  },
  account: {
    name: 'Acme Corp',
    domain: 'acme.com',
    industry: 'COMPUTER_SOFTWARE',
    industryLabel: 'Computer software',
  },
  partners: [createPartner()],
  registrations: [],
  suggestions: [],
  ...overrides,
});

export const createSuggestion = (overrides: Partial<CardSuggestion> = {}): CardSuggestion => ({
  partnerId: 's1',
  name: 'Contoso Cloud',
  type: 'system_integrator',
  tier: 'platinum',
  score: 73,
  parts: { overlap: 50, vertical: 10, region: 5, certifications: 0, trackRecord: 0, tier: 8 },
  reasons: ['Has Acme Corp as a customer in its account list', 'Works in computer software'],
  ...overrides,
});

export const respondWith = (status: number, body: unknown): ReturnType<CardFetcher> =>
  Promise.resolve({ ok: status >= 200 && status < 300, status, json: () => Promise.resolve(body) });

interface RenderedNode {
  text?: string | null;
  childNodes?: RenderedNode[];
}

/** All text under a rendered node: the testing renderer only sets .text where the children are plain text. */
export const textOf = (node: RenderedNode): string =>
  node.childNodes && node.childNodes.length > 0
    ? node.childNodes.map(textOf).join(' ')
    : (node.text ?? '');
