import { Alert, Button, Flex, Text } from '@hubspot/ui-extensions';

import { evidenceText } from '../pages/words.ts';
import type { CardRegistration } from './card-api.ts';

const holdLine = (registration: CardRegistration) =>
  registration.status === 'pending'
    ? `Registered by ${registration.partner.name}, awaiting a decision`
    : `Registered by ${registration.partner.name} · ${registration.daysLeft} day${registration.daysLeft === 1 ? '' : 's'} of protection left`;

const matchLine = (registration: CardRegistration) => {
  const registered = registration.company
    ? `Registered as ${registration.company.name || registration.company.domain}`
    : 'Registered';
  const how = registration.accountMatch.map(evidenceText).join('; ');
  return how ? `${registered}, matched to this account by: ${how}` : registered;
};

/**
 * Who holds the deal's account by registration, how the registration matched it, and what
 * clashes with the partners on the deal; a pending one opens in the triage page.
 */
export const Registrations = ({
  registrations,
  onOpenTriage,
}: {
  registrations: CardRegistration[];
  onOpenTriage?: (registrationId: string) => void;
}) => (
  <Flex direction="column" gap="xs">
    {registrations.map((registration) => (
      <Flex direction="column" gap="xs" key={registration.id}>
        <Text format={{ fontWeight: 'demibold' }} testId="registration-hold">
          {holdLine(registration)}
        </Text>
        <Text variant="microcopy" testId={`registration-match-${registration.id}`}>
          {matchLine(registration)}
        </Text>
        {registration.conflicts.map((conflict) => (
          <Alert
            key={`${conflict.kind}:${conflict.partnerId}`}
            title="Registration conflict"
            variant="warning"
          >
            {`${conflict.message} ${matchLine(registration)}.`}
          </Alert>
        ))}
        {registration.status === 'pending' && onOpenTriage && (
          <Button
            onClick={() => onOpenTriage(registration.id)}
            testId={`open-triage-${registration.id}`}
          >
            Decide in PartnerLens triage
          </Button>
        )}
      </Flex>
    ))}
  </Flex>
);
