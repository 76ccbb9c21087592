import { PartnerDirectory } from '../../../server/cosell/partner-directory';
import type { Queryable } from '../../../server/db/database';

const row = (tier: string, id = 'p1') => ({
  id,
  name: `Partner ${id}`,
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

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the partner directory', () => {
  it('indexes partners by vertical with their won revenue per currency', async () => {
    const db: Queryable = { query: () => Promise.resolve([row('gold')]) as never };
    const directory = await new PartnerDirectory(db).get('t1', '1');
    expect(directory.byVertical.get('INSURANCE')!.map((p) => p.id)).toEqual(['p1']);
    expect(directory.byId.get('p1')!.wonRevenue).toEqual({ USD: 150n, EUR: 7n });
  });

  it('prepares fit and revenue lists once per directory', async () => {
    const rows = [
      row('silver', 'p1'),
      { ...row('platinum', 'p2'), sourced_won_12m: { USD: '900' } },
    ];
    const db: Queryable = { query: () => Promise.resolve(rows) as never };
    const directory = await new PartnerDirectory(db).get('t1', '1');
    const tiers = ['registered', 'silver', 'gold', 'platinum'];
    const fit = directory.fitList('RETAIL', 'EMEA', tiers);
    expect(fit.map((e) => e.partnerId)).toEqual(['p2', 'p1']);
    expect(directory.fitList('RETAIL', 'EMEA', tiers)).toBe(fit);
    expect(directory.revenueList('RETAIL', 'USD').map((p) => p.id)).toEqual(['p2', 'p1']);
  });

  it('reads the partners once per version', async () => {
    const query = jest.fn(() => Promise.resolve([row('gold')]));
    const directory = new PartnerDirectory({ query } as unknown as Queryable);
    await directory.get('t1', '1');
    await directory.get('t1', '1');
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('answers the previous version for a moment while a new one loads, then the new one', async () => {
    let now = 0;
    let tier = 'silver';
    const query = jest.fn(() => Promise.resolve([row(tier)]));
    const directory = new PartnerDirectory({ query } as unknown as Queryable, 1000, () => now);
    expect((await directory.get('t1', '1')).byId.get('p1')!.tier).toBe('silver');
    tier = 'gold';
    now = 100;
    expect((await directory.get('t1', '2')).byId.get('p1')!.tier).toBe('silver');
    expect((await directory.get('t1', '2')).byId.get('p1')!.tier).toBe('silver');
    await settle();
    expect((await directory.get('t1', '2')).byId.get('p1')!.tier).toBe('gold');
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('waits for the new version once the previous one is too old to answer', async () => {
    let now = 0;
    let tier = 'silver';
    let release: () => void = () => {};
    const query = jest.fn(() =>
      tier === 'silver'
        ? Promise.resolve([row(tier)])
        : new Promise((resolve) => {
            release = () => resolve([row(tier)]);
          }),
    );
    const directory = new PartnerDirectory({ query } as unknown as Queryable, 1000, () => now);
    await directory.get('t1', '1');
    tier = 'gold';
    expect((await directory.get('t1', '2')).byId.get('p1')!.tier).toBe('silver');
    now = 1500;
    const waiting = directory.get('t1', '2');
    release();
    expect((await waiting).byId.get('p1')!.tier).toBe('gold');
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed first load', async () => {
    const query = jest
      .fn()
      .mockRejectedValueOnce(new Error('database gone'))
      .mockResolvedValue([row('gold')]);
    const directory = new PartnerDirectory({ query } as unknown as Queryable);
    await expect(directory.get('t1', '1')).rejects.toThrow('database gone');
    expect((await directory.get('t1', '1')).byId.size).toBe(1);
  });
});
