import { generateEcosystem, type SeedPartner } from './ecosystem';
import type { SeededRandom } from './random';

/** The HubSpot demo (seed 42) whose partners the Salesforce demo shares, under other spellings. */
export const HUBSPOT_DEMO_SEED = 42;

export interface PartnerTwin {
  hubspot: SeedPartner;
  name: string;
  /** What the admin typed in Website: not always the bare domain. */
  website: string;
  /** How the two records can be matched (DESIGN.md §3), for tests and the reconciliation bench. */
  evidence: 'domain' | 'name';
}

const TLD_SWAPS: Record<string, string> = {
  com: 'io',
  'co.uk': 'uk',
  de: 'eu',
  fr: 'eu',
  nl: 'eu',
  ca: 'com',
};

/**
 * Partners of the HubSpot demo as a Salesforce admin would have keyed them in: with a legal form
 * and a www. or partners. website (same registrable domain), or on another domain under the same
 * name, or with "&" for "and" and a deep link. The reconciliation engine has real work to do.
 */
export function partnerTwins(random: SeededRandom, count: number, now: Date): PartnerTwin[] {
  const hubspot = generateEcosystem({ seed: HUBSPOT_DEMO_SEED, now }).partners;
  const picked = random.sample(hubspot, Math.min(count, hubspot.length));
  return picked.map((partner, i): PartnerTwin => {
    const [base, ...rest] = partner.domain.split('.');
    const tld = rest.join('.');
    switch (i % 4) {
      case 0:
        return {
          hubspot: partner,
          name: `${partner.name} Inc.`,
          website: `https://www.${partner.domain}/`,
          evidence: 'domain',
        };
      case 1:
        return {
          hubspot: partner,
          name: partner.name.toUpperCase(),
          website: `partners.${partner.domain}`,
          evidence: 'domain',
        };
      case 2:
        return {
          hubspot: partner,
          name: `${partner.name} Ltd`,
          website: `https://${base}.${TLD_SWAPS[tld] ?? 'net'}`,
          evidence: 'name',
        };
      default:
        return {
          hubspot: partner,
          name: `The ${partner.name.replace(/ and /g, ' & ')}`,
          website: `http://${partner.domain}/about-us`,
          evidence: 'domain',
        };
    }
  });
}
