import { normalizeCountry } from '../../../src/matching/country';
import type { PreparedRecord } from './compare';
import { normalizeDomain } from './domain';
import { normalizeName } from './name';

export interface MatchInput {
  id: string;
  name?: string | null;
  domain?: string | null;
  country?: string | null;
}

/** Normalises a record once, so that comparing it with many others does no text work again. */
export function prepareRecord(input: MatchInput): PreparedRecord {
  const domain = normalizeDomain(input.domain);
  return {
    id: input.id,
    name: normalizeName(input.name),
    domain: domain && !domain.freeMail ? domain : undefined,
    country: normalizeCountry(input.country),
  };
}
