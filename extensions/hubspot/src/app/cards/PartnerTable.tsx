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

import type { CardPartner } from './card-api.ts';

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

/** "1,250,000.00 USD" from minor units, per currency (its minor unit from Intl), without floats. */
const money = (amounts: Record<string, string>) =>
  Object.entries(amounts)
    .map(([currency, minor]) => {
      const exponent =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
      const digits = minor.replace('-', '').padStart(exponent + 1, '0');
      const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      const fraction = exponent > 0 ? `.${digits.slice(-exponent)}` : '';
      return `${minor.startsWith('-') ? '-' : ''}${whole}${fraction} ${currency}`;
    })
    .join(', ');

const performanceText = ({ performance }: CardPartner, industry: string | null) => {
  if (!performance) return 'Not counted yet';
  const decided = performance.won12m + performance.lost12m;
  const won = { ...performance.sourcedWon12m };
  for (const [currency, minor] of Object.entries(performance.influencedWon12m))
    won[currency] = String(BigInt(won[currency] ?? '0') + BigInt(minor));
  return [
    decided === 0
      ? 'No decided deals'
      : `Won ${performance.won12m} of ${decided} (${Math.round((performance.winRate ?? 0) * 100)} %)`,
    industry && performance.byVertical[industry]
      ? `${performance.byVertical[industry].won} of ${performance.byVertical[industry].won + performance.byVertical[industry].lost} in ${industry}`
      : null,
    Object.keys(won).length > 0 ? `Won revenue ${money(won)}` : null,
    Object.keys(performance.openPipeline).length > 0
      ? `Open pipeline ${money(performance.openPipeline)}`
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
  industry: string | null;
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
