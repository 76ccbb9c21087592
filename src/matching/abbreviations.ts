// Short forms that keep neither a prefix nor the word's letters in order, so that the contraction
// rule below cannot find them. Everything else is found by the rule, including pairs never listed.
const IRREGULAR: Record<string, readonly string[]> = {
  express: ['xpress', 'xprs'],
  exchange: ['xchange', 'xchg'],
  transfer: ['xfer'],
  warehouse: ['whse'],
};
const IRREGULAR_BY_SHORT = new Map<string, string[]>();
for (const [long, shorts] of Object.entries(IRREGULAR))
  for (const short of shorts)
    IRREGULAR_BY_SHORT.set(short, [...(IRREGULAR_BY_SHORT.get(short) ?? []), long]);

const isVowel = (letter: string | undefined) =>
  letter === 'a' || letter === 'e' || letter === 'i' || letter === 'o' || letter === 'u';
/** A cut must drop enough of the word to be an abbreviation and not a variant ("care" / "careers"). */
const MIN_DROPPED = 4;
const MAX_PREFIX_SHARE = 0.6;

/**
 * True when `short` is a usual abbreviation of `long`, in either of the two ways business names
 * are shortened (docs/matching.md, "Abbreviations"):
 *  - a cut: the word's start, at most 60 % of it and at least 4 letters fewer (3 when the cut
 *    ends on a consonant), with the plural kept ("Tech" / "Technologies", "Labs" /
 *    "Laboratories", "Assoc" / "Associates");
 *  - a contraction: the word's start and then only consonants of the rest, in order, ending on the
 *    word's last consonant, two letters fewer at least ("Intl" / "International", "Mfg" /
 *    "Manufacturing", "Svcs" / "Services", "Mgmt" / "Management");
 * or one of the few irregular forms ("Xpress" / "Express").
 */
export function abbreviates(short: string, long: string): boolean {
  if (short.length >= long.length) return false;
  if (short.charCodeAt(0) !== long.charCodeAt(0) || short.length < 3) return irregular(short, long);
  if (irregular(short, long)) return true;
  if (!lettersOnly(short) || !lettersOnly(long)) return false;
  return isCut(short, long) || isContraction(short, long);
}

// Most pairs are told apart by their first letter: look the table up only for its own first letters.
const IRREGULAR_FIRST = new Set([...IRREGULAR_BY_SHORT.keys()].map((short) => short.charCodeAt(0)));
const irregular = (short: string, long: string) =>
  IRREGULAR_FIRST.has(short.charCodeAt(0)) &&
  (IRREGULAR_BY_SHORT.get(short)?.includes(long) ?? false);

function lettersOnly(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 97 || code > 122) return false;
  }
  return true;
}

function isCut(short: string, long: string): boolean {
  const plural = short.length > 3 && short.endsWith('s') && long.endsWith('s');
  const stem = plural && !long.startsWith(short) ? short.slice(0, -1) : short;
  // A cut on a consonant may drop one letter fewer ("Acad" / "Academy"); one on a vowel is more
  // often a word of its own ("Care" / "Careers").
  const dropped = isVowel(stem[stem.length - 1]) ? MIN_DROPPED : MIN_DROPPED - 1;
  return (
    long.startsWith(stem) &&
    stem.length <= long.length * MAX_PREFIX_SHARE &&
    long.length - stem.length >= dropped
  );
}

function isContraction(short: string, long: string): boolean {
  // One letter fewer is a typo ("tradrs"), which the typo rule weighs.
  if (long.length - short.length < 2) return false;
  const last = lastConsonant(long);
  if (short[short.length - 1] !== last) return false;
  // The longest common start, then the rest of `short` as consonants found in order in `long`,
  // letters skipped in between: "med" is a cut of "media", not a contraction.
  let shared = 0;
  while (shared < short.length && short[shared] === long[shared]) shared++;
  return shared > 0 && consonantsInOrder(short.slice(shared), long, shared);
}

function consonantsInOrder(rest: string, long: string, from: number): boolean {
  if (rest.length === 0) return false;
  for (const letter of rest) if (isVowel(letter)) return false;
  let at = from;
  for (const letter of rest) {
    at = long.indexOf(letter, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

function lastConsonant(word: string): string | undefined {
  for (let i = word.length - 1; i >= 0; i--) if (!isVowel(word[i])) return word[i];
  return undefined;
}

/** Either word abbreviates the other. */
export const abbreviationPair = (a: string, b: string) =>
  a.length < b.length ? abbreviates(a, b) : abbreviates(b, a);
