import { goldenRecord, type SourceFields } from '../../../src/reconciliation/survivorship';

const record = (
  overrides: Partial<SourceFields> & Pick<SourceFields, 'source' | 'key' | 'updatedAt'>,
): SourceFields => overrides;

describe('goldenRecord', () => {
  const program = record({
    source: 'program',
    key: 'program:P1',
    updatedAt: '2026-01-01T00:00:00Z',
    name: 'Northwind',
    type: 'reseller',
    tier: 'gold',
    partnerManager: 'Maya Chen',
    domain: '',
  });
  const crm = record({
    source: 'hubspot',
    key: 'hubspot:1',
    updatedAt: '2026-06-01T00:00:00Z',
    name: 'Northwind Traders Inc',
    type: 'referral',
    tier: 'platinum',
    domain: 'northwind.com',
  });

  it('takes tier and type from the program even when a CRM record is newer', () => {
    const golden = goldenRecord([crm, program]);
    expect(golden).toMatchObject({ tier: 'gold', type: 'reseller', partnerManager: 'Maya Chen' });
    expect(golden.provenance).toMatchObject({ tier: 'program:P1', type: 'program:P1' });
  });

  it('takes other fields from the most recently updated record that has a value', () => {
    const golden = goldenRecord([program, crm]);
    expect(golden).toMatchObject({ name: 'Northwind Traders Inc', domain: 'northwind.com' });
    expect(golden.provenance.name).toBe('hubspot:1');
  });

  it('falls back to any source for program-owned fields when no program record has them', () => {
    expect(goldenRecord([crm]).tier).toBe('platinum');
  });

  it('breaks ties in time by source (program first), then by key', () => {
    const same = '2026-03-01T00:00:00Z';
    const golden = goldenRecord([
      record({ source: 'hubspot', key: 'hubspot:9', updatedAt: same, name: 'From HubSpot' }),
      record({ source: 'program', key: 'program:2', updatedAt: same, name: 'From the program' }),
    ]);
    expect(golden.name).toBe('From the program');
  });

  it('leaves out fields no record has', () => {
    expect(
      goldenRecord([
        record({ source: 'hubspot', key: 'h', updatedAt: '2026-01-01T00:00:00Z', name: 'X' }),
      ]),
    ).toEqual({ name: 'X', provenance: { name: 'h' } });
  });
});
