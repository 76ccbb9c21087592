import {
  Heading,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';

import type { CrmHealth } from './settings-api.ts';

const when = (iso: string | null) =>
  iso
    ? new Intl.DateTimeFormat('en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'UTC',
      }).format(new Date(iso)) + ' UTC'
    : 'Never';

/** Each connected CRM as GET /api/v1/sync/health reports it. */
export const SyncHealth = ({ crms }: { crms: CrmHealth[] }) => (
  <>
    <Heading>Sync health</Heading>
    {crms.length === 0 ? (
      <Text testId="sync-none">No CRM is connected yet.</Text>
    ) : (
      <Table bordered testId="sync-health">
        <TableHead>
          <TableRow>
            <TableHeader>CRM</TableHeader>
            <TableHeader>Status</TableHeader>
            <TableHeader>Last full sync</TableHeader>
            <TableHeader>Last sync</TableHeader>
            <TableHeader>Lag</TableHeader>
            <TableHeader>Last error</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {crms.map((crm) => (
            <TableRow key={`${crm.crm}:${crm.externalId ?? ''}`}>
              <TableCell>{`${crm.crm === 'hubspot' ? 'HubSpot' : 'Salesforce'} ${crm.externalId ?? ''}`}</TableCell>
              <TableCell>
                <StatusTag
                  variant={crm.status === 'connected' ? 'success' : 'danger'}
                  testId={`sync-status-${crm.crm}`}
                >
                  {crm.statusReason ? `${crm.status}: ${crm.statusReason}` : crm.status}
                </StatusTag>
              </TableCell>
              <TableCell>{when(crm.lastFullSyncAt)}</TableCell>
              <TableCell>{when(crm.lastSyncAt)}</TableCell>
              <TableCell>{crm.lagSeconds === null ? '—' : `${crm.lagSeconds} s`}</TableCell>
              <TableCell>{crm.lastError ?? 'None'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </>
);
