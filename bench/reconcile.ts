import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { token_set_ratio } from 'fuzzball';

import { writeCsv } from '../server/csv/write-csv';
import { reconcile } from '../src/reconciliation/reconcile';
import { labelledCompanies, type LabelledRecord } from './data/labelled-companies';
import { timeCli } from './lib/cli';
import { pairwiseQuality } from './lib/pairwise';

const toInput = (r: LabelledRecord) => ({
  id: r.record_id,
  source: r.source,
  name: r.name,
  domain: r.domain,
  country: r.country,
});

/**
 * The straightforward baseline: every pair compared, same organisation when fuzzball's
 * token_set_ratio of the names is ≥ 90 or the domains are equal once lower-cased and stripped of
 * scheme and "www."; clusters are the connected groups.
 */
export function baselineClusters(records: readonly LabelledRecord[]): string[] {
  const parent = records.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const domain = (raw: string) =>
    raw
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/^www\./, '')
      .replace(/\/.*$/, '');
  const domains = records.map((r) => domain(r.domain));
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      if (
        (domains[i] && domains[i] === domains[j]) ||
        token_set_ratio(records[i]!.name, records[j]!.name) >= 90
      )
        parent[find(i)] = find(j);
    }
  }
  return records.map((_, i) => String(find(i)));
}

export async function reconcileBench() {
  const qualitySet = labelledCompanies({ seed: 2026, organisations: 1000 });
  const truth = qualitySet.map((r) => r.organisation);
  let started = performance.now();
  const engine = reconcile(qualitySet.map(toInput));
  const engineSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const baseline = baselineClusters(qualitySet);
  const baselineSeconds = (performance.now() - started) / 1000;

  const speed = [];
  for (const size of [50_000, 100_000, 200_000]) {
    const records = labelledCompanies({ seed: size, organisations: Math.round(size / 2) }).slice(
      0,
      size,
    );
    started = performance.now();
    const result = reconcile(records.map(toInput));
    const seconds = (performance.now() - started) / 1000;
    speed.push({
      records: records.length,
      seconds: Number(seconds.toFixed(2)),
      recordsPerSecond: Math.round(records.length / seconds),
      comparisons: result.stats.comparisons,
      quality: pairwiseQuality(
        result.clusterIds,
        records.map((r) => r.organisation),
      ),
    });
  }

  // The same 200k records through the command line, CSV in and out, as held-out data is run.
  const dir = await mkdtemp(path.join(tmpdir(), 'pl-reconcile-'));
  let cli;
  try {
    const records = labelledCompanies({ seed: 200_000, organisations: 100_000 }).slice(0, 200_000);
    const input = path.join(dir, 'records.csv');
    await writeCsv(
      input,
      ['record_id', 'source', 'name', 'domain', 'country'],
      records.map((r) => [r.record_id, r.source, r.name, r.domain, r.country]),
    );
    const { seconds } = timeCli([
      'reconcile',
      '--input',
      input,
      '--output',
      path.join(dir, 'clusters.csv'),
    ]);
    cli = { records: records.length, seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  return {
    quality: {
      records: qualitySet.length,
      engine: {
        ...pairwiseQuality(engine.clusterIds, truth),
        seconds: Number(engineSeconds.toFixed(2)),
        reviews: engine.reviews.length,
      },
      baseline: {
        name: 'fuzzball token_set_ratio ≥ 90 or same bare domain, all pairs',
        ...pairwiseQuality(baseline, truth),
        seconds: Number(baselineSeconds.toFixed(2)),
      },
    },
    speed,
    growth: {
      '100k/50k': Number((speed[1]!.seconds / speed[0]!.seconds).toFixed(2)),
      '200k/100k': Number((speed[2]!.seconds / speed[1]!.seconds).toFixed(2)),
    },
    cli,
  };
}
