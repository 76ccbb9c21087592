import { z } from 'zod';

// The PartnerLens service as HubSpot reaches it; it must also be listed in app-hsmeta.json permittedUrls.fetch.
export const API_BASE = 'https://app.partnerlens.io';

/** Money as the API gives it: a decimal string in the currency's major unit, and the currency. */
const moneySchema = z.object({ amount: z.string(), currency: z.string() });
export type Money = z.infer<typeof moneySchema>;

const partnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  tier: z.string(),
  role: z.string(),
  sharePct: z.number(),
  partnerManager: z.string().nullable().default(null),
  certifications: z.array(z.string()).default([]),
  registration: z
    .object({
      id: z.string(),
      status: z.enum(['pending', 'approved']),
      daysLeft: z.number().nullable(),
    })
    .nullable()
    .default(null),
  performance: z
    .object({
      won12m: z.number(),
      lost12m: z.number(),
      winRate: z.number().nullable(),
      byVertical: z.record(z.string(), z.object({ won: z.number(), lost: z.number() })).default({}),
      sourcedWon12m: z.array(moneySchema),
      influencedWon12m: z.array(moneySchema),
      openPipeline: z.array(moneySchema),
      avgCycleDays: z.number().nullable(),
    })
    .nullable()
    .default(null),
  commission: z
    .union([
      z.object({
        basis: z.enum(['preview', 'ledger']),
        amount: moneySchema,
        status: z.enum(['accrued', 'approved', 'paid', 'void']).optional(),
        explanation: z.string(),
      }),
      z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
    ])
    .nullable()
    .default(null),
});

const registrationSchema = z.object({
  id: z.string(),
  partner: z.object({ id: z.string(), name: z.string(), tier: z.string() }),
  status: z.enum(['pending', 'approved']),
  daysLeft: z.number().nullable(),
  company: z.object({ name: z.string(), domain: z.string().nullable() }).nullable().default(null),
  /** How the registration matched this deal's account (the matcher's evidence). */
  accountMatch: z.array(z.looseObject({ kind: z.string() })).default([]),
  conflicts: z.array(z.object({ kind: z.string(), partnerId: z.string(), message: z.string() })),
});

const suggestionSchema = z.object({
  partnerId: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  tier: z.string(),
  score: z.number(),
  parts: z.record(z.string(), z.number()),
  reasons: z.array(z.string()),
});

export const dealCardSchema = z.object({
  deal: z.object({
    id: z.string(),
    name: z.string(),
    amount: moneySchema.nullable(),
    stage: z.enum(['open', 'won', 'lost']),
  }),
  account: z
    .object({
      name: z.string(),
      domain: z.string().nullable(),
      industry: z.string().nullable().default(null),
      industryLabel: z.string().nullable().default(null),
    })
    .nullable(),
  partners: z.array(partnerSchema),
  registrations: z.array(registrationSchema).default([]),
  suggestions: z.array(suggestionSchema).default([]),
});

export type DealCard = z.infer<typeof dealCardSchema>;
export type CardPartner = z.infer<typeof partnerSchema>;
export type CardRegistration = z.infer<typeof registrationSchema>;
export type CardSuggestion = z.infer<typeof suggestionSchema>;

/** The shape of hubspot.fetch that the card needs; tests inject their own. */
export type CardFetcher = (
  url: string,
  options: { method: 'GET' | 'POST'; timeout: number; body?: Record<string, unknown> },
) => Promise<Pick<Response, 'ok' | 'status' | 'json'>>;

const errorMessage = async (response: Pick<Response, 'status' | 'json'>) => {
  const body: unknown = await response.json().catch(() => undefined);
  const message = z.object({ error: z.object({ message: z.string() }) }).safeParse(body);
  return message.success ? message.data.error.message : `PartnerLens answered ${response.status}`;
};

/**
 * Accepts a suggestion: the partner goes on the deal (and into the CRM) as an influencing
 * co-seller; the service splits the influencing share evenly, as the CRM's labels will.
 */
export async function addCoSeller(
  fetcher: CardFetcher,
  dealId: string,
  partnerId: string,
): Promise<void> {
  const response = await fetcher(
    `${API_BASE}/api/v1/deals/${encodeURIComponent(dealId)}/partners`,
    {
      method: 'POST',
      timeout: 8000,
      body: { partnerId, role: 'influenced' },
    },
  );
  if (!response.ok) throw new Error(await errorMessage(response));
}

/** Declines a suggestion: the partner is not suggested for this account again. */
export async function declineSuggestion(
  fetcher: CardFetcher,
  dealId: string,
  partnerId: string,
): Promise<void> {
  const response = await fetcher(
    `${API_BASE}/api/v1/deals/${encodeURIComponent(dealId)}/suggestions/${encodeURIComponent(partnerId)}/decline`,
    { method: 'POST', timeout: 8000, body: {} },
  );
  if (!response.ok) throw new Error(await errorMessage(response));
}

export async function loadDealCard(fetcher: CardFetcher, dealId: string): Promise<DealCard> {
  const response = await fetcher(`${API_BASE}/api/v1/deals/${encodeURIComponent(dealId)}/card`, {
    method: 'GET',
    timeout: 8000,
  });
  if (!response.ok) throw new Error(await errorMessage(response));
  return dealCardSchema.parse(await response.json().catch(() => undefined));
}
