import { z } from 'zod';

// The PartnerLens service as HubSpot reaches it; it must also be listed in app-hsmeta.json permittedUrls.fetch.
export const API_BASE = 'https://app.partnerlens.io';

const partnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  tier: z.string(),
  role: z.string(),
  sharePct: z.number(),
  commission: z
    .union([
      z.object({
        amountMinor: z.string(),
        currency: z.string(),
        rateBps: z.number(),
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
  conflicts: z.array(z.object({ kind: z.string(), partnerId: z.string(), message: z.string() })),
});

export const dealCardSchema = z.object({
  deal: z.object({
    id: z.string(),
    name: z.string(),
    amount: z.string().nullable(),
    currency: z.string().nullable(),
    stage: z.enum(['open', 'won', 'lost']),
  }),
  account: z.object({ name: z.string(), domain: z.string().nullable() }).nullable(),
  partners: z.array(partnerSchema),
  registrations: z.array(registrationSchema).default([]),
});

export type DealCard = z.infer<typeof dealCardSchema>;
export type CardPartner = z.infer<typeof partnerSchema>;
export type CardRegistration = z.infer<typeof registrationSchema>;

/** The shape of hubspot.fetch that the card needs; tests inject their own. */
export type CardFetcher = (
  url: string,
  options: { method: 'GET'; timeout: number },
) => Promise<Pick<Response, 'ok' | 'status' | 'json'>>;

export async function loadDealCard(fetcher: CardFetcher, dealId: string): Promise<DealCard> {
  const response = await fetcher(`${API_BASE}/api/v1/deals/${encodeURIComponent(dealId)}/card`, {
    method: 'GET',
    timeout: 8000,
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = z.object({ error: z.object({ message: z.string() }) }).safeParse(body);
    throw new Error(
      message.success ? message.data.error.message : `PartnerLens answered ${response.status}`,
    );
  }
  return dealCardSchema.parse(body);
}
