import { abbreviates } from './abbreviations';

// Words that say what kind of organisation it is, not which one: one source writes them, another
// leaves them out ("Northwind Capital Group" / "Northwind Capital"). Sector words ("Capital",
// "Software") are not here: they tell siblings of one brand apart.
const GENERIC = [
  'group',
  'groupe',
  'gruppe',
  'grupo',
  'gruppo',
  'holding',
  'holdings',
  'company',
  'companies',
  'compagnie',
  'partners',
  'partnership',
  'enterprise',
  'enterprises',
  'associates',
  'international',
  'internacional',
  'global',
  'worldwide',
];
const GENERIC_SET = new Set(GENERIC);

const known = new Map<string, boolean>();

/** A generic word, spelled out or abbreviated ("grp", "hldgs", "intl"). */
export function isGenericWord(word: string): boolean {
  let generic = known.get(word);
  if (generic !== undefined) return generic;
  generic = GENERIC_SET.has(word) || GENERIC.some((full) => abbreviates(word, full));
  if (known.size < 50_000) known.set(word, generic);
  return generic;
}

/** A generic word present in one name and absent in the other costs this much of a word. */
export const GENERIC_WEIGHT = 0.15;

/** Words an acronym skips ("Bank of America" → BOA or BA). */
const LINKING = new Set(['and', 'of', 'the', 'for', 'de', 'des', 'du', 'la', 'le', 'der', 'fur']);

/**
 * The acronyms a name of two or more words can go by: its initials, and the same without linking
 * words or without generic ones ("International Business Machines Group" → ibmg, ibm).
 */
export function initialsOf(tokens: readonly string[]): string[] {
  if (tokens.length < 2) return [];
  const initials = (keep: (token: string, i: number) => boolean) =>
    tokens
      .filter(keep)
      .map((token) => token[0])
      .join('');
  const forms = [
    initials(() => true),
    initials((token) => !LINKING.has(token)),
    initials((token) => !LINKING.has(token) && !isGenericWord(token)),
  ];
  return [...new Set(forms)].filter((form) => form.length >= 2);
}

/** A name that reads as an acronym: one word of 2–6 letters, or single letters ("I B M"). */
export function acronymOf(tokens: readonly string[]): string | undefined {
  const letters = /^[a-z]+$/;
  if (tokens.length === 1) {
    const [word] = tokens as [string];
    return word.length >= 2 && word.length <= 6 && letters.test(word) ? word : undefined;
  }
  if (tokens.every((token) => token.length === 1 && letters.test(token))) return tokens.join('');
  return undefined;
}
