import type { CardFetcher, CardPartner, DealCard } from '../card-api.ts';

export const createPartner = (overrides: Partial<CardPartner> = {}): CardPartner => ({
  id: '5b1c9f0e-3f0a-4c55-9a57-2c9d0f0e1a01',
  name: 'Northwind Cloud Partners',
  type: 'reseller',
  tier: 'gold',
  role: 'sourced',
  sharePct: 100,
  commission: null,
  ...overrides,
});

export const createDealCard = (overrides: Partial<DealCard> = {}): DealCard => ({
  deal: { id: '123', name: 'Acme renewal', amount: '12500.00', currency: 'USD', stage: 'open' },
  account: { name: 'Acme Corp', domain: 'acme.com' },
  partners: [createPartner()],
  registrations: [],
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
