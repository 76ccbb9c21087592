import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runCliOnFiles } from '../../support/cli';

const files = {
  program: JSON.stringify({
    rates: [
      { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
      { partnerType: 'referral', tier: '*', role: 'sourced', rateBps: 1500 },
      { partnerType: '*', tier: '*', role: 'influenced', rateBps: 500, capMinor: 500000 },
    ],
    clawbackDays: 90,
  }),
  partners:
    'partner_id,name,domain,type,tier,status,regions,verticals\nP1,Northwind,,reseller,gold,active,,\nP2,Referrals Inc,,referral,silver,active,,\nP3,Plain Reseller,,reseller,silver,active,,\n',
  deals:
    'deal_id,account_id,name,amount,currency,stage,created_at,closed_at,partner_id,partner_role\n' +
    'D1,A1,Acme,12500.00,USD,won,2026-01-01,2026-02-01T00:00:00Z,,\n' +
    'D2,A2,Globex,1250000,JPY,won,2026-01-01,2026-02-01,,\n' +
    'D3,A3,Open one,999.00,USD,open,2026-01-01,,,\n' +
    'D4,A4,Overshared,100.00,USD,won,2026-01-01,2026-02-01,,\n',
  attributions:
    'deal_id,partner_id,role,share_pct\n' +
    'D1,P1,sourced,100\nD1,P2,influenced,50\nD1,P3,referral,10\n' +
    'D2,P2,sourced,100\nD3,P1,sourced,100\n' +
    'D4,P1,sourced,60\nD4,P2,sourced,50\n',
  refunds:
    'deal_id,refunded_at,amount,currency\nD1,2026-03-01T00:00:00Z,2500.00,USD\nD1,2026-06-01T00:00:00Z,100.00,USD\n',
};

describe('partnerlens commissions simulate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pl-simulate-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (overrides: Partial<typeof files> = {}) => {
    const result = await runCliOnFiles(
      dir,
      ['commissions', 'simulate'],
      { ...files, ...overrides },
      { output: 'ledger.csv', errors: 'errors.csv' },
    );
    return { ...result, ledger: result.written.output, errorsText: result.written.errors };
  };

  it('writes the ledger lines, clawbacks negative, and the business errors apart', async () => {
    const result = await run();
    expect(result.status).toBe(0);
    expect(result.ledger).toBe(
      'deal_id,partner_id,role,kind,amount_minor,currency,rate_bps\n' +
        'D1,P1,sourced,accrual,375000,USD,3000\n' +
        'D1,P2,influenced,accrual,31250,USD,500\n' +
        'D1,P1,sourced,clawback,-75000,USD,3000\n' +
        'D1,P2,influenced,clawback,-6250,USD,500\n' +
        'D2,P2,sourced,accrual,187500,JPY,1500\n',
    );
    expect(result.errorsText).toBe(
      'deal_id,partner_id,code,message\n' +
        'D1,P3,RATE.NOT_FOUND,no rate row for a reseller silver partner as referral\n' +
        'D4,,SHARES.OVER_100,sourced shares on deal D4 add up to 110 %\n',
    );
  });

  it('treats one share over 100 % as a result of the deal, and adds repeated rows, with other deals unaffected', async () => {
    const result = await run({
      attributions:
        'deal_id,partner_id,role,share_pct\nD1,P1,sourced,150\nD2,P2,sourced,60\nD2,P2,sourced,40\nD4,P1,sourced,33.333333333333\n',
    });
    expect(result.status).toBe(0);
    expect(result.errorsText).toBe(
      'deal_id,partner_id,code,message\nD1,,SHARES.OVER_100,sourced shares on deal D1 add up to 150 %\n',
    );
    expect(result.ledger).toBe(
      'deal_id,partner_id,role,kind,amount_minor,currency,rate_bps\n' +
        'D2,P2,sourced,accrual,187500,JPY,1500\n' +
        'D4,P1,sourced,accrual,1000,USD,3000\n',
    );
  });

  it('gives byte-identical output for the same input', async () => {
    const [a, b] = [await run(), await run()];
    expect(a.ledger).toBe(b.ledger);
    expect(a.errorsText).toBe(b.errorsText);
  });

  it.each([
    [
      'deals',
      { deals: 'deal_id,amount,currency,stage,closed_at\nD1,12.345,USD,won,2026-02-01\n' },
      /deals\.csv line 2, column amount: "12\.345" has more decimals than USD allows/,
    ],
    [
      'deals',
      { deals: 'deal_id,amount,currency,stage,closed_at\nD1,12,USD,won,\n' },
      /deals\.csv line 2, column closed_at: must be given for a won deal/,
    ],
    [
      'attributions',
      { attributions: 'deal_id,partner_id,role,share_pct\nD9,P1,sourced,100\n' },
      /attributions\.csv line 2, column deal_id: no deal "D9"/,
    ],
    [
      'attributions',
      { attributions: 'deal_id,partner_id,role,share_pct\nD1,P1,sourced,-5\n' },
      /attributions\.csv line 2, column share_pct: "-5" is not a percentage/,
    ],
    [
      'attributions',
      { attributions: 'deal_id,partner_id,role,share_pct\nD1,P1,,10\n' },
      /attributions\.csv line 2, column role: must not be empty/,
    ],
    [
      'attributions',
      { attributions: 'deal_id,partner_id,role,share_pct\nD1,P1,sourced,half\n' },
      /attributions\.csv line 2, column share_pct: "half" is not a percentage/,
    ],
    [
      'refunds',
      { refunds: 'deal_id,refunded_at,amount,currency\nD1,yesterday,10,USD\n' },
      /refunds\.csv line 2, column refunded_at: "yesterday" is not an ISO 8601 timestamp/,
    ],
    [
      'program',
      { program: '{"rates":[{"partnerType":"*","tier":"*","role":"*","rateBps":-5}]}' },
      /program\.json: not a valid program: rates\.0\.rateBps/,
    ],
  ])(
    'exits 1 on a bad %s file, naming file, line and column, and writes nothing',
    async (_file, overrides, message) => {
      const result = await run(overrides);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.ledger).toBeUndefined();
    },
  );
});
