import { Alert, Flex, Text } from '@hubspot/ui-extensions';

import type { CardRegistration } from './card-api.ts';

const holdLine = (registration: CardRegistration) =>
  registration.status === 'pending'
    ? `Registered by ${registration.partner.name}, awaiting a decision`
    : `Registered by ${registration.partner.name} · ${registration.daysLeft} day${registration.daysLeft === 1 ? '' : 's'} of protection left`;

/** Who holds the deal's account by registration, and what clashes with the partners on the deal. */
export const Registrations = ({ registrations }: { registrations: CardRegistration[] }) => (
  <Flex direction="column" gap="xs">
    {registrations.map((registration) => (
      <Flex direction="column" gap="xs" key={registration.id}>
        <Text format={{ fontWeight: 'demibold' }} testId="registration-hold">
          {holdLine(registration)}
        </Text>
        {registration.conflicts.map((conflict) => (
          <Alert
            key={`${conflict.kind}:${conflict.partnerId}`}
            title="Registration conflict"
            variant="warning"
          >
            {conflict.message}
          </Alert>
        ))}
      </Flex>
    ))}
  </Flex>
);
