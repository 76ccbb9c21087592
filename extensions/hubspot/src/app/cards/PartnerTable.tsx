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

export const PartnerTable = ({ partners }: { partners: CardPartner[] }) => (
  <Table bordered={true} testId="partner-table">
    <TableHead>
      <TableRow>
        <TableHeader>Partner</TableHeader>
        <TableHeader>Type</TableHeader>
        <TableHeader>Tier</TableHeader>
        <TableHeader>Role</TableHeader>
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
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
