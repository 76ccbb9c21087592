import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';

import type { CardPartner, Money } from './card-api.ts';

/** How each tier's tag looks, on partner rows and suggestions. */
export const TIER_VARIANTS: Record<string, 'success' | 'info' | 'default'> = {
  platinum: 'success',
  gold: 'success',
  silver: 'info',
};

const humanise = (value: string) =>
  (value.charAt(0).toUpperCase() + value.slice(1)).replace(/_/g, ' ');

const registrationText = ({ registration }: CardPartner) => {
  if (!registration) return 'None';
  if (registration.status === 'pending') return 'Pending approval';
  return registration.daysLeft === null
    ? 'Registered'
    : `Registered, ${registration.daysLeft} days left`;
};

/** "1,250,000.00 USD", per currency, grouped as people read it (the API's amounts are exact decimals). */
const moneyText = (amounts: Money[]) =>
  amounts
    .map(
      ({ amount, currency }) =>
        `${amount.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','))} ${currency}`,
    )
    .join(', ');

/** Adds amounts of one currency exactly: they carry the same number of decimals. */
const sumByCurrency = (...lists: Money[][]): Money[] => {
  const totals = new Map<string, { units: bigint; decimals: number }>();
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
};

const performanceText = (
  { performance }: CardPartner,
  industry: { code: string; label: string } | null,
) => {
  if (!performance) return 'Not counted yet';
  const decided = performance.won12m + performance.lost12m;
  const won = sumByCurrency(performance.sourcedWon12m, performance.influencedWon12m);
  const inIndustry = industry ? performance.byVertical[industry.code] : undefined;
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
};

export const PartnerTable = ({
  partners,
  industry,
}: {
  partners: CardPartner[];
  /** The account's industry: the partner's record there is shown too. */
  industry: { code: string; label: string } | null;
}) => (
  <Table bordered={true} testId="partner-table">
    <TableHead>
      <TableRow>
        <TableHeader>Partner</TableHeader>
        <TableHeader>Type</TableHeader>
        <TableHeader>Tier</TableHeader>
        <TableHeader>Role</TableHeader>
        <TableHeader>Registration</TableHeader>
        <TableHeader>Track record (12 months)</TableHeader>
      </TableRow>
    </TableHead>
    <TableBody>
      {partners.map((partner) => (
        <TableRow key={`${partner.id}:${partner.role}`}>
          <TableCell>
            <Text format={{ fontWeight: 'demibold' }}>{partner.name}</Text>
          </TableCell>
          <TableCell>{partner.type ? humanise(partner.type) : 'Unclassified'}</TableCell>
          <TableCell>
            <Tag variant={TIER_VARIANTS[partner.tier] ?? 'default'}>{humanise(partner.tier)}</Tag>
          </TableCell>
          <TableCell>
            {humanise(partner.role)}
            {partner.sharePct < 100 ? ` (${partner.sharePct} %)` : ''}
          </TableCell>
          <TableCell>{registrationText(partner)}</TableCell>
          <TableCell>
            <Text>{performanceText(partner, industry)}</Text>
            {(partner.partnerManager || partner.certifications.length > 0) && (
              <Text variant="microcopy">
                {[
                  partner.partnerManager ? `Manager: ${partner.partnerManager}` : null,
                  partner.certifications.length > 0 ? partner.certifications.join(', ') : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            )}
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
