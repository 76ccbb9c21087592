import { countries } from 'countries-list';

export const SALES_REGIONS = ['NA', 'LATAM', 'EMEA', 'APAC'] as const;
export type SalesRegion = (typeof SALES_REGIONS)[number];

/** The regions as sentences name them. */
export const SALES_REGION_NAMES: Record<SalesRegion, string> = {
  NA: 'North America',
  LATAM: 'Latin America',
  EMEA: 'Europe, the Middle East and Africa',
  APAC: 'Asia-Pacific',
};

// Continents (countries-list) read as the four sales regions partner programs use. Where a
// continent splits between two regions, the exceptions are listed: Mexico, Central America and
// the Caribbean sell with Latin America; the Middle East with EMEA.
const LATAM_IN_NORTH_AMERICA = new Set(
  'MX GT BZ SV HN NI CR PA CU DO HT JM PR TT BS BB AG DM GD KN LC VC AW CW SX BQ MF BL GP MQ KY TC VG VI AI MS'.split(
    ' ',
  ),
);
const MIDDLE_EAST_IN_ASIA = new Set(
  'AE SA QA KW BH OM YE IL PS JO LB SY IQ IR TR CY GE AM AZ'.split(' '),
);

/** An ISO 3166 alpha-2 country's sales region; undefined for codes it does not know. */
export function salesRegionOf(countryCode: string | null | undefined): SalesRegion | undefined {
  if (!countryCode) return undefined;
  const code = countryCode.toUpperCase() as keyof typeof countries;
  const country = countries[code];
  if (!country) return undefined;
  switch (country.continent) {
    case 'NA':
      return LATAM_IN_NORTH_AMERICA.has(code) ? 'LATAM' : 'NA';
    case 'SA':
      return 'LATAM';
    case 'EU':
    case 'AF':
      return 'EMEA';
    case 'AS':
      return MIDDLE_EAST_IN_ASIA.has(code) ? 'EMEA' : 'APAC';
    case 'OC':
      return 'APAC';
    default:
      return undefined;
  }
}
