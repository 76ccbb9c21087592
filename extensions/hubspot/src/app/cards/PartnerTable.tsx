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

const TIER_VARIANTS: Record<string, 'success' | 'info' | 'default'> = {
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

const performanceText = ({ performance }: CardPartner) => {
  if (!performance) return 'Not counted yet';
  const decided = performance.won12m + performance.lost12m;
  return decided === 0
    ? 'No decided deals'
    : `Won ${performance.won12m} of ${decided} (${Math.round((performance.winRate ?? 0) * 100)} %)`;
};

export const PartnerTable = ({ partners }: { partners: CardPartner[] }) => (
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
            <Text>{performanceText(partner)}</Text>
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
