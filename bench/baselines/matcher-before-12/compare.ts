import type { NormalizedDomain } from './domain';
import type { NormalizedName } from './name';
import { nameSimilarity } from './similarity';

export interface PreparedRecord {
  id: string;
  name: NormalizedName | undefined;
  /** Only a domain that can identify a company: free-mail is left out here. */
  domain: NormalizedDomain | undefined;
  /** ISO 3166 alpha-2 where known, else the folded text; undefined when blank. */
  country: string | undefined;
}

export type Evidence =
  | { kind: 'domain'; domain: string }
  | { kind: 'name'; score: number; left: string; right: string }
  | { kind: 'domain_conflict'; left: string; right: string }
  | { kind: 'country_conflict'; left: string; right: string };

export interface Comparison {
  match: boolean;
  /** 1 for a domain match, else the name similarity (0 when there is no name to compare). */
  score: number;
  evidence: Evidence[];
}

export interface MatchSettings {
  /** Name similarity at or above which two names match (the tenant's, default 0.9). */
  nameThreshold: number;
}

export const DEFAULT_NAME_THRESHOLD = 0.9;
/** With two different company domains, only identical (normalised) names still match. */
export const CONFLICTING_DOMAIN_NAME_THRESHOLD = 1;

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Decides "same company?" for two records and says why (DESIGN.md §3). */
export function compareRecords(
  a: PreparedRecord,
  b: PreparedRecord,
  settings: MatchSettings,
): Comparison {
  if (sameDomain(a, b))
    return { match: true, score: 1, evidence: [{ kind: 'domain', domain: a.domain!.registrable }] };
  const score = a.name && b.name ? round(nameSimilarity(a.name, b.name)) : 0;
  const evidence: Evidence[] =
    a.name && b.name ? [{ kind: 'name', score, left: a.name.text, right: b.name.text }] : [];
  if (domainConflict(a, b))
    evidence.push({
      kind: 'domain_conflict',
      left: a.domain!.registrable,
      right: b.domain!.registrable,
    });
  if (countriesDiffer(a, b))
    evidence.push({ kind: 'country_conflict', left: a.country!, right: b.country! });
  return { match: matchesAt(score, a, b, settings), score, evidence };
}

/**
 * The same decision as compareRecords without building evidence: the score when the records match,
 * else undefined. For hot loops, which ask compareRecords for the evidence of the few matches.
 */
export function matchScore(
  a: PreparedRecord,
  b: PreparedRecord,
  settings: MatchSettings,
): number | undefined {
  if (sameDomain(a, b)) return 1;
  if (!a.name || !b.name || countriesDiffer(a, b)) return undefined;
  const score = round(nameSimilarity(a.name, b.name, settings.nameThreshold));
  return matchesAt(score, a, b, settings) ? score : undefined;
}

/** Both records carry a domain and it is the same registrable domain. */
export const sameDomain = (a: PreparedRecord, b: PreparedRecord) =>
  Boolean(a.domain && b.domain && a.domain.registrable === b.domain.registrable);

// Namesakes: one name in two countries is two organisations unless a shared domain says otherwise.
const countriesDiffer = (a: PreparedRecord, b: PreparedRecord) =>
  a.country !== undefined && b.country !== undefined && a.country !== b.country;

function matchesAt(
  score: number,
  a: PreparedRecord,
  b: PreparedRecord,
  settings: MatchSettings,
): boolean {
  const threshold = domainConflict(a, b)
    ? Math.max(settings.nameThreshold, CONFLICTING_DOMAIN_NAME_THRESHOLD)
    : settings.nameThreshold;
  return score >= threshold && !countriesDiffer(a, b);
}

/**
 * Two company domains that are different registrations of different brands. acme.com and acme.de
 * are the same brand (same label under another suffix) and do not conflict.
 */
export function domainConflict(a: PreparedRecord, b: PreparedRecord): boolean {
  return Boolean(
    a.domain &&
    b.domain &&
    a.domain.registrable !== b.domain.registrable &&
    a.domain.label !== b.domain.label,
  );
}
