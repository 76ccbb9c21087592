const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * A Salesforce id in its 18-character, case-insensitive form: Setup shows an org id in 15
 * characters, Apex's UserInfo.getOrganizationId() gives 18. Undefined when it is not an id.
 */
export function salesforceId18(id: string): string | undefined {
  if (/^[A-Za-z0-9]{18}$/.test(id)) return salesforceId18(id.slice(0, 15)) === id ? id : undefined;
  if (!/^[A-Za-z0-9]{15}$/.test(id)) return undefined;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id[chunk * 5 + i]!;
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id + suffix;
}

/** An 18-character org id (they start with 00D), or undefined. */
export function salesforceOrgId(id: string): string | undefined {
  const full = salesforceId18(id);
  return full?.startsWith('00D') ? full : undefined;
}
