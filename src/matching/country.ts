import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';

import { foldText } from './name';

countries.registerLocale(english);

const ALIASES: Record<string, string> = {
  uk: 'GB',
  usa: 'US',
  america: 'US',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  deutschland: 'DE',
  holland: 'NL',
};

/** "USA", "United States", "us" → "US"; unknown names stay as folded text; blank → undefined. */
export function normalizeCountry(raw: string | null | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const folded = foldText(text).replace(/\s+/g, ' ');
  if (ALIASES[folded]) return ALIASES[folded];
  if (/^[a-z]{2}$/.test(folded) && countries.isValid(folded.toUpperCase()))
    return folded.toUpperCase();
  if (/^[a-z]{3}$/.test(folded)) return countries.alpha3ToAlpha2(folded.toUpperCase()) ?? folded;
  return countries.getAlpha2Code(text, 'en') ?? folded;
}
