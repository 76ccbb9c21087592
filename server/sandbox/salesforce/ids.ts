const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-safe suffix that turns a 15-character Salesforce id into its 18-character form. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX[flags];
  }
  return suffix;
}

/** prefix (key prefix, 3) + pod (2) + sequence (10, base62) + case-safe suffix: 18 characters, like an org's ids. */
export function salesforceId(prefix: string, pod: string, sequence: number): string {
  let digits = '';
  for (let n = sequence; n > 0; n = Math.floor(n / 62)) digits = BASE62[n % 62] + digits;
  const id15 = `${prefix}${pod}${digits.padStart(10, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** An id as written by a caller (15 or 18 characters) in its 18-character form, or undefined if it is not an id. */
export function toId18(id: string): string | undefined {
  if (!ID_PATTERN.test(id)) return undefined;
  return id.length === 18 ? id : id + caseSafeSuffix(id);
}

/** Hands out ids for one org: each key prefix counts on its own, as each object's ids do. */
export class IdFactory {
  private readonly sequences = new Map<string, number>();

  constructor(private readonly pod: string) {}

  /** Counts an id made elsewhere (a seed), so the next one from here does not repeat it. */
  observe(id: string): void {
    let sequence = 0;
    for (const c of id.slice(5, 15)) sequence = sequence * 62 + BASE62.indexOf(c);
    const prefix = id.slice(0, 3);
    if (sequence > (this.sequences.get(prefix) ?? 0)) this.sequences.set(prefix, sequence);
  }

  next(prefix: string): string {
    const sequence = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, sequence);
    return salesforceId(prefix, this.pod, sequence);
  }
}
