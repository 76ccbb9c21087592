import {
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';

import type { Program } from './settings-api.ts';

const any = (value: string) => (value === '*' ? 'Any' : value.replace(/_/g, ' '));
const percent = (bps: number) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')} %`;
/** Minor units in the program's currency: 500000 USD cents → "5,000.00 USD" (two decimals). */
const capText = (minor: number | undefined, currency: string) =>
  minor === undefined
    ? 'No cap'
    : `${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} ${currency}`;

/** The rate card, first matching row wins, as the program stores it. */
export const RateCardTable = ({ program }: { program: Program }) => (
  <>
    <Heading>Rate card</Heading>
    {program.rates.length === 0 ? (
      <Text testId="rates-empty">No rate row: no commission accrues.</Text>
    ) : (
      <Table bordered testId="rate-card">
        <TableHead>
          <TableRow>
            <TableHeader>Partner type</TableHeader>
            <TableHeader>Tier</TableHeader>
            <TableHeader>Role</TableHeader>
            <TableHeader>Rate</TableHeader>
            <TableHeader>Cap per deal</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {program.rates.map((row, index) => (
            <TableRow key={`${row.partnerType}:${row.tier}:${row.role}:${index}`}>
              <TableCell>{any(row.partnerType)}</TableCell>
              <TableCell>{any(row.tier)}</TableCell>
              <TableCell>{any(row.role)}</TableCell>
              <TableCell>
                {row.bands
                  ? row.bands.map((band) => percent(band.rateBps)).join(' / ')
                  : percent(row.rateBps)}
              </TableCell>
              <TableCell>{capText(row.capMinor, program.currency)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </>
);
