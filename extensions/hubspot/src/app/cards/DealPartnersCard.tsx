import { Button, EmptyState, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useState } from 'react';

import {
  addCoSeller,
  type CardFetcher,
  type DealCard,
  declineSuggestion,
  loadDealCard,
} from './card-api.ts';
import { CommissionPreviews } from './CommissionPreviews.tsx';
import { PartnerTable } from './PartnerTable.tsx';
import { Registrations } from './Registrations.tsx';
import { Suggestions } from './Suggestions.tsx';

type CardState =
  { status: 'loading' } | { status: 'success'; data: DealCard } | { status: 'error'; error: Error };

export const DealPartnersCard = ({
  dealId,
  fetcher,
  onOpenTriage,
}: {
  dealId: string;
  fetcher: CardFetcher;
  /** Opens the app's triage page on a registration (navigateToPage in HubSpot). */
  onOpenTriage?: (registrationId: string) => void;
}) => {
  const [state, setState] = useState<CardState>({ status: 'loading' });

  const load = useCallback(() => {
    setState({ status: 'loading' });
    loadDealCard(fetcher, dealId).then(
      (data) => setState({ status: 'success', data }),
      (error: unknown) =>
        setState({
          status: 'error',
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }, [fetcher, dealId]);

  useEffect(load, [load]);

  switch (state.status) {
    case 'loading':
      return <LoadingSpinner label="Loading partners" layout="centered" testId="card-loading" />;
    case 'error':
      return (
        <ErrorState title="PartnerLens could not load this deal" testId="card-error">
          <Text>{state.error.message}</Text>
          <Button onClick={load}>Try again</Button>
        </ErrorState>
      );
    case 'success': {
      const { partners, registrations, account, suggestions } = state.data;
      const suggestionList = (
        <Suggestions
          suggestions={suggestions}
          onAdd={(partnerId) => addCoSeller(fetcher, dealId, partnerId).then(load)}
          onDecline={(partnerId) => declineSuggestion(fetcher, dealId, partnerId).then(load)}
        />
      );
      if (partners.length === 0 && registrations.length === 0 && suggestions.length === 0) {
        return (
          <EmptyState title="No partner on this deal yet" layout="vertical" testId="card-empty">
            <Text>Partners attached to this deal in the CRM or in PartnerLens show up here.</Text>
          </EmptyState>
        );
      }
      return (
        <Flex direction="column" gap="sm">
          <Text variant="microcopy">
            {account ? `Account: ${account.name}` : 'No account on this deal'}
          </Text>
          {registrations.length > 0 && (
            <Registrations registrations={registrations} onOpenTriage={onOpenTriage} />
          )}
          {partners.length > 0 ? (
            <PartnerTable
              partners={partners}
              industry={
                account?.industry
                  ? { code: account.industry, label: account.industryLabel ?? account.industry }
                  : null
              }
            />
          ) : (
            <Text>No partner is on this deal yet.</Text>
          )}
          {partners.length > 0 && <CommissionPreviews partners={partners} />}
          {suggestionList}
        </Flex>
      );
    }
  }
};
