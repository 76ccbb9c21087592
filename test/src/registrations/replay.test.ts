import { parseProgram, type Program } from '../../../src/program/program';
import { type ReplayInput, replayRegistrations } from '../../../src/registrations/replay';
import type { DealFacts, RegistrationFacts } from '../../../src/registrations/types';

const t = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

const program = (overrides: Record<string, unknown> = {}): Program => {
  const result = parseProgram({
    autoApprove: { enabled: true, minTier: 'gold', maxAmount: 50000 },
    caps: { activeRegistrationsByTier: { registered: 1 } },
    protectionDays: { default: 90, byTier: { platinum: 120 } },
    ...overrides,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

const partners: ReplayInput['partners'] = [
  { id: 'P1', tier: 'gold', status: 'active' },
  { id: 'P2', tier: 'silver', status: 'active' },
  { id: 'P3', tier: 'registered', status: 'active' },
  { id: 'P4', tier: 'gold', status: 'inactive' },
  { id: 'P5', tier: 'platinum', status: 'active' },
];
const accounts = [
  { id: 'A1', name: 'Acme Corp', domain: 'acme.com' },
  { id: 'A2', name: 'Globex', domain: 'globex.com' },
  { id: 'A3', name: 'Initech', domain: 'initech.com' },
  { id: 'A4', name: 'Umbrella Group', domain: 'umbrella.com' },
  { id: 'A5', name: 'Hooli', domain: 'hooli.com' },
];
const deal = (id: string, accountId: string, fields: Partial<DealFacts>): DealFacts => ({
  id,
  accountId,
  stage: 'open',
  createdAt: t('2026-01-01T00:00:00Z'),
  closedAt: null,
  partnerIds: [],
  ...fields,
});
const registration = (
  id: string,
  partnerId: string,
  companyName: string,
  submitted: string,
  fields: Partial<RegistrationFacts> = {},
): RegistrationFacts => ({
  id,
  partnerId,
  companyName,
  companyDomain: null,
  amount: '10000.00',
  currency: 'USD',
  submittedAt: t(submitted),
  ...fields,
});

const replay = (
  registrations: RegistrationFacts[],
  options: { program?: Program; deals?: DealFacts[] } = {},
) => {
  const outcomes = replayRegistrations({
    program: options.program ?? program(),
    partners,
    accounts,
    deals: options.deals ?? [],
    registrations,
  });
  return Object.fromEntries(
    outcomes.map((o) => [
      o.registrationId,
      {
        verdict: o.verdict,
        conflicts: o.conflicts.map((c) => c.kind),
        account: o.matchedAccountId,
        holder: o.holderRegistrationId,
      },
    ]),
  );
};

describe('replaying registrations', () => {
  describe('with no conflict', () => {
    it('approves a gold partner within the amount limit, matched to the account by domain or name', () => {
      expect(
        replay([
          registration('R1', 'P1', 'ACME, Inc.', '2026-02-01T00:00:00Z', {
            companyDomain: 'https://www.acme.com',
          }),
        ]).R1,
      ).toEqual({ verdict: 'approved', conflicts: [], account: 'A1', holder: null });
      expect(
        replay([registration('R1', 'P1', 'Acme Corporation', '2026-02-01T00:00:00Z')]).R1!.account,
      ).toBe('A1');
    });

    it.each([
      ['a tier below minTier', registration('R', 'P2', 'Acme', '2026-02-01T00:00:00Z')],
      [
        'an amount above maxAmount',
        registration('R', 'P1', 'Acme', '2026-02-01T00:00:00Z', { amount: '50000.01' }),
      ],
      [
        'another currency',
        registration('R', 'P1', 'Acme', '2026-02-01T00:00:00Z', { currency: 'EUR' }),
      ],
      [
        'no amount',
        registration('R', 'P1', 'Acme', '2026-02-01T00:00:00Z', { amount: null, currency: null }),
      ],
    ])('sends %s to review', (_case, r) => {
      expect(replay([r]).R!.verdict).toBe('review');
    });

    it('approves an amount exactly at maxAmount', () => {
      expect(
        replay([registration('R', 'P1', 'Acme', '2026-02-01T00:00:00Z', { amount: '50000' })]).R!
          .verdict,
      ).toBe('approved');
    });

    it('sends everything to review when auto-approve is off', () => {
      expect(
        replay([registration('R', 'P1', 'Acme', '2026-02-01T00:00:00Z')], {
          program: program({ autoApprove: { enabled: false } }),
        }).R!.verdict,
      ).toBe('review');
    });
  });

  it('prefers the account with the same domain to one with the same name (DESIGN.md §3: domain first)', () => {
    const result = replay([
      registration('R', 'P1', 'Acme Corp', '2026-02-01T00:00:00Z', { companyDomain: 'globex.com' }),
    ]);
    expect(result.R!.account).toBe('A2');
  });

  describe('when two partners register the same company', () => {
    it('rejects the later one as a competing registration held by the earlier', () => {
      const result = replay([
        registration('R1', 'P1', 'Acme Corp', '2026-02-01T00:00:00Z', {
          companyDomain: 'acme.com',
        }),
        registration('R2', 'P2', 'ACME Corporation', '2026-02-02T00:00:00Z'),
      ]);
      expect(result.R2).toEqual({
        verdict: 'rejected',
        conflicts: ['competing_registration'],
        account: 'A1',
        holder: 'R1',
      });
    });

    it('rejects the same partner registering it again as a duplicate submission', () => {
      const result = replay([
        registration('R1', 'P1', 'Acme', '2026-02-01T00:00:00Z'),
        registration('R2', 'P1', 'Acme Corp', '2026-02-03T00:00:00Z', {
          companyDomain: 'www.acme.com',
        }),
      ]);
      expect(result.R2).toMatchObject({
        verdict: 'rejected',
        conflicts: ['duplicate_submission'],
        holder: 'R1',
      });
    });

    it('decides by submission time, whatever the file order, and ties by registration id', () => {
      const same = '2026-02-01T00:00:00Z';
      const result = replay([
        registration('R21', 'P2', 'Acme', same),
        registration('R20', 'P1', 'Acme', same),
      ]);
      expect(result.R20!.verdict).toBe('approved');
      expect(result.R21).toMatchObject({ verdict: 'rejected', holder: 'R20' });
      const numeric = replay([
        registration('10', 'P2', 'Acme', same),
        registration('9', 'P1', 'Acme', same),
      ]);
      expect(numeric['10']).toMatchObject({ verdict: 'rejected', holder: '9' });
    });

    it('lets a rejected registration hold nothing', () => {
      const result = replay([
        registration('R1', 'P4', 'Acme', '2026-02-01T00:00:00Z'),
        registration('R2', 'P1', 'Acme', '2026-02-02T00:00:00Z'),
      ]);
      expect(result.R1!.verdict).toBe('rejected');
      expect(result.R2!.verdict).toBe('approved');
    });

    it('lets a registration in review hold its company like an approved one', () => {
      const result = replay([
        registration('R1', 'P2', 'Acme', '2026-02-01T00:00:00Z'),
        registration('R2', 'P1', 'Acme', '2026-02-02T00:00:00Z'),
      ]);
      expect(result.R1!.verdict).toBe('review');
      expect(result.R2).toMatchObject({ verdict: 'rejected', holder: 'R1' });
    });

    it('matches new logos to each other: no account, still competing', () => {
      const result = replay([
        registration('R1', 'P1', 'Stark Industries', '2026-02-01T00:00:00Z', {
          companyDomain: 'stark.com',
        }),
        registration('R2', 'P2', 'STARK INDUSTRIES INC.', '2026-02-02T00:00:00Z'),
      ]);
      expect(result.R1!.account).toBeNull();
      expect(result.R2).toEqual({
        verdict: 'rejected',
        conflicts: ['competing_registration'],
        account: null,
        holder: 'R1',
      });
    });
  });

  describe('protection windows', () => {
    const start = '2026-02-01T00:00:00Z';
    it("cover [submission, submission + the holder tier's days × 24 h)", () => {
      const justInside = new Date(t(start) + 90 * DAY - 1).toISOString();
      const atEnd = new Date(t(start) + 90 * DAY).toISOString();
      const result = replay([
        registration('R1', 'P1', 'Acme', start),
        registration('R2', 'P2', 'Acme', justInside),
        registration('R3', 'P2', 'Acme Corp', atEnd),
      ]);
      expect(result.R2!.verdict).toBe('rejected');
      expect(result.R3).toMatchObject({ verdict: 'review', conflicts: [] });
    });

    it('last the byTier days for that tier', () => {
      const day100 = new Date(t(start) + 100 * DAY).toISOString();
      const result = replay([
        registration('R1', 'P5', 'Acme', start),
        registration('R2', 'P2', 'Acme', day100),
      ]);
      expect(result.R2).toMatchObject({ verdict: 'rejected', holder: 'R1' });
    });
  });

  describe('deals on the account', () => {
    it('warn of a direct opportunity open at submission, or block it when the program says so', () => {
      const deals = [deal('D1', 'A2', {})];
      const r = [registration('R', 'P1', 'Globex', '2026-02-04T00:00:00Z')];
      expect(replay(r, { deals }).R).toMatchObject({
        verdict: 'review',
        conflicts: ['direct_opportunity'],
      });
      expect(
        replay(r, { deals, program: program({ conflicts: { directOpportunity: 'block' } }) }).R,
      ).toMatchObject({ verdict: 'rejected' });
    });

    it('count a deal that was open at submission though lost since, and not one created after', () => {
      const r = [registration('R', 'P1', 'Hooli', '2026-01-10T00:00:00Z')];
      expect(
        replay(r, {
          deals: [
            deal('D5', 'A5', {
              stage: 'lost',
              createdAt: t('2025-01-01T00:00:00Z'),
              closedAt: t('2026-01-15T00:00:00Z'),
            }),
          ],
        }).R!.conflicts,
      ).toEqual(['direct_opportunity']);
      expect(
        replay(r, { deals: [deal('D4', 'A5', { createdAt: t('2026-03-01T00:00:00Z') })] }).R!
          .conflicts,
      ).toEqual([]);
      expect(
        replay(r, {
          deals: [
            deal('D6', 'A5', {
              stage: 'won',
              createdAt: t('2025-06-01T00:00:00Z'),
              closedAt: t('2026-01-10T00:00:00Z'),
            }),
          ],
        }).R!.conflicts,
      ).toEqual(['existing_customer']);
    });

    it("warn of another partner's open deal, and not of the registering partner's own", () => {
      const deals = [deal('D2', 'A3', { partnerIds: ['P2'] })];
      expect(
        replay([registration('R', 'P1', 'Initech', '2026-02-04T00:00:00Z')], { deals }).R,
      ).toMatchObject({ verdict: 'review', conflicts: ['partner_opportunity'] });
      expect(
        replay([registration('R', 'P2', 'Initech', '2026-02-04T00:00:00Z')], { deals }).R!
          .conflicts,
      ).toEqual([]);
    });

    describe('existing customers', () => {
      const won = (closed: string) => [
        deal('D3', 'A4', {
          stage: 'won',
          createdAt: t('2025-01-01T00:00:00Z'),
          closedAt: t(closed),
        }),
      ];
      const r = [registration('R', 'P1', 'UMBRELLA GROUP LTD', '2026-02-05T00:00:00Z')];

      it('are warned of within existingCustomerMonths, or blocked, or not reported when off', () => {
        expect(replay(r, { deals: won('2025-12-15T00:00:00Z') }).R).toMatchObject({
          verdict: 'review',
          conflicts: ['existing_customer'],
        });
        expect(
          replay(r, {
            deals: won('2025-12-15T00:00:00Z'),
            program: program({ conflicts: { existingCustomer: 'block' } }),
          }).R!.verdict,
        ).toBe('rejected');
        expect(
          replay(r, {
            deals: won('2025-12-15T00:00:00Z'),
            program: program({ conflicts: { existingCustomer: 'off' } }),
          }).R,
        ).toMatchObject({ verdict: 'approved', conflicts: [] });
        expect(replay(r, { deals: won('2025-02-04T23:59:59Z') }).R!.conflicts).toEqual([]);
      });

      it('count calendar months with the day clamped: 31 March − 1 month = 28 February', () => {
        const march31 = [registration('R', 'P1', 'Umbrella Group', '2026-03-31T12:00:00Z')];
        const oneMonth = program({ conflicts: { existingCustomerMonths: 1 } });
        expect(
          replay(march31, { program: oneMonth, deals: won('2026-02-28T12:00:00Z') }).R!.conflicts,
        ).toEqual(['existing_customer']);
        expect(
          replay(march31, { program: oneMonth, deals: won('2026-02-28T11:59:59Z') }).R!.conflicts,
        ).toEqual([]);
      });
    });
  });

  describe('partner eligibility', () => {
    it('blocks an inactive partner', () => {
      expect(replay([registration('R', 'P4', 'Hooli', '2026-02-06T00:00:00Z')]).R).toMatchObject({
        verdict: 'rejected',
        conflicts: ['partner_ineligible'],
      });
    });

    it("blocks a partner whose active registrations reached its tier's cap, and frees the slot when a window ends", () => {
      const result = replay([
        registration('R1', 'P3', 'NewCo One', '2026-02-07T00:00:00Z', {
          companyDomain: 'newco1.io',
        }),
        registration('R2', 'P3', 'NewCo Two', '2026-02-08T00:00:00Z', {
          companyDomain: 'newco2.io',
        }),
        registration('R3', 'P3', 'NewCo Three', '2026-05-09T00:00:00Z', {
          companyDomain: 'newco3.io',
        }),
      ]);
      expect(result.R1!.verdict).toBe('review');
      expect(result.R2).toMatchObject({ verdict: 'rejected', conflicts: ['partner_ineligible'] });
      expect(result.R3!.verdict).toBe('review');
    });

    it('has no cap for a tier missing from caps', () => {
      const many = Array.from({ length: 30 }, (_, i) =>
        registration(
          `R${i}`,
          'P2',
          `Company${i} Labs`,
          `2026-02-01T00:${String(i).padStart(2, '0')}:00Z`,
          { companyDomain: `company${i}.io` },
        ),
      );
      expect(Object.values(replay(many)).every((o) => o.verdict === 'review')).toBe(true);
    });
  });

  it('lists every conflict kind found, in the order of DESIGN.md §4', () => {
    const deals = [
      deal('D1', 'A1', {}),
      deal('D2', 'A1', { partnerIds: ['P2'] }),
      deal('D3', 'A1', {
        stage: 'won',
        createdAt: t('2025-01-01T00:00:00Z'),
        closedAt: t('2025-12-01T00:00:00Z'),
      }),
    ];
    const result = replay(
      [
        registration('R1', 'P2', 'Acme', '2026-02-01T00:00:00Z'),
        registration('R2', 'P4', 'Acme', '2026-02-02T00:00:00Z'),
      ],
      { deals },
    );
    expect(result.R2!.conflicts).toEqual([
      'competing_registration',
      'direct_opportunity',
      'partner_opportunity',
      'existing_customer',
      'partner_ineligible',
    ]);
  });
});
