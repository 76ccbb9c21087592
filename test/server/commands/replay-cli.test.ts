import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runCliOnFiles } from '../../support/cli';

const files = {
  program: JSON.stringify({ autoApprove: { enabled: true, minTier: 'gold', maxAmount: 50000 } }),
  partners:
    'partner_id,name,domain,type,tier,status,regions,verticals\nP1,Northwind,northwind.com,reseller,gold,active,NA;EMEA,RETAIL\nP2,Fabrikam,fabrikam.com,system_integrator,silver,active,,\n',
  accounts:
    'account_id,name,domain,country,industry\nA1,Acme Corp,acme.com,US,RETAIL\nA2,Globex,globex.com,US,\n',
  deals:
    'deal_id,account_id,name,amount,currency,stage,created_at,closed_at,partner_id,partner_role\n' +
    'D1,A2,Globex platform,12500.00,USD,open,2026-01-01T00:00:00Z,,,\n' +
    'D2,A1,Acme renewal,100.00,USD,won,2025-01-01,2025-02-01,P2,sourced\n',
  registrations:
    'registration_id,partner_id,company_name,company_domain,amount,currency,submitted_at\n' +
    'R1,P1,"ACME, Inc.",www.acme.com,10000.00,USD,2026-02-01T09:00:00Z\n' +
    'R2,P2,Acme Corporation,,5000,USD,2026-02-02T09:00:00+01:00\n' +
    'R3,P1,Globex,,,,2026-02-03\n' +
    'R4,P2,Brand New Co,brandnew.io,,,2026-02-04T00:00:00Z\n',
};

describe('partnerlens registrations replay', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pl-replay-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (overrides: Partial<typeof files> = {}) => {
    const result = await runCliOnFiles(
      dir,
      ['registrations', 'replay'],
      { ...files, ...overrides },
      { output: 'verdicts.csv' },
    );
    return { ...result, text: result.written.output };
  };

  it('writes one verdict per registration with its conflicts, account and holder', async () => {
    const result = await run();
    expect(result.status).toBe(0);
    expect(result.text).toBe(
      'registration_id,verdict,conflicts,matched_account_id,holder_registration_id\n' +
        'R1,approved,,A1,\n' +
        'R2,rejected,competing_registration,A1,R1\n' +
        'R3,review,direct_opportunity,A2,\n' +
        'R4,review,,,\n',
    );
    expect(result.stderr).toMatch(/4 registrations: 1 approved, 2 for review, 1 rejected/);
  });

  it('gives byte-identical output for the same input', async () => {
    expect((await run()).text).toBe((await run()).text);
  });

  it.each([
    [
      'program',
      { program: '{"currency": "usd", "tiers": []}' },
      /program\.json: not a valid program: currency: .*tiers: /,
    ],
    ['program', { program: '{' }, /program\.json: not valid JSON/],
    [
      'partners',
      {
        partners:
          'partner_id,name,domain,type,tier,status,regions,verticals\nP1,N,n.com,reseller,gold,,,\n',
      },
      /partners\.csv line 2, column status: must not be empty/,
    ],
    [
      'partners',
      {
        partners:
          'partner_id,name,domain,type,tier,status,regions,verticals\nP1,N,n.com,reseller,diamond,active,,\n',
      },
      /partners\.csv line 2, column tier: "diamond" is not one of the program's tiers/,
    ],
    [
      'deals',
      {
        deals:
          'deal_id,account_id,name,amount,currency,stage,created_at,closed_at,partner_id,partner_role\nD1,A9,x,,,open,2026-01-01,,,\n',
      },
      /deals\.csv line 2, column account_id: no account "A9"/,
    ],
    [
      'deals',
      {
        deals:
          'deal_id,account_id,name,amount,currency,stage,created_at,closed_at,partner_id,partner_role\nD1,A1,x,,,won,2026-01-01,,,\n',
      },
      /deals\.csv line 2, column closed_at: must be given for a won deal/,
    ],
    [
      'deals',
      {
        deals:
          'deal_id,account_id,name,amount,currency,stage,created_at,closed_at,partner_id,partner_role\nD1,A1,x,1.0,USD,open,2026-02-30,,,\n',
      },
      /deals\.csv line 2, column created_at: "2026-02-30" is not an ISO 8601 timestamp/,
    ],
    [
      'registrations',
      {
        registrations:
          'registration_id,partner_id,company_name,company_domain,amount,currency,submitted_at\nR1,P9,Acme,,,,2026-02-01\n',
      },
      /registrations\.csv line 2, column partner_id: no partner "P9"/,
    ],
    [
      'registrations',
      {
        registrations:
          'registration_id,partner_id,company_name,company_domain,amount,currency,submitted_at\nR1,P1,Acme,,12x,USD,2026-02-01\n',
      },
      /registrations\.csv line 2, column amount: must be a decimal amount/,
    ],
    [
      'registrations',
      {
        registrations:
          'registration_id,partner_id,company_name,company_domain,amount,currency,submitted_at\nR1,P1,Acme,,1,USD,2026-02-01\nR1,P1,Acme,,1,USD,2026-02-01\n',
      },
      /registrations\.csv line 3, column registration_id: "R1" already appears on line 2/,
    ],
  ])(
    'exits 1 on a bad %s file, naming file, line and column, and writes nothing',
    async (_file, overrides, message) => {
      const result = await run(overrides);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.text).toBeUndefined();
    },
  );
});
