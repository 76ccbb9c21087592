import freeMailDomains from 'free-email-domains';
import { getDomain, parse } from 'tldts';

const FREE_MAIL = new Set<string>(freeMailDomains);

export interface NormalizedDomain {
  /** The registrable domain (Public Suffix List, private suffixes included): shop.acme.co.uk → acme.co.uk. */
  registrable: string;
  /** The registrable domain without its public suffix, letters and digits only: acme.co.uk → acme. */
  label: string;
  /** Free-mail and webmail domains never identify a company. */
  freeMail: boolean;
}

/**
 * Reads a domain, URL or e-mail address: lower-cased, scheme, www., path and port stripped, reduced
 * to the registrable domain. Undefined when there is none (blank, an IP address, a bare suffix).
 */
export function normalizeDomain(raw: string | null | undefined): NormalizedDomain | undefined {
  const text = raw?.trim().toLowerCase();
  if (!text) return undefined;
  const host =
    text.includes('@') && !text.includes('/') ? text.slice(text.lastIndexOf('@') + 1) : text;
  const parsed = parse(host, { allowPrivateDomains: true });
  const registrable = parsed.domain;
  if (!registrable || parsed.isIp) return undefined;
  const label = (parsed.domainWithoutSuffix ?? '').replace(/[^a-z0-9]/g, '');
  // Free-mail is listed by the ICANN registrable domain (mail.yahoo.co.uk → yahoo.co.uk).
  const freeMail =
    FREE_MAIL.has(registrable) ||
    (parsed.isPrivate === true && FREE_MAIL.has(getDomain(host) ?? ''));
  return { registrable, label, freeMail };
}
