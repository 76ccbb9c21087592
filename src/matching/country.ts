import countries from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json';
import en from 'i18n-iso-countries/langs/en.json';
import es from 'i18n-iso-countries/langs/es.json';
import fr from 'i18n-iso-countries/langs/fr.json';
import it from 'i18n-iso-countries/langs/it.json';
import ja from 'i18n-iso-countries/langs/ja.json';
import nl from 'i18n-iso-countries/langs/nl.json';
import pt from 'i18n-iso-countries/langs/pt.json';
import sv from 'i18n-iso-countries/langs/sv.json';

import { foldText } from './name';

const LOCALES = [en, de, fr, es, it, nl, pt, sv, ja];
LOCALES.forEach((locale) => countries.registerLocale(locale));

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

const known = new Map<string, string | undefined>();

/** "USA", "United States", "Deutschland", "us" → ISO alpha-2; unknown names stay as folded text; blank → undefined. */
export function normalizeCountry(raw: string | null | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  if (known.has(text)) return known.get(text);
  const code = lookUp(text);
  if (known.size < 10_000) known.set(text, code);
  return code;
}

function lookUp(text: string): string {
  const folded = foldText(text).replace(/\s+/g, ' ');
  if (ALIASES[folded]) return ALIASES[folded];
  if (/^[a-z]{2}$/.test(folded) && countries.isValid(folded.toUpperCase()))
    return folded.toUpperCase();
  if (/^[a-z]{3}$/.test(folded)) return countries.alpha3ToAlpha2(folded.toUpperCase()) ?? folded;
  for (const { locale } of LOCALES) {
    const code = countries.getAlpha2Code(text, locale);
    if (code) return code;
  }
  return folded;
}
