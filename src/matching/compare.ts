import type { NormalizedDomain } from './domain';
import { initialsOf } from './generic-words';
import type { NormalizedName } from './name';
import { nameSimilarity, wordConflict } from './similarity';

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
  | { kind: 'domain_label'; label: string; left: string; right: string }
  | { kind: 'name'; score: number; left: string; right: string }
  | {
      kind: 'acronym';
      acronym: string;
      expansion: string;
      /** What agrees beside the initials: the domain label, or the acronym's own domain and the country. */
      support: 'domain_label' | 'country';
    }
  | { kind: 'domain_conflict'; left: string; right: string }
  | { kind: 'word_conflict'; left: string; right: string }
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

/** A two-letter acronym stands for too many names to rest on a country: three letters or more. */
export const MIN_COUNTRY_ACRONYM = 3;

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Decides "same company?" for two records and says why (DESIGN.md §3, docs/matching.md). */
export function compareRecords(
  a: PreparedRecord,
  b: PreparedRecord,
  settings: MatchSettings,
): Comparison {
  if (sameDomain(a, b))
    return { match: true, score: 1, evidence: [{ kind: 'domain', domain: a.domain!.registrable }] };
  const score = a.name && b.name ? round(nameSimilarity(a.name, b.name)) : 0;
  const evidence: Evidence[] = [];
  if (sameLabel(a, b))
    evidence.push({
      kind: 'domain_label',
      label: a.domain!.label,
      left: a.domain!.registrable,
      right: b.domain!.registrable,
    });
  if (a.name && b.name)
    evidence.push({ kind: 'name', score, left: a.name.text, right: b.name.text });
  const acronym = supportedAcronym(a, b);
  if (acronym) evidence.push({ kind: 'acronym', ...acronym });
  if (domainConflict(a, b))
    evidence.push({
      kind: 'domain_conflict',
      left: a.domain!.registrable,
      right: b.domain!.registrable,
    });
  if (countriesDiffer(a, b))
    evidence.push({ kind: 'country_conflict', left: a.country!, right: b.country! });
  const match = matchesAt(score, a, b, settings) || acronym !== undefined;
  const conflict = !match && a.name && b.name ? wordConflict(a.name, b.name) : undefined;
  if (conflict) evidence.push({ kind: 'word_conflict', ...conflict });
  return { match, score, evidence };
}

/**
 * The same decision as compareRecords without building evidence: the score when the records match,
 * else undefined. For hot loops, which ask compareRecords for the evidence of the few matches. An
 * acronym match scores the threshold: it outranks nothing that matched by name.
 */
export function matchScore(
  a: PreparedRecord,
  b: PreparedRecord,
  settings: MatchSettings,
): number | undefined {
  if (sameDomain(a, b)) return 1;
  if (!a.name || !b.name || (countriesDiffer(a, b) && !sameLabel(a, b))) return undefined;
  const score = round(nameSimilarity(a.name, b.name, settings.nameThreshold));
  if (matchesAt(score, a, b, settings)) return score;
  return supportedAcronym(a, b) ? settings.nameThreshold : undefined;
}

/** Both records carry a domain and it is the same registrable domain. */
export const sameDomain = (a: PreparedRecord, b: PreparedRecord) =>
  Boolean(a.domain && b.domain && a.domain.registrable === b.domain.registrable);

/**
 * One brand under two public suffixes (acme.de, acme.com): evidence of one company when the names
 * agree, strong enough to outweigh two countries. Not under private suffixes (two shops called
 * acme on two platforms).
 */
export const sameLabel = (a: PreparedRecord, b: PreparedRecord) =>
  Boolean(
    a.domain &&
    b.domain &&
    a.domain.label === b.domain.label &&
    a.domain.registrable !== b.domain.registrable &&
    !a.domain.privateSuffix &&
    !b.domain.privateSuffix,
  );

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
  return score >= threshold && (!countriesDiffer(a, b) || sameLabel(a, b));
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

/**
 * One name is the other's acronym ("IBM" / "International Business Machines") and the rest agrees;
 * no conflicting domains or countries. Never the acronym alone: "IBM" is also "Iron Bridge Marine".
 * What agrees (docs/matching.md, rule 6):
 * - `domain_label`: the two records share a domain label, or the acronym is the spelled-out
 *   record's domain label;
 * - `country`: the acronym is its own record's domain label (the organisation goes by it: IBM on
 *   ibm.com), the spelled-out record has no company domain (none, or free-mail), and both records
 *   name the same country. reconcile() drops such a match when the acronym's domain could stand
 *   for two different spelled-out names in the data (`ambiguousAcronyms`).
 */
export function supportedAcronym(
  a: PreparedRecord,
  b: PreparedRecord,
): { acronym: string; expansion: string; support: 'domain_label' | 'country' } | undefined {
  if (!a.name || !b.name || (!a.name.acronym && !b.name.acronym)) return undefined;
  if (countriesDiffer(a, b) || domainConflict(a, b)) return undefined;
  return acronymOf(a, b) ?? acronymOf(b, a);
}

function acronymOf(
  short: PreparedRecord,
  long: PreparedRecord,
): { acronym: string; expansion: string; support: 'domain_label' | 'country' } | undefined {
  const acronym = short.name!.acronym;
  if (!acronym || !initialsOf(long.name!.words).includes(acronym)) return undefined;
  const expansion = long.name!.text;
  if (sameLabel(short, long) || long.domain?.label === acronym)
    return { acronym, expansion, support: 'domain_label' };
  const sameCountry = short.country !== undefined && short.country === long.country;
  if (
    sameCountry &&
    acronym.length >= MIN_COUNTRY_ACRONYM &&
    !long.domain &&
    short.domain?.label === acronym &&
    !short.domain.privateSuffix
  )
    return { acronym, expansion, support: 'country' };
  return undefined;
}
