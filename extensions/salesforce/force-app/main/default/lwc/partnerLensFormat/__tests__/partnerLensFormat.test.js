import {
  ageText,
  apiErrorOf,
  moneyText,
  performanceText,
  reduceErrors,
  registrationText,
  sumByCurrency,
} from 'c/partnerLensFormat';

describe('c/partnerLensFormat', () => {
  it('groups money as people read it, per currency, and adds one currency exactly', () => {
    expect(
      moneyText([
        { amount: '1250000.00', currency: 'USD' },
        { amount: '12', currency: 'JPY' },
      ]),
    ).toBe('1,250,000.00 USD, 12 JPY');
    expect(
      sumByCurrency([{ amount: '0.10', currency: 'USD' }], [{ amount: '0.20', currency: 'USD' }]),
    ).toEqual([{ amount: '0.30', currency: 'USD' }]);
  });

  it('words a registration and a record with no decided deals as the HubSpot card does', () => {
    expect(registrationText({ registration: null })).toBe('None');
    expect(registrationText({ registration: { status: 'approved', daysLeft: 12 } })).toBe(
      'Registered, 12 days left',
    );
    expect(
      performanceText(
        {
          performance: {
            won12m: 0,
            lost12m: 0,
            winRate: null,
            byVertical: {},
            sourcedWon12m: [],
            influencedWon12m: [],
            openPipeline: [],
            avgCycleDays: null,
          },
        },
        null,
      ),
    ).toBe('No decided deals');
    expect(performanceText({ performance: null }, null)).toBe('Not counted yet');
  });

  it('says how long a registration waited', () => {
    const now = Date.parse('2026-11-04T12:00:00Z');
    expect(ageText('2026-11-04T11:00:00Z', now)).toBe('1 hour');
    expect(ageText('2026-11-01T12:00:00Z', now)).toBe('3 days');
  });

  it("reads the API's error out of an Apex failure, and other errors' messages", () => {
    const apex = {
      body: { message: JSON.stringify({ status: 409, error: { code: 'X.Y', message: 'No.' } }) },
    };
    expect(apiErrorOf(apex)).toEqual({ status: 409, code: 'X.Y', message: 'No.' });
    expect(
      reduceErrors([
        apex,
        { body: { message: 'plain' } },
        new Error('thrown'),
        { body: [{ message: 'a' }, { message: 'b' }] },
      ]),
    ).toEqual(['No.', 'plain', 'thrown', 'a, b']);
    expect(apiErrorOf(new Error('x'))).toBeUndefined();
  });
});
