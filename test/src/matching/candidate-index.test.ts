import { CandidateIndex } from '../../../src/matching/candidate-index';
import { prepareRecord } from '../../../src/matching/prepare';

const records = [
  { id: 'a', name: 'Sunrisepoint Insurance', domain: '' },
  { id: 'b', name: 'Sunrsiepoint Insurance KK', domain: '' },
  { id: 'c', name: 'Globex', domain: 'globex.com' },
  { id: 'd', name: 'Something else', domain: 'https://www.globex.com' },
  { id: 'e', name: 'Unrelated Widgets', domain: '' },
].map(prepareRecord);

describe('CandidateIndex', () => {
  const index = new CandidateIndex(records);
  const candidatesOf = (i: number) =>
    index
      .candidates(i)
      .map((j) => records[j]!.id)
      .sort();

  it('finds records that share a domain', () => {
    expect(candidatesOf(2)).toContain('d');
  });

  it('finds a typo in the distinctive word', () => {
    expect(candidatesOf(0)).toContain('b');
  });

  it('does not propose unrelated records, nor the record itself', () => {
    expect(candidatesOf(4)).toEqual([]);
    expect(candidatesOf(0)).not.toContain('a');
  });

  it('answers for a record that is not in the index', () => {
    const outside = prepareRecord({ id: 'x', name: 'Sunrisepoint Insurance Ltd' });
    expect(
      index
        .candidates(-1, outside)
        .map((j) => records[j]!.id)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('skips blocks too common to mean anything, without an all-pairs scan', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      prepareRecord({ id: `s${i}`, name: `Company${i} Solutions` }),
    );
    const big = new CandidateIndex(many);
    expect(big.candidates(0).length).toBeLessThan(60);
  });
});
