import { type CosellCandidate, rankCosell } from '../../../src/cosell/rank';
import { salesRegionOf } from '../../../src/cosell/region';
import { COSELL_WEIGHTS } from '../../../src/cosell/weights';

const TIERS = ['registered', 'silver', 'gold', 'platinum'];
const account = { name: 'Acme Corp', industry: 'COMPUTER_SOFTWARE', country: 'DE' };

const candidate = (overrides: Partial<CosellCandidate> = {}): CosellCandidate => ({
  partnerId: overrides.name ?? 'p',
  name: 'Partner',
  tier: 'registered',
  active: true,
  regions: [],
  verticals: [],
  certifications: [],
  overlap: null,
  record: null,
  attached: false,
  declined: false,
  competingRegistration: false,
  ...overrides,
});
const rank = (candidates: CosellCandidate[]) => rankCosell(account, candidates, { tiers: TIERS });

describe('co-sell ranking', () => {
  it('puts a customer overlap above an open opportunity above a prospect', () => {
    const { suggestions } = rank([
      candidate({ name: 'Prospect Co', overlap: 'prospect' }),
      candidate({ name: 'Customer Co', overlap: 'customer' }),
      candidate({ name: 'Opportunity Co', overlap: 'open_opportunity' }),
    ]);
    expect(suggestions.map((s) => s.name)).toEqual([
      'Customer Co',
      'Opportunity Co',
      'Prospect Co',
    ]);
    expect(suggestions[0]!.reasons).toContain('Has Acme Corp as a customer in its account list');
  });

  it('adds vertical, region, certifications, track record and tier, each explained', () => {
    const [best] = rank([
      candidate({
        name: 'Full Fit',
        overlap: 'customer',
        verticals: ['COMPUTER_SOFTWARE'],
        regions: ['EMEA'],
        certifications: ['Certified Implementer'],
        tier: 'platinum',
        record: {
          won: 2,
          lost: 8,
          wonRevenueMinor: 1_000_00n,
          byVertical: { COMPUTER_SOFTWARE: { won: 3, lost: 1 } },
        },
      }),
    ]).suggestions;
    expect(best!.parts).toEqual({
      overlap: COSELL_WEIGHTS.overlap.customer,
      vertical: COSELL_WEIGHTS.vertical,
      region: COSELL_WEIGHTS.region,
      certifications: COSELL_WEIGHTS.certification,
      // the vertical's 3 of 4 beats the overall 2 of 10; the only revenue is the best revenue
      // parts are rounded to one decimal
      trackRecord:
        Math.round(((COSELL_WEIGHTS.winRate * 3) / 4 + COSELL_WEIGHTS.wonRevenue) * 10) / 10,
      tier: COSELL_WEIGHTS.tier,
    });
    expect(best!.score).toBe(Object.values(best!.parts).reduce((a, b) => a + b, 0));
    expect(best!.reasons).toEqual([
      'Has Acme Corp as a customer in its account list',
      'Works in computer software',
      'Covers Europe, the Middle East and Africa',
      'Certified: Certified Implementer',
      'Won 3 of 4 deals (75 %) in computer software',
      'Platinum tier',
    ]);
  });

  it('falls back to the overall win rate with too few decided deals in the vertical, and to none below that', () => {
    const withRecord = (won: number, lost: number, vWon: number, vLost: number) =>
      rank([
        candidate({
          overlap: 'prospect',
          record: {
            won,
            lost,
            wonRevenueMinor: 0n,
            byVertical: { COMPUTER_SOFTWARE: { won: vWon, lost: vLost } },
          },
        }),
      ]).suggestions[0]!;
    expect(withRecord(4, 4, 1, 1).reasons).toContain('Won 4 of 8 deals (50 %)');
    expect(withRecord(1, 1, 1, 0).parts.trackRecord).toBe(0);
  });

  it.each([
    [{ active: false }, 'inactive'],
    [{ attached: true }, 'attached'],
    [{ declined: true }, 'declined'],
    [{ competingRegistration: true }, 'competing_registration'],
  ] as const)('leaves out a partner %j, saying why', (overrides, reason) => {
    const result = rank([candidate({ name: 'Out', overlap: 'customer', ...overrides })]);
    expect(result.suggestions).toEqual([]);
    expect(result.excluded).toEqual([{ partnerId: 'Out', reason }]);
  });

  it('suggests nobody without overlap or the vertical, and at most five', () => {
    expect(rank([candidate({ regions: ['EMEA'], tier: 'platinum' })]).suggestions).toEqual([]);
    const many = Array.from({ length: 8 }, (_, i) =>
      candidate({ name: `P${i}`, overlap: 'prospect' }),
    );
    expect(rank(many).suggestions.map((s) => s.name)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
  });
});

describe('the weights', () => {
  it('let nothing but overlap outrank a customer, or an open opportunity in the vertical', () => {
    const w = COSELL_WEIGHTS;
    const withoutOverlap =
      w.vertical + w.region + w.certificationsMax + w.winRate + w.wonRevenue + w.tier;
    expect(withoutOverlap).toBeLessThan(w.overlap.customer);
    expect(withoutOverlap).toBeLessThan(w.overlap.open_opportunity + w.vertical);
  });
});

describe('overlap first', () => {
  it('puts a customer overlap and nothing else above a partner with everything but overlap', () => {
    const { suggestions } = rank([
      candidate({
        name: 'Everything Else',
        verticals: ['COMPUTER_SOFTWARE'],
        regions: ['EMEA'],
        certifications: ['a', 'b', 'c', 'd'],
        tier: 'platinum',
        record: {
          won: 9,
          lost: 0,
          wonRevenueMinor: 10n ** 9n,
          byVertical: { COMPUTER_SOFTWARE: { won: 9, lost: 0 } },
        },
      }),
      candidate({ name: 'Only Overlap', overlap: 'customer' }),
    ]);
    expect(suggestions.map((s) => s.name)).toEqual(['Only Overlap', 'Everything Else']);
  });

  it('measures won revenue against the partners that can be suggested only', () => {
    const record = (wonRevenueMinor: bigint) => ({
      won: 0,
      lost: 0,
      wonRevenueMinor,
      byVertical: {},
    });
    const { suggestions } = rank([
      candidate({ name: 'Giant', overlap: 'customer', attached: true, record: record(10n ** 9n) }),
      candidate({ name: 'Small', overlap: 'prospect', record: record(1000n) }),
    ]);
    expect(suggestions[0]!.parts.trackRecord).toBe(COSELL_WEIGHTS.wonRevenue);
  });
});

describe('sales regions', () => {
  it.each([
    ['US', 'NA'],
    ['ca', 'NA'],
    ['MX', 'LATAM'],
    ['BR', 'LATAM'],
    ['DE', 'EMEA'],
    ['ZA', 'EMEA'],
    ['AE', 'EMEA'],
    ['JP', 'APAC'],
    ['AU', 'APAC'],
  ])('%s is in %s', (country, region) => {
    expect(salesRegionOf(country)).toBe(region);
  });

  it('knows no region for an unknown or missing country', () => {
    expect(salesRegionOf('XX')).toBeUndefined();
    expect(salesRegionOf(null)).toBeUndefined();
  });
});
