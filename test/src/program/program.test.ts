import { capOf, parseProgram, protectionDaysOf } from '../../../src/program/program';

describe('the program', () => {
  it('fills every default from an empty document', () => {
    const result = parseProgram({});
    expect(result.ok && result.value).toEqual({
      currency: 'USD',
      tiers: ['registered', 'silver', 'gold', 'platinum'],
      protectionDays: { default: 90, byTier: {} },
      extension: { days: 30, max: 1 },
      approvalSlaHours: 48,
      caps: { activeRegistrationsByTier: {} },
      conflicts: {
        directOpportunity: 'warn',
        existingCustomer: 'warn',
        existingCustomerMonths: 12,
      },
      matching: { nameThreshold: 0.9 },
      autoApprove: { enabled: false },
      slaTasks: {
        enabled: true,
        share: 0.75,
        ownersByManager: {},
        salesforce: { ownersByManager: {} },
      },
      rates: [],
      clawbackDays: 90,
    });
  });

  it('accepts the example of DESIGN.md §7', () => {
    const result = parseProgram({
      currency: 'USD',
      tiers: ['registered', 'silver', 'gold', 'platinum'],
      protectionDays: { default: 90, byTier: { platinum: 120 } },
      extension: { days: 30, max: 1 },
      approvalSlaHours: 48,
      caps: { activeRegistrationsByTier: { registered: 5, silver: 25 } },
      conflicts: {
        directOpportunity: 'warn',
        existingCustomer: 'warn',
        existingCustomerMonths: 12,
      },
      matching: { nameThreshold: 0.9 },
      autoApprove: { enabled: true, minTier: 'gold', maxAmount: 50000 },
      rates: [
        { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
        { partnerType: 'referral', tier: '*', role: 'sourced', rateBps: 1500 },
        { partnerType: '*', tier: '*', role: 'influenced', rateBps: 500, capMinor: 500000 },
      ],
      clawbackDays: 90,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(protectionDaysOf(result.value, 'platinum')).toBe(120);
    expect(protectionDaysOf(result.value, 'gold')).toBe(90);
    expect(capOf(result.value, 'silver')).toBe(25);
    expect(capOf(result.value, 'gold')).toBeUndefined();
  });

  it('rejects a bad program with the path of each bad field', () => {
    const result = parseProgram({
      currency: 'usd',
      protectionDays: { default: 0, byTier: { diamond: 30 } },
      conflicts: { directOpportunity: 'maybe' },
      autoApprove: { enabled: true, minTier: 'titanium' },
      rates: [
        { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 12000 },
        { partnerType: 'x', tier: '*', role: '', rateBps: 1 },
      ],
      surprise: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PROGRAM.INVALID');
    expect(result.error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'currency',
        'protectionDays.default',
        'conflicts.directOpportunity',
        'rates.0.rateBps',
        'rates.1.role',
      ]),
    );
  });

  it('ignores fields it does not know, such as a name or a rate-card version', () => {
    const result = parseProgram({
      name: 'FY27 program',
      rateCardVersion: 3,
      autoApprove: { enabled: true, note: 'x' },
    });
    expect(result.ok && result.value.autoApprove).toEqual({ enabled: true });
  });

  it('checks that tiers named elsewhere are tiers of the program', () => {
    const result = parseProgram({
      protectionDays: { byTier: { diamond: 30 } },
      caps: { activeRegistrationsByTier: { bronze: 1 } },
      autoApprove: { minTier: 'titanium' },
    });
    expect(!result.ok && result.error.issues.map((i) => i.path)).toEqual([
      'protectionDays.byTier.diamond',
      'caps.activeRegistrationsByTier.bronze',
      'autoApprove.minTier',
    ]);
  });

  it('checks marginal bands: ascending limits, the last one open', () => {
    const result = parseProgram({
      rates: [
        {
          partnerType: '*',
          tier: '*',
          role: '*',
          rateBps: 1000,
          bands: [
            { uptoMinor: 500, rateBps: 1000 },
            { uptoMinor: 400, rateBps: 500 },
          ],
        },
      ],
    });
    expect(!result.ok && result.error.issues.map((i) => i.path)).toEqual([
      'rates.0.bands.1.uptoMinor',
      'rates.0.bands.1.uptoMinor',
    ]);
  });
});
