import { acronymOf, GENERIC_WEIGHT, isGenericWord } from './generic-words';
import { LEADING_LEGAL_FORMS, LEGAL_FORMS } from './legal-forms';

export interface NormalizedName {
  /** Tokens after folding, punctuation and legal forms are gone: "The Müller & Sons GmbH" → [muller, and, sons]. */
  tokens: string[];
  /** The tokens joined with single spaces. */
  text: string;
  /** The tokens joined with nothing: "north wind" and "northwind" meet here. */
  compact: string;
  /** The tokens compared word by word ("and" says nothing about identity). */
  words: string[];
  /** Each word's weight in the comparison: generic organisation words ("group", "intl") weigh little. */
  weights: number[];
  /** The weights added up. */
  weight: number;
  /** The words that are not generic: what blocking keys are made of. */
  content: string[];
  /** The name read as an acronym ("IBM", "I.B.M."), when it can be one. */
  acronym: string | undefined;
  /** The numbers in the name, sorted: names with different numbers are different names. */
  numbers: string;
}

// Letters that Unicode decomposition leaves whole.
const FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŋ: 'n',
};

export function foldText(raw: string): string {
  // Most names are printable ASCII: nothing to decompose or fold.
  if (/^[ -~]*$/.test(raw)) return raw.toLowerCase();
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþıħŋ]/g, (letter) => FOLDS[letter]!);
}

function tokenize(raw: string): string[] {
  return foldText(raw)
    .replace(/[&+]/g, ' and ')
    .replace(/['’‘`´.]/g, '')
    .replace(/(?<=(?:^|[^\p{L}\p{N}])\p{L})\/(?=\p{L}(?:$|[^\p{L}\p{N}]))/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const endsWith = (tokens: string[], form: string[]) =>
  tokens.length > form.length &&
  form.every((part, i) => tokens[tokens.length - form.length + i] === part);
const startsWith = (tokens: string[], form: string[]) =>
  tokens.length > form.length && form.every((part, i) => tokens[i] === part);

/** Strips legal forms from the end (repeatedly: "Acme Co., Ltd."), a few from the start, and a leading "the". */
function stripLegalForms(tokens: string[]): string[] {
  let rest = tokens;
  for (let stripped = true; stripped;) {
    stripped = false;
    const form = LEGAL_FORMS.find((f) => endsWith(rest, f));
    if (form) {
      rest = rest.slice(0, rest.length - form.length);
      stripped = true;
    }
    // "Smith & Co" leaves a dangling "and".
    if (rest.length > 1 && rest[rest.length - 1] === 'and') {
      rest = rest.slice(0, -1);
      stripped = true;
    }
  }
  const leading = LEADING_LEGAL_FORMS.find((f) => startsWith(rest, f));
  if (leading) rest = rest.slice(leading.length);
  if (rest.length > 1 && rest[0] === 'the') rest = rest.slice(1);
  return rest;
}

/** Undefined when nothing is left to compare (a blank name). */
export function normalizeName(raw: string | null | undefined): NormalizedName | undefined {
  const tokens = stripLegalForms(tokenize(raw ?? ''));
  if (tokens.length === 0) return undefined;
  const words = tokens.filter((token) => token !== 'and');
  const weights: number[] = [];
  const content: string[] = [];
  let weight = 0;
  for (const word of words) {
    const generic = isGenericWord(word);
    weights.push(generic ? GENERIC_WEIGHT : 1);
    weight += generic ? GENERIC_WEIGHT : 1;
    if (!generic) content.push(word);
  }
  return {
    tokens,
    text: tokens.join(' '),
    compact: tokens.join(''),
    words,
    weights,
    weight,
    content,
    acronym: acronymOf(words),
    numbers: tokens
      .filter((token) => /\d/.test(token))
      .sort()
      .join(' '),
  };
}
