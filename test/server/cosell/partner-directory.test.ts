import { PartnerDirectory } from '../../../server/cosell/partner-directory';
import type { Queryable } from '../../../server/db/database';

const row = (tier: string) => ({
  id: 'p1',
  name: 'Partner',
  type: 'reseller',
  tier,
  status: 'active',
  regions: ['EMEA'],
  verticals: ['RETAIL', 'INSURANCE'],
  certifications: [],
  won_12m: 2,
  lost_12m: 1,
  by_vertical: {},
  sourced_won_12m: { USD: '100' },
  influenced_won_12m: { USD: '50', EUR: '7' },
});

describe('the partner directory', () => {
  it('indexes partners by vertical with their won revenue per currency', async () => {
    const db: Queryable = { query: () => Promise.resolve([row('gold')]) as never };
    const directory = await new PartnerDirectory(db).get('t1');
    expect(directory.byVertical.get('INSURANCE')!.map((p) => p.id)).toEqual(['p1']);
    expect(directory.byId.get('p1')!.wonRevenue).toEqual({ USD: 150n, EUR: 7n });
  });

  it('answers the stale directory while one fresh load runs, then the fresh one', async () => {
    let now = 0;
    let tier = 'silver';
    const query = jest.fn(() => Promise.resolve([row(tier)]));
    const directory = new PartnerDirectory({ query } as unknown as Queryable, 1000, () => now);
    expect((await directory.get('t1')).byId.get('p1')!.tier).toBe('silver');
    tier = 'gold';
    now = 500;
    expect((await directory.get('t1')).byId.get('p1')!.tier).toBe('silver');
    expect(query).toHaveBeenCalledTimes(1);
    now = 1500;
    expect((await directory.get('t1')).byId.get('p1')!.tier).toBe('silver');
    expect((await directory.get('t1')).byId.get('p1')!.tier).toBe('silver');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await directory.get('t1')).byId.get('p1')!.tier).toBe('gold');
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('waits for a fresh directory after a long idle stretch', async () => {
    let now = 0;
    let tier = 'silver';
    const query = jest.fn(() => Promise.resolve([row(tier)]));
    const directory = new PartnerDirectory({ query } as unknown as Queryable, 1000, () => now);
    await directory.get('t1');
    tier = 'gold';
    now = 60_000;
    expect((await directory.get('t1')).byId.get('p1')!.tier).toBe('gold');
  });

  it('does not keep a failed first load', async () => {
    const query = jest
      .fn()
      .mockRejectedValueOnce(new Error('database gone'))
      .mockResolvedValue([row('gold')]);
    const directory = new PartnerDirectory({ query } as unknown as Queryable);
    await expect(directory.get('t1')).rejects.toThrow('database gone');
    expect((await directory.get('t1')).byId.size).toBe(1);
  });
});
