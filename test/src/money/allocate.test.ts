import fc from 'fast-check';

import { allocateEvenly } from '../../../src/money/allocate';

describe('allocateEvenly', () => {
  it('splits 100.00 % three ways as 33.34, 33.33, 33.33', () => {
    expect(allocateEvenly(10_000, 3)).toEqual([3334, 3333, 3333]);
  });

  it('always adds up to the total, with shares at most one unit apart', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 500 }),
        (total, parts) => {
          const shares = allocateEvenly(total, parts);
          expect(shares).toHaveLength(parts);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('refuses fractional totals and non-positive part counts', () => {
    expect(() => allocateEvenly(10.5, 2)).toThrow(RangeError);
    expect(() => allocateEvenly(10, 0)).toThrow(RangeError);
  });
});
