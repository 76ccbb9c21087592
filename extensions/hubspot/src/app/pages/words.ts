// The words of the PartnerLens pages; they match the Salesforce LWCs' (partnerLensFormat): the
// same payload reads the same in both CRMs.

export const humanise = (value: string) =>
  (value.charAt(0).toUpperCase() + value.slice(1)).replace(/_/g, ' ');

/** "1,250,000.00 USD"; the API's amounts are exact decimal strings. */
export const moneyText = ({ amount, currency }: { amount: string; currency: string }) =>
  `${amount.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','))} ${currency}`;

/** "3 December 2026", as the API's conflict sentences write dates. */
export const dateText = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

/** How long a registration has waited: "5 hours", "3 days". */
export function ageText(iso: string, now: number) {
  const hours = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 3_600_000));
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}

/** What matched a registration (or a partner record) to the record it names. */
export function evidenceText(evidence: Record<string, unknown>): string {
  const text = (key: string) => String(evidence[key] ?? '');
  switch (evidence.kind) {
    case 'domain':
      return `Same domain: ${text('domain')}`;
    case 'domain_label':
      return `Same domain name "${text('label')}": ${text('left')} and ${text('right')}`;
    case 'name':
      return `Names ${Math.round(Number(evidence.score ?? 0) * 100)} % alike: "${text('left')}" and "${text('right')}"`;
    case 'acronym':
      return `${text('acronym')} stands for ${text('expansion')}`;
    case 'domain_conflict':
      return `Different domains: ${text('left')} and ${text('right')}`;
    case 'word_conflict':
      return `A word differs: "${text('left')}" and "${text('right')}"`;
    case 'country_conflict':
      return `Different countries: ${text('left')} and ${text('right')}`;
    default:
      return humanise(String(evidence.kind ?? 'match'));
  }
}

/** A HubSpot record page: companies are object 0-2, deals 0-3. */
export const recordUrl = (portalId: number, object: 'company' | 'deal', id: string) =>
  `https://app.hubspot.com/contacts/${portalId}/record/${object === 'company' ? '0-2' : '0-3'}/${encodeURIComponent(id)}`;
