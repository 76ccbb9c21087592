import { Alert, Flex, Link, Text } from '@hubspot/ui-extensions';

import type { Conflict } from './triage-api.ts';
import { humanise, recordUrl } from './words.ts';

/** The CRM record a conflict names: its deal, else its account, else the registration's. */
function recordOf(conflict: Conflict, fallbackAccountId: string | null) {
  if (conflict.dealId)
    return { object: 'deal' as const, id: conflict.dealId, label: conflict.dealName ?? 'the deal' };
  const accountId = conflict.accountId ?? fallbackAccountId;
  return accountId ? { object: 'company' as const, id: accountId, label: 'the company' } : null;
}

/** Each conflict in its sentence, with a link to the CRM record it names. */
export const ConflictList = ({
  conflicts,
  portalId,
  accountId,
}: {
  conflicts: Conflict[];
  portalId: number;
  accountId: string | null;
}) => (
  <Flex direction="column" gap="xs" testId="conflicts">
    {conflicts.length === 0 && <Text>No conflict: nothing else claims this company.</Text>}
    {conflicts.map((conflict, index) => {
      const record = recordOf(conflict, accountId);
      return (
        <Alert
          key={`${conflict.kind}:${index}`}
          title={`${conflict.severity === 'block' ? 'Blocks' : 'Warning'}: ${humanise(conflict.kind)}`}
          variant={conflict.severity === 'block' ? 'danger' : 'warning'}
          testId={`conflict-${index}`}
        >
          <Text>{conflict.explanation}</Text>
          {record && (
            <Link href={{ url: recordUrl(portalId, record.object, record.id), external: true }}>
              Open {record.label} in HubSpot
            </Link>
          )}
        </Alert>
      );
    })}
  </Flex>
);
