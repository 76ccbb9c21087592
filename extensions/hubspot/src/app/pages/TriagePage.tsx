import {
  Button,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  Statistics,
  StatisticsItem,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { useCallback, useEffect, useState } from 'react';

import { type ApiFetcher, asError } from './api.ts';
import { QueueFilters } from './QueueFilters.tsx';
import { QueueTable } from './QueueTable.tsx';
import { RegistrationPanel } from './RegistrationPanel.tsx';
import {
  loadPartnerOptions,
  loadQueue,
  loadSummary,
  type QueueFilters as Filters,
  type RegistrationPage,
  type Summary,
} from './triage-api.ts';

interface TriageData {
  page: RegistrationPage;
  summary: Summary;
  partners: Array<{ id: string; name: string }>;
}

type TriageState =
  | { status: 'loading'; previous?: TriageData }
  | { status: 'success'; data: TriageData }
  | { status: 'error'; error: Error };

const FIRST_FILTERS: Filters = { status: 'pending', overdue: false, partnerId: null };

/** The partner manager's queue: pending registrations oldest first, one opened beside it. */
export const TriagePage = ({
  fetcher,
  portalId,
  now = Date.now,
  registrationId = null,
}: {
  fetcher: ApiFetcher;
  portalId: number;
  now?: () => number;
  /** Opened at once: the deal card links here for a pending registration. */
  registrationId?: string | null;
}) => {
  const [filters, setFilters] = useState<Filters>(FIRST_FILTERS);
  // The cursors of the pages before this one; the API pages forward by keyset.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [state, setState] = useState<TriageState>({ status: 'loading' });
  const [selectedId, setSelectedId] = useState<string | null>(registrationId);
  const cursor = cursors[cursors.length - 1] ?? null;

  const load = useCallback(() => {
    setState((current) => ({
      status: 'loading',
      previous: current.status === 'success' ? current.data : undefined,
    }));
    Promise.all([
      loadQueue(fetcher, filters, cursor),
      loadSummary(fetcher),
      loadPartnerOptions(fetcher),
    ]).then(
      ([page, summary, partners]) =>
        setState({ status: 'success', data: { page, summary, partners } }),
      (error: unknown) => setState({ status: 'error', error: asError(error) }),
    );
  }, [fetcher, filters, cursor]);

  useEffect(load, [load]);

  const panel = selectedId && (
    <Tile testId="panel-tile">
      <RegistrationPanel
        fetcher={fetcher}
        portalId={portalId}
        registrationId={selectedId}
        onChanged={load}
        onClose={() => setSelectedId(null)}
      />
    </Tile>
  );

  const data = state.status === 'success' ? state.data : null;
  // While the queue reloads, the summary and the partners of the last answer stay.
  const shown = data ?? (state.status === 'loading' ? state.previous : undefined);
  return (
    <Flex direction="column" gap="md">
      {shown && (
        <Statistics testId="summary">
          <StatisticsItem label="Pending" number={shown.summary.pending} />
          <StatisticsItem
            label={`Overdue (SLA ${shown.summary.approvalSlaHours} h)`}
            number={shown.summary.overdue}
          />
          <StatisticsItem label="Decided this week" number={shown.summary.decidedThisWeek.total} />
        </Statistics>
      )}
      <QueueFilters
        filters={filters}
        partners={shown?.partners ?? []}
        onChange={(next) => {
          setFilters(next);
          setCursors([null]);
        }}
      />
      {state.status === 'loading' && (
        <LoadingSpinner label="Loading the queue" layout="centered" testId="queue-loading" />
      )}
      {state.status === 'error' && (
        <ErrorState title="PartnerLens could not load the queue" testId="queue-error">
          <Text>{state.error.message}</Text>
          <Button onClick={load}>Try again</Button>
        </ErrorState>
      )}
      {data && data.page.items.length === 0 && (
        <EmptyState title="Nothing waits here" layout="vertical" testId="queue-empty">
          <Text>No registration matches these filters.</Text>
        </EmptyState>
      )}
      {data && data.page.items.length > 0 && (
        <QueueTable
          items={data.page.items}
          now={now()}
          slaHours={data.summary.approvalSlaHours}
          selectedId={selectedId}
          onOpen={setSelectedId}
        />
      )}
      {data && (cursors.length > 1 || data.page.nextCursor) && (
        <Flex direction="row" gap="sm" align="center" testId="paging">
          <Button
            disabled={cursors.length === 1}
            onClick={() => setCursors(cursors.slice(0, -1))}
            testId="previous-page"
          >
            Previous
          </Button>
          <Text testId="page-number">{`Page ${cursors.length}`}</Text>
          <Button
            disabled={!data.page.nextCursor}
            onClick={() => setCursors([...cursors, data.page.nextCursor])}
            testId="next-page"
          >
            Next
          </Button>
        </Flex>
      )}
      {panel}
    </Flex>
  );
};
