import { Alert, Button, Divider, Flex, Heading, Tag, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { CardSuggestion } from './card-api.ts';
import { TIER_VARIANTS } from './PartnerTable.tsx';

/**
 * Partners to bring in, best first, each with the reasons behind its score. "Add as co-sell" puts
 * the partner on the deal as an influencing partner (the service splits the share); "Not a fit"
 * stops suggesting it for this account.
 */
export const Suggestions = ({
  suggestions,
  onAdd,
  onDecline,
}: {
  suggestions: CardSuggestion[];
  onAdd: (partnerId: string) => Promise<void>;
  onDecline: (partnerId: string) => Promise<void>;
}) => {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = (partnerId: string, action: () => Promise<void>) => {
    setBusy(partnerId);
    setError(null);
    action().then(
      () => setBusy(null),
      (failure: unknown) => {
        setBusy(null);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  if (suggestions.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId="suggestions">
      <Divider />
      <Heading>Suggested co-sell partners</Heading>
      {error && (
        <Alert title="That did not work" variant="error" testId="suggestion-error">
          {error}
        </Alert>
      )}
      {suggestions.map((s) => (
        <Flex direction="column" gap="flush" key={s.partnerId} testId={`suggestion-${s.partnerId}`}>
          <Flex direction="row" gap="xs" align="center">
            <Text format={{ fontWeight: 'demibold' }}>{s.name}</Text>
            <Tag variant={TIER_VARIANTS[s.tier] ?? 'default'}>{s.tier}</Tag>
            <Text variant="microcopy">score {s.score}</Text>
          </Flex>
          {s.reasons.map((reason) => (
            <Text variant="microcopy" key={reason}>
              {reason}
            </Text>
          ))}
          <Flex direction="row" gap="xs">
            <Button
              size="xs"
              variant="primary"
              disabled={busy !== null}
              onClick={() => act(s.partnerId, () => onAdd(s.partnerId))}
              testId={`add-${s.partnerId}`}
            >
              Add as co-sell
            </Button>
            <Button
              size="xs"
              disabled={busy !== null}
              onClick={() => act(s.partnerId, () => onDecline(s.partnerId))}
              testId={`decline-${s.partnerId}`}
            >
              Not a fit
            </Button>
          </Flex>
        </Flex>
      ))}
    </Flex>
  );
};
