import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { token_set_ratio } from 'fuzzball';

import { writeCsv } from '../server/csv/write-csv';
import { reconcile } from '../src/reconciliation/reconcile';
import { reconcile as reconcileBefore } from './baselines/matcher-before-12/reconcile';
import { labelledCompanies, type LabelledRecord } from './data/labelled-set';
import { timeCli } from './lib/cli';
import { pairwiseQuality } from './lib/pairwise';
import { precisionByNegative, recallByKind } from './lib/variant-quality';

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

const timed = <T>(run: () => T): [T, number] => {
  const started = performance.now();
  const result = run();
  return [result, Number(((performance.now() - started) / 1000).toFixed(2))];
};

/** Today's engine, the engine before issue 12 and the fuzzball baseline on one labelled set. */
function quality() {
  const records = labelledCompanies({ seed: 2026, organisations: 1500 });
  const truth = records.map((r) => r.organisation);
  const [engine, engineSeconds] = timed(() => reconcile(records.map(toInput)));
  const [before, beforeSeconds] = timed(() => reconcileBefore(records.map(toInput)));
  const [baseline, baselineSeconds] = timed(() => baselineClusters(records));
  const engines = { engine: engine.clusterIds, before: before.clusterIds, fuzzball: baseline };
  return {
    records: records.length,
    organisations: new Set(truth).size,
    overall: {
      engine: {
        ...pairwiseQuality(engine.clusterIds, truth),
        seconds: engineSeconds,
        reviews: engine.reviews.length,
      },
      before: {
        name: 'the matcher before issue 12 (bench/baselines/matcher-before-12)',
        ...pairwiseQuality(before.clusterIds, truth),
        seconds: beforeSeconds,
        reviews: before.reviews.length,
      },
      fuzzball: {
        name: 'fuzzball token_set_ratio ≥ 90 or same bare domain, all pairs',
        ...pairwiseQuality(baseline, truth),
        seconds: baselineSeconds,
      },
    },
    recallByVariant: recallByKind(records, engines),
    precisionByNegative: precisionByNegative(records, engines),
  };
}

export async function reconcileBench() {
  const qualityResult = quality();
  const speed = [];
  for (const size of [50_000, 100_000, 200_000]) {
    const records = labelledCompanies({ seed: size, organisations: Math.round(size / 2) }).slice(
      0,
      size,
    );
    const [result, seconds] = timed(() => reconcile(records.map(toInput)));
    speed.push({
      records: records.length,
      seconds,
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
    quality: qualityResult,
    speed,
    growth: {
      '100k/50k': Number((speed[1]!.seconds / speed[0]!.seconds).toFixed(2)),
      '200k/100k': Number((speed[2]!.seconds / speed[1]!.seconds).toFixed(2)),
    },
    cli,
  };
}
