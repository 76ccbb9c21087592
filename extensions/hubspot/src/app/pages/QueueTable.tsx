import {
  Button,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';

import type { Registration } from './triage-api.ts';
import { ageText, humanise } from './words.ts';

/** Against the SLA: how late, or how long is left. */
function slaText(registration: Registration, now: number, slaHours: number) {
  if (registration.status !== 'pending') return humanise(registration.status);
  const left = slaHours - (now - new Date(registration.submittedAt).getTime()) / 3_600_000;
  if (registration.overdue) return `Overdue by ${Math.max(1, Math.floor(-left))} h`;
  return `Due in ${Math.max(0, Math.floor(left))} h`;
}

/** The queue, oldest first as the API answers it. */
export const QueueTable = ({
  items,
  now,
  slaHours,
  selectedId,
  onOpen,
}: {
  items: Registration[];
  now: number;
  slaHours: number;
  selectedId: string | null;
  onOpen: (id: string) => void;
}) => (
  <Table bordered testId="queue">
    <TableHead>
      <TableRow>
        <TableHeader>Company</TableHeader>
        <TableHeader>Partner</TableHeader>
        <TableHeader>Waiting</TableHeader>
        <TableHeader>SLA</TableHeader>
        <TableHeader>Conflicts</TableHeader>
        <TableHeader> </TableHeader>
      </TableRow>
    </TableHead>
    <TableBody>
      {items.map((registration) => (
        <TableRow key={registration.id}>
          <TableCell>
            <Text>{registration.company.name || registration.company.domain}</Text>
          </TableCell>
          <TableCell>
            <Text>{registration.partner.name}</Text>
          </TableCell>
          <TableCell>
            <Text>{ageText(registration.submittedAt, now)}</Text>
          </TableCell>
          <TableCell>
            <StatusTag
              variant={registration.overdue ? 'danger' : 'default'}
              testId={`sla-${registration.id}`}
            >
              {slaText(registration, now, slaHours)}
            </StatusTag>
          </TableCell>
          <TableCell>
            <Text>
              {registration.conflicts.length === 0
                ? 'None'
                : `${registration.conflicts.length} (${registration.conflicts.some((c) => c.severity === 'block') ? 'blocking' : 'warnings'})`}
            </Text>
          </TableCell>
          <TableCell>
            <Button
              variant={selectedId === registration.id ? 'primary' : 'secondary'}
              onClick={() => onOpen(registration.id)}
              testId={`open-${registration.id}`}
            >
              Open
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
