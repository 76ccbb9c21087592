import fc from 'fast-check';

import { accrueDeal } from '../../../src/commissions/accrue';
import { resolveRate } from '../../../src/commissions/rate-card';
import { simulateCommissions } from '../../../src/commissions/simulate';
import {
  type Attribution,
  type CommissionDeal,
  type CommissionPartner,
  FULL_SHARE,
  SHARE_SCALE,
} from '../../../src/commissions/types';
import { divideRounded, parseScaled } from '../../../src/money/decimal';
import { parseProgram, type Program } from '../../../src/program/program';

const DAY = 86_400_000;
const CLOSED = Date.parse('2026-03-01T00:00:00Z');

const program = (overrides: Record<string, unknown> = {}): Program => {
  const result = parseProgram({
    rates: [
      { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
      { partnerType: 'referral', tier: '*', role: 'sourced', rateBps: 1500 },
      { partnerType: '*', tier: '*', role: 'influenced', rateBps: 500, capMinor: 500000 },
    ],
    ...overrides,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const partners = new Map<string, CommissionPartner>([
  ['gold-reseller', { id: 'gold-reseller', type: 'reseller', tier: 'gold' }],
  ['silver-reseller', { id: 'silver-reseller', type: 'reseller', tier: 'silver' }],
  ['referrer', { id: 'referrer', type: 'referral', tier: 'registered' }],
  ['unclassified', { id: 'unclassified', type: null, tier: 'registered' }],
]);
const deal = (amountMinor: bigint, overrides: Partial<CommissionDeal> = {}): CommissionDeal => ({
  id: 'D1',
  stage: 'won',
  amountMinor,
  currency: 'USD',
  closedAt: CLOSED,
  ...overrides,
});
const share = (pct: string) => parseScaled(pct, SHARE_SCALE)!;
const attribution = (partnerId: string, role: string, pct = '100'): Attribution => ({
  dealId: 'D1',
  partnerId,
  role,
  shareScaled: share(pct),
});
const amounts = (result: ReturnType<typeof accrueDeal>) => result.lines.map((l) => l.amountMinor);

describe('rounding', () => {
  it('rounds half away from zero, exactly', () => {
    expect([
      divideRounded(5n, 2n),
      divideRounded(-5n, 2n),
      divideRounded(7n, 3n),
      divideRounded(-7n, 3n),
      divideRounded(1n, 3n),
    ]).toEqual([3n, -3n, 2n, -2n, 0n]);
  });
});

describe('rate cards', () => {
  it('pick the most specific matching row, ties to the first listed', () => {
    const rows = program({
      rates: [
        { partnerType: '*', tier: 'gold', role: 'sourced', rateBps: 1 },
        { partnerType: 'reseller', tier: '*', role: 'sourced', rateBps: 2 },
        { partnerType: 'reseller', tier: 'gold', role: '*', rateBps: 3 },
        { partnerType: '*', tier: '*', role: '*', rateBps: 4 },
      ],
    }).rates;
    expect(
      resolveRate(rows, { partnerType: 'reseller', tier: 'gold', role: 'sourced' })!.row.rateBps,
    ).toBe(1);
    expect(
      resolveRate(rows, { partnerType: 'msp', tier: 'silver', role: 'referral' })!.row.rateBps,
    ).toBe(4);
  });

  it('give an unclassified partner only wildcard rows', () => {
    expect(
      resolveRate(program().rates, { partnerType: null, tier: 'gold', role: 'sourced' }),
    ).toBeUndefined();
  });
});

describe('accruing a won deal', () => {
  it('pays base × rate × share, rounded once', () => {
    expect(
      amounts(
        accrueDeal(
          program(),
          deal(1_250_000n),
          [attribution('gold-reseller', 'sourced')],
          partners,
        ),
      ),
    ).toEqual([375_000n]);
    expect(
      amounts(
        accrueDeal(
          program(),
          deal(1_001n),
          [attribution('gold-reseller', 'sourced', '50')],
          partners,
        ),
      ),
    ).toEqual([150n]); // 150.15
    expect(
      amounts(
        accrueDeal(
          program(),
          deal(1_001n),
          [attribution('referrer', 'sourced', '66.6667')],
          partners,
        ),
      ),
    ).toEqual([100n]); // 100.1
    expect(
      amounts(
        accrueDeal(program(), deal(5n), [attribution('gold-reseller', 'sourced', '50')], partners),
      ),
    ).toEqual([1n]); // 0.75
  });

  it('caps a line at the row’s capMinor', () => {
    expect(
      amounts(
        accrueDeal(program(), deal(20_000_000n), [attribution('referrer', 'influenced')], partners),
      ),
    ).toEqual([500_000n]);
  });

  it('applies bands marginally over the amount, then the share', () => {
    const banded = program({
      rates: [
        {
          partnerType: '*',
          tier: '*',
          role: '*',
          rateBps: 1000,
          bands: [
            { uptoMinor: 1_000_000, rateBps: 1000 },
            { uptoMinor: 5_000_000, rateBps: 500 },
            { rateBps: 200 },
          ],
        },
      ],
    });
    // 10,000.00 at 10 % + 40,000.00 at 5 % + 10,000.00 at 2 % = 3,200.00; half of it = 1,600.00
    expect(
      amounts(
        accrueDeal(
          banded,
          deal(6_000_000n),
          [attribution('silver-reseller', 'sourced', '50')],
          partners,
        ),
      ),
    ).toEqual([160_000n]);
    expect(
      amounts(
        accrueDeal(banded, deal(500_000n), [attribution('silver-reseller', 'sourced')], partners),
      ),
    ).toEqual([50_000n]);
  });

  it("counts in the deal currency's minor units, rounding there (JPY has no decimals)", () => {
    expect(
      amounts(
        accrueDeal(
          program(),
          deal(1_250_005n, { currency: 'JPY' }),
          [attribution('gold-reseller', 'sourced')],
          partners,
        ),
      ),
    ).toEqual([375_002n]); // 375001.5
  });

  it('freezes rate, tier and rate row on each line', () => {
    const [line] = accrueDeal(
      program(),
      deal(100n),
      [attribution('referrer', 'sourced')],
      partners,
    ).lines;
    expect(line).toMatchObject({ rateBps: 1500, tier: 'registered', rateRow: 1, kind: 'accrual' });
  });

  it('makes the whole deal an error when one role’s shares pass 100 %', () => {
    const result = accrueDeal(
      program(),
      deal(100_000n),
      [
        attribution('gold-reseller', 'sourced', '60'),
        attribution('referrer', 'sourced', '40.0001'),
        attribution('referrer', 'influenced', '100'),
      ],
      partners,
    );
    expect(result.lines).toEqual([]);
    expect(result.errors).toEqual([
      {
        dealId: 'D1',
        partnerId: null,
        code: 'SHARES.OVER_100',
        message: 'sourced shares on deal D1 add up to 100.0001 %',
      },
    ]);
  });

  it('reports a partner with no rate row as an error, never a silent zero, and pays the others', () => {
    const result = accrueDeal(
      program(),
      deal(100_000n),
      [attribution('silver-reseller', 'sourced'), attribution('referrer', 'influenced')],
      partners,
    );
    expect(result.errors).toMatchObject([{ partnerId: 'silver-reseller', code: 'RATE.NOT_FOUND' }]);
    expect(amounts(result)).toEqual([5_000n]);
  });

  it('pays nothing on open and lost deals, and reports a won deal without an amount', () => {
    expect(
      accrueDeal(
        program(),
        deal(100n, { stage: 'lost' }),
        [attribution('referrer', 'sourced')],
        partners,
      ),
    ).toEqual({ lines: [], errors: [] });
    expect(
      accrueDeal(
        program(),
        deal(100n, { amountMinor: null }),
        [attribution('referrer', 'sourced')],
        partners,
      ).errors[0]!.code,
    ).toBe('DEAL.NO_AMOUNT');
  });

  it('never pays a line more than its share of the rate on the whole deal (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 5 }),
        (amount, rawShares) => {
          const total = rawShares.reduce((a, b) => a + b, 0);
          const shares = rawShares.map((s) => (BigInt(s) * FULL_SHARE) / BigInt(total));
          const attributions = shares.map((s, i) => ({
            dealId: 'D1',
            partnerId: i % 2 ? 'referrer' : 'gold-reseller',
            role: `r${i}`,
            shareScaled: s,
          }));
          const p = program({ rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 3000 }] });
          const lines = accrueDeal(p, deal(amount), attributions, partners).lines;
          const pool = amount * 3000n; // minor × bps
          lines.forEach((line, i) => {
            const exactTimes2 = 2n * pool * shares[i]!; // × 2 to compare with half a unit
            const scale = 10_000n * FULL_SHARE;
            expect(2n * line.amountMinor * scale - exactTimes2 <= scale).toBe(true); // at most ½ minor above exact
            expect(line.amountMinor <= divideRounded(pool, 10_000n)).toBe(true);
          });
        },
      ),
    );
  });

  it('splits a role so its lines never exceed the pool by more than half a minor unit each (property)', () => {
    // The pool is the rate on the whole deal times the role's total share, unrounded. DESIGN.md
    // rounds each line once, so n lines can each round up: docs/commissions.md has the example.
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 100 }),
        (amount, rawShares, percent) => {
          const total = rawShares.reduce((a, b) => a + b, 0);
          const shares = rawShares.map(
            (s) => (BigInt(s) * BigInt(percent) * FULL_SHARE) / (100n * BigInt(total)),
          );
          const attributions = shares.map((s, i) => ({
            dealId: 'D1',
            partnerId: i % 2 ? 'referrer' : 'gold-reseller',
            role: 'sourced',
            shareScaled: s,
          }));
          const p = program({ rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 3000 }] });
          const { lines, errors } = accrueDeal(p, deal(amount), attributions, partners);
          expect(errors).toEqual([]);
          const scale = 10_000n * FULL_SHARE;
          const pool = amount * 3000n * shares.reduce((a, b) => a + b, 0n); // × scale
          const paid = lines.reduce((sum, line) => sum + line.amountMinor, 0n);
          expect(2n * paid * scale <= 2n * pool + BigInt(lines.length) * scale).toBe(true);
          expect(paid <= divideRounded(amount * 3000n, 10_000n) + BigInt(lines.length)).toBe(true);
        },
      ),
    );
  });
});

describe('clawbacks', () => {
  const accrualOf = (amount: bigint) =>
    simulateCommissions({
      program: program(),
      partners: [...partners.values()],
      deals: [deal(amount)],
      attributions: [attribution('gold-reseller', 'sourced')],
    });
  const refund = (days: number, amountMinor: bigint, currency = 'USD') => ({
    dealId: 'D1',
    refundedAt: CLOSED + days * DAY,
    amountMinor,
    currency,
  });
  const simulate = (amount: bigint, refunds: ReturnType<typeof refund>[]) =>
    simulateCommissions({
      program: program(),
      partners: [...partners.values()],
      deals: [deal(amount)],
      attributions: [attribution('gold-reseller', 'sourced')],
      refunds,
    });

  it('take back round(line × refund / deal amount) within clawbackDays of the close, edges included', () => {
    expect(accrualOf(1_000_000n).lines.map((l) => l.amountMinor)).toEqual([300_000n]);
    expect(
      simulate(1_000_000n, [refund(90, 250_000n)]).lines.map((l) => [l.kind, l.amountMinor]),
    ).toEqual([
      ['accrual', 300_000n],
      ['clawback', -75_000n],
    ]);
    expect(simulate(1_000_000n, [refund(0, 10_000n)]).lines.at(-1)!.amountMinor).toBe(-3_000n);
    expect(simulate(1_000_000n, [refund(90.0000001, 250_000n)]).lines).toHaveLength(1);
    expect(simulate(1_000_000n, [refund(-1, 250_000n)]).lines).toHaveLength(1);
  });

  it('never take back more than was accrued, over several refunds', () => {
    const result = simulate(1_000_000n, [refund(1, 800_000n), refund(2, 800_000n)]);
    expect(result.lines.map((l) => l.amountMinor)).toEqual([300_000n, -240_000n, -60_000n]);
  });

  it('report a refund in another currency', () => {
    expect(simulate(1_000_000n, [refund(1, 100n, 'EUR')]).errors[0]!.code).toBe(
      'REFUND.CURRENCY_MISMATCH',
    );
  });

  it('never exceed accruals, whatever the refunds (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 10n }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 10n }), { maxLength: 6 }),
        (amount, refunds) => {
          const result = simulate(
            amount,
            refunds.map((r, i) => refund(i, r)),
          );
          const accrued = result.lines
            .filter((l) => l.kind === 'accrual')
            .reduce((sum, l) => sum + l.amountMinor, 0n);
          const clawed = result.lines
            .filter((l) => l.kind === 'clawback')
            .reduce((sum, l) => sum - l.amountMinor, 0n);
          expect(clawed >= 0n && clawed <= accrued).toBe(true);
        },
      ),
    );
  });
});
