import { Button, Flex, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { Decision } from './triage-api.ts';

/** Approve, reject with a reason, or extend: what the registration's status allows. */
export const DecisionBar = ({
  status,
  busy,
  reasonError,
  onDecide,
  onExtend,
}: {
  status: string;
  busy: boolean;
  /** The server's word on the reason (a 400 naming `reason`). */
  reasonError: string | undefined;
  onDecide: (decision: Decision) => void;
  onExtend: () => void;
}) => {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  if (status === 'approved')
    return (
      <Button onClick={onExtend} disabled={busy} testId="extend">
        Extend protection
      </Button>
    );
  if (status !== 'pending') return null;
  if (!rejecting)
    return (
      <Flex direction="row" gap="sm">
        <Button
          variant="primary"
          onClick={() => onDecide({ decision: 'approve' })}
          disabled={busy}
          testId="approve"
        >
          Approve
        </Button>
        <Button variant="destructive" onClick={() => setRejecting(true)} testId="start-reject">
          Reject…
        </Button>
      </Flex>
    );
  const message = missing ? 'A reason is required to reject' : reasonError;
  return (
    <Flex direction="column" gap="xs">
      <TextArea
        label="Why is it rejected? The partner sees this reason."
        name="reason"
        value={reason}
        required
        error={message !== undefined}
        validationMessage={message}
        onChange={(value) => {
          setReason(value);
          setMissing(false);
        }}
        testId="reason"
      />
      <Flex direction="row" gap="sm">
        <Button
          variant="destructive"
          disabled={busy}
          onClick={() => {
            if (reason.trim() === '') return setMissing(true);
            onDecide({ decision: 'reject', reason: reason.trim() });
          }}
          testId="confirm-reject"
        >
          Reject
        </Button>
        <Button onClick={() => setRejecting(false)} testId="cancel-reject">
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
};
