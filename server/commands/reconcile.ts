import { z } from 'zod';

import { reconcile, type ReconcileInput } from '../../src/reconciliation/reconcile';
import { readCsv } from '../csv/read-csv';
import { unique } from '../csv/row-checks';
import { writeCsv } from '../csv/write-csv';

const COLUMNS = ['record_id', 'source', 'name', 'domain', 'country'] as const;

const recordRow = z.object({
  record_id: z.string().min(1, 'must not be empty').max(200, 'is longer than 200 characters'),
  source: z.string().min(1, 'must not be empty').max(100, 'is longer than 100 characters'),
  name: z.string().max(500, 'is longer than 500 characters'),
  domain: z.string().max(500, 'is longer than 500 characters'),
  country: z.string().max(100, 'is longer than 100 characters'),
});

export interface ReconcileCommandOptions {
  input: string;
  output: string;
  threshold: number;
  reviews?: string;
}

export async function readRecords(file: string): Promise<ReconcileInput[]> {
  const records: ReconcileInput[] = [];
  const seen = new Map<string, number>();
  await readCsv(file, COLUMNS, recordRow, (value, row) => {
    unique(file, seen, value.record_id, row, 'record_id');
    records.push({
      id: value.record_id,
      source: value.source,
      name: value.name,
      domain: value.domain,
      country: value.country,
    });
  });
  return records;
}

/** `partnerlens reconcile`: one cluster id per record, same organisation = same cluster (DESIGN.md §10). */
export async function reconcileCommand(options: ReconcileCommandOptions): Promise<string> {
  const started = performance.now();
  const records = await readRecords(options.input);
  const result = reconcile(records, { nameThreshold: options.threshold });
  await writeCsv(
    options.output,
    ['record_id', 'cluster_id'],
    records.map((record, i) => [record.id, result.clusterIds[i]!]),
  );
  if (options.reviews) {
    await writeCsv(
      options.reviews,
      ['record_id', 'candidate_cluster_ids', 'matched_record_ids', 'evidence'],
      result.reviews.map((review) => [
        review.recordId,
        review.candidates.map((c) => c.clusterId).join(';'),
        review.candidates.map((c) => c.matchedRecordId).join(';'),
        JSON.stringify(review.candidates.map((c) => c.evidence)),
      ]),
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  return `${result.stats.records} records → ${result.stats.clusters} clusters, ${result.reviews.length} for review (${result.stats.comparisons} comparisons, ${seconds} s)`;
}
