// The words of the PartnerLens screens, shared by the LWCs. They match the HubSpot card's
// (extensions/hubspot/src/app/cards): the same payload reads the same in both CRMs.

export const humanise = (value) =>
  (value.charAt(0).toUpperCase() + value.slice(1)).replace(/_/g, ' ');

/** "1,250,000.00 USD", per currency; the API's amounts are exact decimal strings. */
export const moneyText = (amounts) =>
  amounts
    .map(
      ({ amount, currency }) =>
        `${amount.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','))} ${currency}`,
    )
    .join(', ');

/** Adds amounts of one currency exactly: they carry the same number of decimals. */
export function sumByCurrency(...lists) {
  const totals = new Map();
  for (const { amount, currency } of lists.flat()) {
    const decimals = amount.split('.')[1]?.length ?? 0;
    const units = BigInt(amount.replace('.', ''));
    const total = totals.get(currency);
    totals.set(currency, { units: (total?.units ?? 0n) + units, decimals });
  }
  return [...totals].map(([currency, { units, decimals }]) => {
    const digits = (units < 0n ? -units : units).toString().padStart(decimals + 1, '0');
    const whole = digits.slice(0, digits.length - decimals);
    const amount = decimals > 0 ? `${whole}.${digits.slice(-decimals)}` : whole;
    return { amount: `${units < 0n ? '-' : ''}${amount}`, currency };
  });
}

export function registrationText({ registration }) {
  if (!registration) return 'None';
  if (registration.status === 'pending') return 'Pending approval';
  return registration.daysLeft === null
    ? 'Registered'
    : `Registered, ${registration.daysLeft} days left`;
}

export function roleText(partner) {
  return `${humanise(partner.role)}${partner.sharePct < 100 ? ` (${partner.sharePct} %)` : ''}`;
}

export function performanceText({ performance }, industry) {
  if (!performance) return 'Not counted yet';
  const decided = performance.won12m + performance.lost12m;
  const won = sumByCurrency(performance.sourcedWon12m, performance.influencedWon12m);
  const inIndustry = industry ? performance.byVertical?.[industry.code] : undefined;
  return [
    decided === 0
      ? 'No decided deals'
      : `Won ${performance.won12m} of ${decided} (${Math.round((performance.winRate ?? 0) * 100)} %)`,
    industry && inIndustry
      ? `${inIndustry.won} of ${inIndustry.won + inIndustry.lost} in ${industry.label.toLowerCase()}`
      : null,
    won.length > 0 ? `Won revenue ${moneyText(won)}` : null,
    performance.openPipeline.length > 0
      ? `Open pipeline ${moneyText(performance.openPipeline)}`
      : null,
    performance.avgCycleDays === null
      ? null
      : `${Math.round(performance.avgCycleDays)} days to close`,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function managerText(partner) {
  return [
    partner.partnerManager ? `Manager: ${partner.partnerManager}` : null,
    partner.certifications?.length > 0 ? partner.certifications.join(', ') : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The preview's sentence, or why there is none. */
export function commissionText(partner) {
  if (!partner.commission) return null;
  return 'explanation' in partner.commission
    ? partner.commission.explanation
    : `${partner.name}: no commission preview (${partner.commission.error.message}).`;
}

export function holdLine(registration) {
  return registration.status === 'pending'
    ? `Registered by ${registration.partner.name}, awaiting a decision`
    : `Registered by ${registration.partner.name} · ${registration.daysLeft} day${registration.daysLeft === 1 ? '' : 's'} of protection left`;
}

export const tierClass = (tier) =>
  ({ platinum: 'slds-theme_success', gold: 'slds-theme_success', silver: 'slds-theme_info' })[
    tier
  ] ?? '';

/** "3 December 2026", as the API's conflict sentences write dates. */
export const dateText = (iso) =>
  iso
    ? new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso))
    : '';

/** How long a registration has waited: "5 hours", "3 days". */
export function ageText(iso, now = Date.now()) {
  const hours = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 3_600_000));
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * The API's error behind an Apex failure: the controllers throw the API's
 * { status, error: { code, message, details } } as the AuraHandledException's message.
 */
export function apiErrorOf(failure) {
  const message = failure?.body?.message;
  if (typeof message === 'string' && message.startsWith('{')) {
    try {
      const parsed = JSON.parse(message);
      if (parsed?.error?.message) return { status: parsed.status, ...parsed.error };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Messages to show for one error or several, whatever their shape (lwc-recipes' ldsUtils idea). */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .map((error) => {
      const api = apiErrorOf(error);
      if (api) return api.message;
      if (Array.isArray(error.body)) return error.body.map((e) => e.message).join(', ');
      if (typeof error.body?.message === 'string') return error.body.message;
      if (typeof error.message === 'string') return error.message;
      return error.statusText ?? String(error);
    });
}
