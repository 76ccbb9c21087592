import { reconcile, type ReconcileInput } from '../../../src/reconciliation/reconcile';

const clusterOf = (inputs: ReconcileInput[], options = {}) => {
  const result = reconcile(inputs, options);
  return {
    ...result,
    byId: Object.fromEntries(inputs.map((input, i) => [input.id, result.clusterIds[i]])),
  };
};

describe('reconcile', () => {
  it('puts records of one organisation from several sources in one cluster, named after its first record', () => {
    const { byId, stats } = clusterOf([
      {
        id: 'hs-1',
        source: 'hubspot',
        name: 'ACME, Inc.',
        domain: 'https://www.acme.com',
        country: 'US',
      },
      {
        id: 'sf-1',
        source: 'salesforce',
        name: 'Acme Incorporated',
        domain: '',
        country: 'United States',
      },
      { id: 'pr-1', source: 'program', name: 'Acme Inc', domain: 'partners.acme.com', country: '' },
      { id: 'hs-2', source: 'hubspot', name: 'Globex', domain: 'globex.com', country: 'US' },
    ]);
    expect(byId).toEqual({ 'hs-1': 'hs-1', 'sf-1': 'hs-1', 'pr-1': 'hs-1', 'hs-2': 'hs-2' });
    expect(stats.clusters).toBe(2);
  });

  describe('the chaining guard', () => {
    // B matches A and C by name; A and C clearly differ: other company domains, other countries.
    const inputs: ReconcileInput[] = [
      {
        id: 'A',
        source: 'hubspot',
        name: 'Northwind Traders',
        domain: 'northwind.com',
        country: 'US',
      },
      { id: 'B', source: 'program', name: 'Northwind Tradrs', domain: 'gmail.com', country: '' },
      {
        id: 'C',
        source: 'salesforce',
        name: 'Northwind Traders Ltd',
        domain: 'nwtraders.co.uk',
        country: 'UK',
      },
    ];

    it('does not join A and C through B', () => {
      const { byId } = clusterOf(inputs);
      expect(byId.A).not.toBe(byId.C);
    });

    it('leaves the record in between on its own and lists it for review with both clusters and why', () => {
      const { byId, reviews } = clusterOf(inputs);
      expect(byId.B).toBe('B');
      expect(reviews).toEqual([
        {
          recordId: 'B',
          candidates: expect.arrayContaining([
            expect.objectContaining({
              clusterId: 'A',
              matchedRecordId: 'A',
              evidence: expect.arrayContaining([expect.objectContaining({ kind: 'name' })]),
            }),
            expect.objectContaining({
              clusterId: 'C',
              matchedRecordId: 'C',
              evidence: [
                {
                  kind: 'name',
                  score: 0.975,
                  left: 'northwind tradrs',
                  right: 'northwind traders',
                },
              ],
            }),
          ]),
        },
      ]);
    });

    it('joins a chain whose ends do not clearly differ', () => {
      const { byId, reviews } = clusterOf([
        { id: 'A', source: 'hubspot', name: 'Northwind Traders', domain: '' },
        { id: 'B', source: 'program', name: 'Northwind Tradrs', domain: 'northwind.com' },
        { id: 'C', source: 'salesforce', name: 'NW', domain: 'northwind.com' },
      ]);
      expect(new Set(Object.values(byId))).toEqual(new Set(['A']));
      expect(reviews).toEqual([]);
    });
  });

  it("follows people's decisions: merge and keep apart", () => {
    const inputs: ReconcileInput[] = [
      { id: 'x', source: 'hubspot', name: 'Contoso Ltd', domain: 'contoso.co.uk' },
      { id: 'y', source: 'program', name: 'Contoso Europe', domain: '' },
      { id: 'z', source: 'salesforce', name: 'Contoso Limited', domain: '' },
    ];
    expect(clusterOf(inputs).byId).toEqual({ x: 'x', y: 'y', z: 'x' });
    expect(clusterOf(inputs, { mergeDecisions: [['x', 'y']] }).byId.y).toBe('x');
    expect(clusterOf(inputs, { keepApartDecisions: [['x', 'z']] }).byId.z).toBe('z');
  });

  it('gives the same clusters whatever the order of the records', () => {
    const inputs: ReconcileInput[] = [
      { id: '1', source: 'a', name: 'Blue Harbor Logistics', domain: 'blueharbor.com' },
      { id: '2', source: 'b', name: 'Blue Harbour Logistics', domain: '' },
      { id: '3', source: 'c', name: 'BLUE HARBOR LOGISTICS LLC', domain: 'www.blueharbor.com' },
      { id: '4', source: 'a', name: 'Blue Harbor Health', domain: 'blueharborhealth.org' },
    ];
    const partition = (result: Record<string, string | undefined>) => {
      const groups = new Map<string, string[]>();
      for (const [id, cluster] of Object.entries(result))
        groups.set(cluster!, [...(groups.get(cluster!) ?? []), id].sort());
      return JSON.stringify([...groups.values()].sort());
    };
    expect(partition(clusterOf([...inputs].reverse()).byId)).toBe(
      partition(clusterOf(inputs).byId),
    );
  });

  describe('one brand on two country domains (issue 12)', () => {
    it('puts its records in one cluster, with a record that only a name and a country tie to one part', () => {
      const { byId } = clusterOf([
        { id: 'de', source: 'hubspot', name: 'Acme GmbH', domain: 'acme.de', country: 'DE' },
        { id: 'com', source: 'salesforce', name: 'Acme Inc', domain: 'acme.com', country: 'US' },
        { id: 'us', source: 'program', name: 'ACME', domain: '', country: 'USA' },
      ]);
      expect(new Set(Object.values(byId))).toEqual(new Set(['de']));
    });

    it('still keeps a namesake in another country apart from a brand of one country', () => {
      const { byId } = clusterOf([
        {
          id: 'a',
          source: 'hubspot',
          name: 'Delta Consulting',
          domain: 'delta.com',
          country: 'US',
        },
        { id: 'b', source: 'program', name: 'Delta Consulting', domain: '', country: 'US' },
        { id: 'c', source: 'salesforce', name: 'Delta Consulting', domain: '', country: 'DE' },
      ]);
      expect(byId.a).toBe(byId.b);
      expect(byId.c).not.toBe(byId.a);
    });
  });

  it('does not join look-alike siblings through an abbreviation that fits both (issue 12)', () => {
    const { byId } = clusterOf([
      { id: 'tech', source: 'hubspot', name: 'Clearspring Technologies', domain: '' },
      { id: 'techniques', source: 'program', name: 'Clearspring Techniques', domain: '' },
      { id: 'short', source: 'salesforce', name: 'Clearspring Techs', domain: '' },
    ]);
    expect(byId.tech).not.toBe(byId.techniques);
  });

  describe('an acronym tied by its own domain and a country (issue 12)', () => {
    it('joins "IBM" on ibm.com and "International Business Machines" of the same country', () => {
      const { byId } = clusterOf([
        { id: 'ibm', source: 'hubspot', name: 'IBM', domain: 'ibm.com', country: 'US' },
        {
          id: 'full',
          source: 'program',
          name: 'International Business Machines',
          domain: '',
          country: 'USA',
        },
      ]);
      expect(byId.full).toBe(byId.ibm);
    });

    it('joins neither when the acronym fits two different names: "International Business Machines" and "Iron Bridge Marine"', () => {
      const { byId } = clusterOf([
        { id: 'ibm', source: 'hubspot', name: 'IBM', domain: 'ibm.com', country: 'US' },
        { id: 'ibm2', source: 'salesforce', name: 'IBM Corp', domain: 'ibm.com', country: 'US' },
        {
          id: 'machines',
          source: 'program',
          name: 'International Business Machines',
          domain: '',
          country: 'US',
        },
        { id: 'marine', source: 'program', name: 'Iron Bridge Marine', domain: '', country: 'US' },
      ]);
      expect(byId.ibm2).toBe(byId.ibm);
      expect(byId.machines).not.toBe(byId.ibm);
      expect(byId.marine).not.toBe(byId.ibm);
      expect(byId.marine).not.toBe(byId.machines);
    });

    it('still joins two spellings of one name ("Intl Business Machines")', () => {
      const { byId } = clusterOf([
        { id: 'ibm', source: 'hubspot', name: 'IBM', domain: 'ibm.com', country: 'US' },
        {
          id: 'full',
          source: 'program',
          name: 'International Business Machines',
          domain: '',
          country: 'US',
        },
        {
          id: 'short',
          source: 'salesforce',
          name: 'Intl Business Machines',
          domain: '',
          country: 'US',
        },
      ]);
      expect(new Set(Object.values(byId))).toEqual(new Set([byId.ibm]));
    });
  });
});
