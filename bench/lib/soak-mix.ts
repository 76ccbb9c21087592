import { randomBytes } from 'node:crypto';

import type { Client } from '@hubspot/api-client';

import type { Database } from '../../server/db/database';
import { atFixedRate, KindStats } from './soak-load';

/** Calls a second of each kind; decisions follow each registration left pending. */
export const SOAK_RATES = {
  cardsPerSecond: Number(process.env.SOAK_CARDS_PER_SECOND ?? 20),
  registrationsPerSecond: Number(process.env.SOAK_REGISTRATIONS_PER_SECOND ?? 2),
  dealChangesPerSecond: Number(process.env.SOAK_DEAL_CHANGES_PER_SECOND ?? 1),
};
const MAX_IN_FLIGHT = 50;
const LETTERS = 'bcdfghjklmnpqrstvwxz';
const word = () =>
  [...randomBytes(7)].map((byte, i) => (i % 2 ? 'aeiou'[byte % 5] : LETTERS[byte % 20])).join('');
const FRESHNESS_TIMEOUT_MS = 30_000;

interface Target {
  db: Database;
  tenantId: string;
  apiUrl: string;
  headers: Record<string, string>;
  hubspot: Client;
}

/**
 * The soak's mixed load, all kinds at once for `seconds`: cards of open deals in turn;
 * registrations of new companies by the program's partners in turn, each one left pending then
 * decided (approved for gold and platinum partners, rejected for the others, whose tiers have
 * caps); and deal amounts changed in the local HubSpot, timed until the card shows the change
 * (the signed webhook, the changes worker's re-read, the mirror).
 */
export async function soakLoad(target: Target, seconds: number) {
  const { db, tenantId } = target;
  const deals = await db.query<{ crm_id: string }>(
    `select crm_id from deals where tenant_id = $1 and crm = 'hubspot' and stage = 'open'
      order by crm_id limit 400`,
    [tenantId],
  );
  const partners = await db.query<{ id: string; tier: string }>(
    `select id, tier from partners where tenant_id = $1 and status = 'active' order by name`,
    [tenantId],
  );
  if (deals.length < 100 || partners.length === 0)
    throw new Error(
      `the demo tenant is not synced: ${deals.length} open deals, ${partners.length} partners`,
    );
  const stats = {
    card: new KindStats(),
    registration: new KindStats(),
    decision: new KindStats(),
    webhook: new KindStats(),
  };
  const outcomes: Record<string, number> = {};
  const call = async (
    kind: keyof typeof stats,
    method: string,
    route: string,
    body: unknown,
    expected: number,
  ) => {
    const started = performance.now();
    try {
      const response = await fetch(`${target.apiUrl}/api/v1${route}`, {
        method,
        headers: target.headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== expected) {
        stats[kind].error(ms, `${method} ${route} ${response.status} ${text}`);
        return undefined;
      }
      stats[kind].ok(ms);
      return JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      stats[kind].error(performance.now() - started, `${method} ${route} ${String(error)}`);
      return undefined;
    }
  };

  const cards = atFixedRate(SOAK_RATES.cardsPerSecond, seconds, MAX_IN_FLIGHT, stats.card, (n) =>
    call('card', 'GET', `/deals/${deals[n % deals.length]!.crm_id}/card`, undefined, 200).then(),
  );
  const registrations = atFixedRate(
    SOAK_RATES.registrationsPerSecond,
    seconds,
    MAX_IN_FLIGHT,
    stats.registration,
    async (n) => {
      const partner = partners[n % partners.length]!;
      const submitted = await call(
        'registration',
        'POST',
        '/registrations',
        {
          partnerId: partner.id,
          // Names and domains unlike each other and the CRM's, so each is a company of its own.
          companyName: `${word()} ${word()} ${word()}`,
          companyDomain: `${word()}${word()}.com`,
          // Above the program's auto-approval limit, so that each waits for its decision.
          amount: { amount: '75000.00', currency: 'USD' },
        },
        201,
      );
      const status = String(submitted?.status ?? 'failed');
      const why =
        status === 'rejected' ? `rejected: ${String(submitted?.rejectionReason)}` : status;
      outcomes[why] = (outcomes[why] ?? 0) + 1;
      if (status !== 'pending') return;
      const approve = partner.tier === 'gold' || partner.tier === 'platinum';
      await call(
        'decision',
        'POST',
        `/registrations/${String(submitted!.id)}/decision`,
        approve ? { decision: 'approve' } : { decision: 'reject', reason: 'soak: not qualified' },
        200,
      );
    },
  );
  const changes = atFixedRate(
    SOAK_RATES.dealChangesPerSecond,
    seconds,
    MAX_IN_FLIGHT,
    stats.webhook,
    (n) => changeAndWait(target, deals[(n * 7) % deals.length]!.crm_id, n, stats.webhook),
  );
  await Promise.all([cards, registrations, changes]);
  return {
    rates: SOAK_RATES,
    card: stats.card.summary(),
    registration: { ...stats.registration.summary(), outcomes },
    decision: stats.decision.summary(),
    webhookFreshness: stats.webhook.summary(),
  };
}

/** A deal's amount changed through @hubspot/api-client, then its card read until it shows it. */
async function changeAndWait(target: Target, dealId: string, n: number, stats: KindStats) {
  const amount = (60_000 + n + 0.5).toFixed(2);
  const started = performance.now();
  try {
    await target.hubspot.crm.deals.basicApi.update(dealId, { properties: { amount } });
    for (;;) {
      const response = await fetch(`${target.apiUrl}/api/v1/deals/${dealId}/card`, {
        headers: target.headers,
      });
      const card = (await response.json()) as { deal?: { amount?: { amount: string } } };
      if (Number(card.deal?.amount?.amount) === Number(amount)) break;
      if (performance.now() - started > FRESHNESS_TIMEOUT_MS)
        return stats.error(performance.now() - started, `deal ${dealId} never showed ${amount}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stats.ok(performance.now() - started);
  } catch (error) {
    stats.error(performance.now() - started, `deal ${dealId}: ${String(error)}`);
  }
}
