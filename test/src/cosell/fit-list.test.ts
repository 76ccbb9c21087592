import fc from 'fast-check';

import { fitList, shortlist } from '../../../src/cosell/fit-list';
import {
  bestRevenueOf,
  type CosellCandidate,
  rankCosell,
  regionOfAccount,
} from '../../../src/cosell/rank';

const TIERS = ['registered', 'silver', 'gold', 'platinum'];
const INDUSTRY = 'RETAIL';

const partner = fc.record({
  active: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  tier: fc.constantFrom(...TIERS),
  regions: fc.subarray(['NA', 'LATAM', 'EMEA', 'APAC']),
  otherVertical: fc.boolean(),
  certifications: fc.subarray(['A', 'B', 'C', 'D']),
  record: fc.option(
    fc.record({
      won: fc.nat(30),
      lost: fc.nat(30),
      inVertical: fc.option(fc.record({ won: fc.nat(10), lost: fc.nat(10) })),
      wonRevenueMinor: fc.bigInt({ min: 0n, max: 10_000_000n }),
    }),
  ),
  // Overlap on a few: the rest compete on fit and revenue.
  overlap: fc.constantFrom(
    ...Array<null>(12).fill(null),
    'customer' as const,
    'open_opportunity' as const,
    'prospect' as const,
  ),
  excluded: fc.constantFrom('none', 'none', 'none', 'attached', 'declined', 'registration'),
});

const candidatesOf = (
  drawn: Array<ReturnType<typeof partner.generate>['value']>,
): CosellCandidate[] =>
  drawn.map((p, i) => ({
    partnerId: `p${String(i).padStart(3, '0')}`,
    // Few names, so that ties on score fall to the name and then the id.
    name: `Partner ${i % 7}`,
    tier: p.tier,
    active: p.active,
    regions: p.regions,
    // A fifth of them work elsewhere only (they can still overlap).
    verticals: p.otherVertical && i % 5 === 0 ? ['BANKING'] : [INDUSTRY],
    certifications: p.certifications,
    overlap: p.overlap,
    record: p.record && {
      won: p.record.won,
      lost: p.record.lost,
      wonRevenueMinor: p.record.wonRevenueMinor,
      byVertical: (p.record.inVertical ? { [INDUSTRY]: p.record.inVertical } : {}) as Record<
        string,
        { won: number; lost: number }
      >,
    },
    attached: p.excluded === 'attached',
    declined: p.excluded === 'declined',
    competingRegistration: p.excluded === 'registration',
  }));

describe('the fit list shortlist', () => {
  it('gives the same suggestions as ranking every partner in the industry', () => {
    fc.assert(
      fc.property(
        fc.array(partner, { minLength: 0, maxLength: 120, size: 'large' }),
        fc.constantFrom('DE', 'US', 'BR', 'JP', null),
        (drawn, country) => {
          const candidates = candidatesOf(drawn);
          const account = { name: 'Acme', industry: INDUSTRY, country };
          const every = rankCosell(account, candidates, { tiers: TIERS });

          const byId = new Map(candidates.map((c) => [c.partnerId, c]));
          const neutral = candidates.map((c) => ({ ...c, overlap: null }));
          const list = fitList(INDUSTRY, regionOfAccount(account), neutral, TIERS);
          const eligible = (id: string) => {
            const c = byId.get(id)!;
            return !c.attached && !c.declined && !c.competingRegistration;
          };
          const pool = new Set([
            ...candidates.filter((c) => c.overlap).map((c) => c.partnerId),
            ...shortlist(list, eligible),
          ]);
          const short = rankCosell(
            account,
            [...pool].map((id) => byId.get(id)!),
            { tiers: TIERS, bestRevenue: bestRevenueOf(candidates) },
          );
          expect(short.suggestions).toEqual(every.suggestions);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('stops well before the end of a long list', () => {
    const candidates = candidatesOf(
      Array.from({ length: 400 }, (_, i) => ({
        active: true,
        tier: TIERS[i % 4]!,
        regions: i % 3 === 0 ? ['EMEA'] : [],
        otherVertical: false,
        certifications: ['A', 'B', 'C', 'D'].slice(0, i % 5),
        record: null,
        overlap: null,
        excluded: 'none',
      })),
    );
    const list = fitList(INDUSTRY, 'EMEA', candidates, TIERS);
    const chosen = shortlist(list, () => true);
    expect(chosen.length).toBeGreaterThanOrEqual(5);
    expect(chosen.length).toBeLessThan(list.length / 2);
  });
});
