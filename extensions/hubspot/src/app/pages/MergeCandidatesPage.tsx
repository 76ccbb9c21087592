import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { useCallback, useEffect, useState } from 'react';

import { type ApiFetcher, asError } from './api.ts';
import {
  decideMerge,
  loadMergeCandidates,
  type MergeCandidate,
  type MergeDecision,
} from './merge-api.ts';
import { evidenceText } from './words.ts';

type MergeState =
  | { status: 'loading' }
  | { status: 'success'; data: MergeCandidate[] }
  | { status: 'error'; error: Error };

type Notice = { variant: 'success' | 'warning' | 'error'; title: string; message: string };

/** "hubspot:19000000002" → "HubSpot company 19000000002"; "program:P-1" → "program row P-1". */
const recordText = (key: string) => {
  const [source, id] = key.split(/:(.*)/s);
  if (source === 'hubspot') return `HubSpot company ${id}`;
  if (source === 'salesforce') return `Salesforce account ${id}`;
  return `${source} row ${id}`;
};

const CandidateTile = ({
  candidate,
  busy,
  onDecide,
}: {
  candidate: MergeCandidate;
  busy: boolean;
  onDecide: (decision: MergeDecision) => void;
}) => (
  <Tile testId={`candidate-${candidate.id}`}>
    <Flex direction="column" gap="sm">
      <Heading>{recordText(candidate.recordKey)}</Heading>
      <Text>{`Matches ${candidate.candidates.length} partners that cannot be merged into one.`}</Text>
      {candidate.candidates.map((partner) => (
        <Flex direction="column" gap="xs" key={partner.partnerId}>
          <Text format={{ fontWeight: 'demibold' }}>
            {`${partner.partnerName ?? 'A partner no longer in PartnerLens'} (through ${recordText(partner.matchedRecordKey)})`}
          </Text>
          {partner.evidence.map((evidence, index) => (
            <Text key={`${evidence.kind}:${index}`} variant="microcopy">
              {evidenceText(evidence)}
            </Text>
          ))}
          <Button
            disabled={busy}
            onClick={() => onDecide({ decision: 'merge', partnerId: partner.partnerId })}
            testId={`merge-${candidate.id}-${partner.partnerId}`}
          >
            {`Merge into ${partner.partnerName ?? 'this partner'}`}
          </Button>
        </Flex>
      ))}
      <Button
        disabled={busy}
        onClick={() => onDecide({ decision: 'keep_apart' })}
        testId={`keep-apart-${candidate.id}`}
      >
        Keep apart
      </Button>
    </Flex>
  </Tile>
);

/** Partner records that match partners which cannot be merged, to be decided by a person. */
export const MergeCandidatesPage = ({ fetcher }: { fetcher: ApiFetcher }) => {
  const [state, setState] = useState<MergeState>({ status: 'loading' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    setState({ status: 'loading' });
    loadMergeCandidates(fetcher).then(
      (data) => setState({ status: 'success', data }),
      (error: unknown) => setState({ status: 'error', error: asError(error) }),
    );
  }, [fetcher]);

  useEffect(load, [load]);

  const decideOn = (id: string, decision: MergeDecision) => {
    setBusy(true);
    setNotice(null);
    decideMerge(fetcher, id, decision).then(
      (result) => {
        setBusy(false);
        if (result.ok)
          setNotice({
            variant: 'success',
            title: decision.decision === 'merge' ? 'Merged' : 'Kept apart',
            message: 'The partners are reconciled again with this decision.',
          });
        else if (result.error.status === 409)
          setNotice({
            variant: 'warning',
            title: 'Someone decided this one already',
            message: result.error.message,
          });
        else
          setNotice({
            variant: 'error',
            title: 'That did not work',
            message: result.error.message,
          });
        if (result.ok || result.error.status === 409) load();
      },
      (error: unknown) => {
        setBusy(false);
        setNotice({
          variant: 'error',
          title: 'That did not work',
          message: asError(error).message,
        });
      },
    );
  };

  const noticeAlert = notice && (
    <Alert title={notice.title} variant={notice.variant} testId="merge-notice">
      {notice.message}
    </Alert>
  );
  switch (state.status) {
    case 'loading':
      return (
        <LoadingSpinner label="Loading merge candidates" layout="centered" testId="merge-loading" />
      );
    case 'error':
      return (
        <ErrorState title="PartnerLens could not load the merge candidates" testId="merge-error">
          <Text>{state.error.message}</Text>
          <Button onClick={load}>Try again</Button>
        </ErrorState>
      );
    case 'success':
      return (
        <Flex direction="column" gap="md">
          {noticeAlert}
          {state.data.length === 0 ? (
            <EmptyState title="No partner record to decide" layout="vertical" testId="merge-empty">
              <Text>Every partner record reconciled to one partner on its own.</Text>
            </EmptyState>
          ) : (
            state.data.map((candidate) => (
              <CandidateTile
                key={candidate.id}
                candidate={candidate}
                busy={busy}
                onDecide={(decision) => decideOn(candidate.id, decision)}
              />
            ))
          )}
        </Flex>
      );
  }
};
