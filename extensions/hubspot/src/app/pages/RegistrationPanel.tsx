import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  Divider,
  ErrorState,
  Flex,
  Heading,
  Link,
  LoadingSpinner,
  Text,
} from '@hubspot/ui-extensions';
import { useCallback, useEffect, useState } from 'react';

import { type ApiError, type ApiFetcher, type ApiResult, asError, fieldErrorsOf } from './api.ts';
import { ConflictList } from './ConflictList.tsx';
import { DecisionBar } from './DecisionBar.tsx';
import {
  decide,
  type Decision,
  extend,
  loadRegistration,
  type Registration,
  type RegistrationDetail,
} from './triage-api.ts';
import { dateText, evidenceText, humanise, moneyText, recordUrl } from './words.ts';

type PanelState =
  | { status: 'loading' }
  | { status: 'success'; data: RegistrationDetail }
  | { status: 'error'; error: Error };

/** What the last action came to: done, refused by a conflict that appeared, or another error. */
type Outcome =
  | { kind: 'done'; message: string }
  | { kind: 'conflict'; error: ApiError }
  | { kind: 'failed'; error: ApiError };

const DONE = { approve: 'Registration approved', reject: 'Registration rejected' };

const OutcomeAlert = ({ outcome }: { outcome: Outcome }) => {
  if (outcome.kind === 'done')
    return (
      <Alert title={outcome.message} variant="success" testId="outcome-done">
        The queue is up to date.
      </Alert>
    );
  if (outcome.kind === 'conflict')
    return (
      <Alert
        title="The registration changed since you opened it"
        variant="danger"
        testId="outcome-conflict"
      >
        {outcome.error.message}. Its conflicts below are as they stand now.
      </Alert>
    );
  return (
    <Alert title="That did not work" variant="error" testId="outcome-failed">
      {outcome.error.message}
    </Alert>
  );
};

const Details = ({ data, portalId }: { data: RegistrationDetail; portalId: number }) => (
  <DescriptionList direction="row">
    <DescriptionListItem label="Partner">
      <Text>{data.partner.name}</Text>
    </DescriptionListItem>
    <DescriptionListItem label="Amount">
      <Text>{data.amount ? moneyText(data.amount) : '—'}</Text>
    </DescriptionListItem>
    <DescriptionListItem label="Submitted">
      <Text>{dateText(data.submittedAt)}</Text>
    </DescriptionListItem>
    <DescriptionListItem label="Status">
      <Text>{`${humanise(data.status)}${data.overdue ? ', overdue' : ''}`}</Text>
    </DescriptionListItem>
    <DescriptionListItem label="Matched account">
      {data.matchedAccountId ? (
        <Link
          href={{ url: recordUrl(portalId, 'company', data.matchedAccountId), external: true }}
          testId="matched-account"
        >
          {data.company.domain ?? data.company.name}
        </Link>
      ) : (
        <Text testId="matched-account">No CRM company matched</Text>
      )}
    </DescriptionListItem>
    <DescriptionListItem label="Protection">
      <Text>
        {data.window
          ? `${dateText(data.window.start)} to ${dateText(data.window.end)}${data.daysLeft === null ? '' : ` (${data.daysLeft} days left)`}`
          : 'Starts at approval'}
      </Text>
    </DescriptionListItem>
  </DescriptionList>
);

/** One registration: its match and its evidence, its conflicts, its history, its decisions. */
export const RegistrationPanel = ({
  fetcher,
  portalId,
  registrationId,
  onChanged,
  onClose,
}: {
  fetcher: ApiFetcher;
  portalId: number;
  registrationId: string;
  onChanged: () => void;
  onClose: () => void;
}) => {
  const [state, setState] = useState<PanelState>({ status: 'loading' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    setState({ status: 'loading' });
    loadRegistration(fetcher, registrationId).then(
      (data) => setState({ status: 'success', data }),
      (error: unknown) => setState({ status: 'error', error: asError(error) }),
    );
  }, [fetcher, registrationId]);

  useEffect(() => {
    setOutcome(null);
    load();
  }, [load]);

  const run = (action: () => Promise<ApiResult<Registration>>, done: string) => {
    setBusy(true);
    setOutcome(null);
    action().then(
      (result) => {
        setBusy(false);
        if (result.ok) {
          setOutcome({ kind: 'done', message: done });
          onChanged();
          return load();
        }
        // A 409 means the world moved since the list was read: show what stands now.
        if (result.error.status === 409) {
          setOutcome({ kind: 'conflict', error: result.error });
          onChanged();
          return load();
        }
        setOutcome({ kind: 'failed', error: result.error });
      },
      (error: unknown) => {
        setBusy(false);
        setOutcome({
          kind: 'failed',
          error: { status: 0, code: 'NETWORK', message: asError(error).message },
        });
      },
    );
  };

  if (state.status === 'loading')
    return <LoadingSpinner label="Loading the registration" testId="panel-loading" />;
  if (state.status === 'error')
    return (
      <ErrorState title="PartnerLens could not load this registration" testId="panel-error">
        <Text>{state.error.message}</Text>
        <Button onClick={load}>Try again</Button>
      </ErrorState>
    );
  const { data } = state;
  const reasonError = outcome?.kind === 'failed' ? fieldErrorsOf(outcome.error).reason : undefined;
  return (
    <Flex direction="column" gap="sm" testId="registration-panel">
      <Flex direction="row" justify="between">
        <Heading>{data.company.name || data.company.domain}</Heading>
        <Button variant="transparent" onClick={onClose} testId="close-panel">
          Close
        </Button>
      </Flex>
      {outcome && !reasonError && <OutcomeAlert outcome={outcome} />}
      <Details data={data} portalId={portalId} />
      <Text format={{ fontWeight: 'demibold' }}>How it matched</Text>
      <Flex direction="column" gap="xs" testId="match-evidence">
        {data.accountMatch.length === 0 && <Text>Nothing in the CRM matched this company.</Text>}
        {data.accountMatch.map((evidence, index) => (
          <Text key={`${evidence.kind}:${index}`}>{evidenceText(evidence)}</Text>
        ))}
      </Flex>
      <Text format={{ fontWeight: 'demibold' }}>Conflicts</Text>
      <ConflictList
        conflicts={data.conflicts}
        portalId={portalId}
        accountId={data.matchedAccountId}
      />
      {data.rejectionReason && <Text>{`Rejected: ${data.rejectionReason}`}</Text>}
      <DecisionBar
        key={`${data.id}:${data.status}`}
        status={data.status}
        busy={busy}
        reasonError={reasonError}
        onDecide={(decision: Decision) =>
          run(() => decide(fetcher, data.id, decision), DONE[decision.decision])
        }
        onExtend={() => run(() => extend(fetcher, data.id), 'Protection extended')}
      />
      <Divider />
      <Text format={{ fontWeight: 'demibold' }}>History</Text>
      <Flex direction="column" gap="xs" testId="history">
        {data.history.map((event, index) => (
          <Text key={`${event.action}:${index}`} variant="microcopy">
            {`${humanise(event.action)} by ${event.actor} on ${dateText(event.at)}${event.reason ? `: ${event.reason}` : ''}`}
          </Text>
        ))}
      </Flex>
    </Flex>
  );
};
