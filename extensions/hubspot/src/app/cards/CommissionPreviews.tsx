import { Flex, Text } from '@hubspot/ui-extensions';

import type { CardPartner } from './card-api.ts';

/** "If this closes at $X, Partner Y earns $Z: 30 % gold reseller", per partner on the deal. */
export const CommissionPreviews = ({ partners }: { partners: CardPartner[] }) => (
  <Flex direction="column" gap="xs">
    {partners.map((partner) =>
      partner.commission === null ? null : (
        <Text
          key={`${partner.id}:${partner.role}`}
          variant="microcopy"
          testId={`commission-preview-${partner.id}-${partner.role}`}
        >
          {'explanation' in partner.commission
            ? partner.commission.explanation
            : `${partner.name}: no commission preview (${partner.commission.error.message}).`}
        </Text>
      ),
    )}
  </Flex>
);
