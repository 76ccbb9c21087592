import { SeededRandom } from '../../server/sandbox/seed/random';
import {
  COUNTRIES,
  INDUSTRIES,
  NAME_ROOTS,
  NAME_STEMS,
  TIERS,
} from '../../server/sandbox/seed/vocabulary';
import type { DealFacts, PartnerFacts, RegistrationFacts } from '../../src/registrations/types';
import {
  domainVariant,
  nameVariant,
  type Organisation,
  SECOND_WORDS,
  slug,
} from './labelled-companies';

export interface TenantSize {
  partners: number;
  accounts: number;
  deals: number;
  registrations: number;
}

/** DESIGN.md §8's large tenant (account lists come with issue 6). */
export const LARGE_TENANT: TenantSize = {
  partners: 5_000,
  accounts: 200_000,
  deals: 500_000,
  registrations: 100_000,
};

export interface GeneratedTenant {
  partners: PartnerFacts[];
  accounts: Array<{ id: string; name: string; domain: string; country: string }>;
  deals: DealFacts[];
  registrations: RegistrationFacts[];
  /** The account each registration really is (null: a new logo) — the answer key. */
  truth: Map<string, string | null>;
}

const DAY = 86_400_000;

/**
 * A tenant for the registration bench: accounts with distinct realistic names; deals over the
 * last 18 months; registrations that name an account the way partners write it (legal forms,
 * case, typos, URLs, free-mail) or a company that is not an account yet (a fifth are new logos).
 */
export function generateTenant(options: {
  seed: number;
  size: TenantSize;
  start: number;
}): GeneratedTenant {
  const random = new SeededRandom(options.seed);
  const { size, start } = options;
  const span = 540 * DAY;

  const partners: PartnerFacts[] = Array.from({ length: size.partners }, (_, i) => ({
    id: `P${i + 1}`,
    tier: random.weighted(TIERS.map((tier, k) => [tier, [40, 30, 20, 10][k]!] as const)),
    status: random.chance(0.95) ? 'active' : 'inactive',
  }));

  const names = new Set<string>();
  const organisation = (): Organisation => {
    for (;;) {
      const industry = random.pick(Object.keys(INDUSTRIES)) as keyof typeof INDUSTRIES;
      const name = `${random.pick(NAME_STEMS)}${random.pick(NAME_ROOTS)} ${random.pick(SECOND_WORDS)} ${random.pick(INDUSTRIES[industry])}`;
      if (names.has(name)) continue;
      names.add(name);
      const country = random.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
      return { id: '', name, domain: `${slug(name)}.${country.tld}`, country };
    }
  };
  const organisations = Array.from({ length: size.accounts }, (_, i) => ({
    ...organisation(),
    id: `A${i + 1}`,
  }));
  const accounts = organisations.map((o) => ({
    id: o.id,
    name: o.name,
    domain: random.chance(0.9) ? o.domain! : '',
    country: o.country.name,
  }));

  const deals: DealFacts[] = Array.from({ length: size.deals }, (_, i) => {
    const createdAt = start + random.int(0, span);
    const stage = random.weighted([
      ['open', 45],
      ['won', 35],
      ['lost', 20],
    ] as const);
    return {
      id: `D${i + 1}`,
      accountId: random.pick(organisations).id,
      stage,
      createdAt,
      closedAt: stage === 'open' ? null : createdAt + random.int(7, 180) * DAY,
      partnerIds: random.chance(0.5) ? [random.pick(partners).id] : [],
    };
  });

  const truth = new Map<string, string | null>();
  const newLogos: Organisation[] = [];
  const registrations: RegistrationFacts[] = Array.from({ length: size.registrations }, (_, i) => {
    const id = `R${i + 1}`;
    // A fifth are new logos, some registered twice (by rival partners, or again by the same one).
    const isNew = random.chance(0.2);
    const org = isNew
      ? newLogos.length > 0 && random.chance(0.3)
        ? random.pick(newLogos)
        : newLogos[newLogos.push(organisation()) - 1]!
      : random.pick(organisations);
    truth.set(id, isNew ? null : org.id);
    const amount = random.chance(0.9) ? `${random.int(1, 200) * 500}.00` : null;
    return {
      id,
      partnerId: random.pick(partners).id,
      companyName: nameVariant(random, org),
      companyDomain: domainVariant(random, org) || null,
      amount,
      currency: amount
        ? random.weighted([
            ['USD', 90],
            ['EUR', 10],
          ] as const)
        : null,
      submittedAt: start + 90 * DAY + random.int(0, span - 90 * DAY),
    };
  });
  return { partners, accounts, deals, registrations, truth };
}
