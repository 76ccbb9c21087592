import {
  Alert,
  Button,
  Checkbox,
  Flex,
  Heading,
  Input,
  NumberInput,
  Select,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';

import { type ApiError, type ApiFetcher, asError, fieldErrorsOf } from '../pages/api.ts';
import { fieldPath, setCap, setProtection } from './program-draft.ts';
import { type Program, type ProgramAnswer, saveProgram } from './settings-api.ts';

type Notice =
  | { kind: 'saved'; version: number }
  | { kind: 'invalid'; unplaced: Array<[string, string]> }
  | { kind: 'conflict'; error: ApiError }
  | { kind: 'confirm'; error: ApiError }
  | { kind: 'failed'; message: string };

const NoticeAlert = ({
  notice,
  onReload,
  onConfirm,
}: {
  notice: Notice;
  onReload: () => void;
  onConfirm: () => void;
}) => {
  switch (notice.kind) {
    case 'saved':
      return (
        <Alert title="Program saved" variant="success" testId="program-saved">
          {`Version ${notice.version} is in force.`}
        </Alert>
      );
    case 'invalid':
      return (
        <Alert title="The program is not valid" variant="danger" testId="program-invalid">
          {notice.unplaced.length === 0
            ? 'See the fields marked below.'
            : notice.unplaced.map(([path, message]) => `${path}: ${message}`).join('; ')}
        </Alert>
      );
    case 'conflict':
      return (
        <Alert
          title="Someone saved the program meanwhile"
          variant="warning"
          testId="program-conflict"
        >
          <Text>{notice.error.message}</Text>
          <Button onClick={onReload}>Reload the program</Button>
        </Alert>
      );
    case 'confirm':
      return (
        <Alert title="This change needs a confirmation" variant="warning" testId="program-confirm">
          <Text>{notice.error.message}</Text>
          <Button variant="primary" onClick={onConfirm} testId="confirm-save">
            Save anyway
          </Button>
        </Alert>
      );
    case 'failed':
      return (
        <Alert title="That did not work" variant="error" testId="program-failed">
          {notice.message}
        </Alert>
      );
  }
};

const numberOrUndefined = (value: number | undefined | null) =>
  value === null || value === undefined || Number.isNaN(value) ? undefined : value;

/** The program's common fields; the server's validation errors show at the field they name. */
export const ProgramForm = ({
  fetcher,
  answer,
  onReload,
}: {
  fetcher: ApiFetcher;
  answer: ProgramAnswer;
  onReload: () => void;
}) => {
  const [draft, setDraft] = useState<Program>(answer.program);
  const [version, setVersion] = useState(answer.version);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  const at = (path: string) => {
    const message = errors[fieldPath(path)];
    return { error: message !== undefined, validationMessage: message };
  };

  const save = (confirm = false) => {
    setBusy(true);
    setNotice(null);
    saveProgram(fetcher, version, draft, confirm).then(
      (result) => {
        setBusy(false);
        if (result.ok) {
          setErrors({});
          setVersion(result.value.version);
          setDraft(result.value.program);
          return setNotice({ kind: 'saved', version: result.value.version });
        }
        const fields = fieldErrorsOf(result.error);
        if (result.error.status === 400 && Object.keys(fields).length > 0) {
          setErrors(fields);
          const placed = new Set(FIELD_PATHS(draft).map(fieldPath));
          return setNotice({
            kind: 'invalid',
            unplaced: Object.entries(fields).filter(([path]) => !placed.has(path)),
          });
        }
        if (result.error.code === 'PROGRAM.CONFIRMATION_REQUIRED')
          return setNotice({ kind: 'confirm', error: result.error });
        if (result.error.status === 409)
          return setNotice({ kind: 'conflict', error: result.error });
        setNotice({ kind: 'failed', message: result.error.message });
      },
      (error: unknown) => {
        setBusy(false);
        setNotice({ kind: 'failed', message: asError(error).message });
      },
    );
  };

  const tierOptions = draft.tiers.map((tier) => ({ label: tier, value: tier }));
  return (
    <Flex direction="column" gap="sm" testId="program-form">
      <Heading>Program</Heading>
      {notice && <NoticeAlert notice={notice} onReload={onReload} onConfirm={() => save(true)} />}
      <Flex direction="row" gap="md" wrap="wrap">
        <Input
          label="Currency"
          name="program.currency"
          value={draft.currency}
          onChange={(currency) => setDraft({ ...draft, currency })}
          {...at('currency')}
        />
        <NumberInput
          label="Approval SLA (hours)"
          name="program.approvalSlaHours"
          value={draft.approvalSlaHours}
          onChange={(hours) => setDraft({ ...draft, approvalSlaHours: hours })}
          {...at('approvalSlaHours')}
        />
        <NumberInput
          label="Protection (days)"
          name="program.protectionDays.default"
          value={draft.protectionDays.default}
          onChange={(days) =>
            setDraft({ ...draft, protectionDays: { ...draft.protectionDays, default: days } })
          }
          {...at('protectionDays.default')}
        />
      </Flex>
      <Text format={{ fontWeight: 'demibold' }}>By tier (empty: the default, no cap)</Text>
      {draft.tiers.map((tier) => (
        <Flex direction="row" gap="md" key={tier}>
          <NumberInput
            label={`Protection days, ${tier}`}
            name={`program.protectionDays.byTier.${tier}`}
            value={draft.protectionDays.byTier[tier]}
            onChange={(days) => setDraft(setProtection(draft, tier, numberOrUndefined(days)))}
            {...at(`protectionDays.byTier.${tier}`)}
          />
          <NumberInput
            label={`Active registrations cap, ${tier}`}
            name={`program.caps.activeRegistrationsByTier.${tier}`}
            value={draft.caps.activeRegistrationsByTier[tier]}
            onChange={(cap) => setDraft(setCap(draft, tier, numberOrUndefined(cap)))}
            {...at(`caps.activeRegistrationsByTier.${tier}`)}
          />
        </Flex>
      ))}
      <Flex direction="row" gap="md">
        <Select
          label="An open deal with no partner"
          name="program.conflicts.directOpportunity"
          value={draft.conflicts.directOpportunity}
          options={[
            { label: 'Blocks the registration', value: 'block' },
            { label: 'Warns', value: 'warn' },
          ]}
          onChange={(value) =>
            setDraft({
              ...draft,
              conflicts: { ...draft.conflicts, directOpportunity: value as 'block' | 'warn' },
            })
          }
          {...at('conflicts.directOpportunity')}
        />
        <Select
          label="An existing customer"
          name="program.conflicts.existingCustomer"
          value={draft.conflicts.existingCustomer}
          options={[
            { label: 'Blocks the registration', value: 'block' },
            { label: 'Warns', value: 'warn' },
            { label: 'Is no conflict', value: 'off' },
          ]}
          onChange={(value) =>
            setDraft({
              ...draft,
              conflicts: {
                ...draft.conflicts,
                existingCustomer: value as 'block' | 'warn' | 'off',
              },
            })
          }
          {...at('conflicts.existingCustomer')}
        />
      </Flex>
      <Checkbox
        name="program.autoApprove.enabled"
        checked={draft.autoApprove.enabled}
        onChange={(enabled) =>
          setDraft({ ...draft, autoApprove: { ...draft.autoApprove, enabled } })
        }
      >
        Approve clean registrations automatically
      </Checkbox>
      {draft.autoApprove.enabled && (
        <Flex direction="row" gap="md">
          <Select
            label="From tier"
            name="program.autoApprove.minTier"
            value={draft.autoApprove.minTier ?? ''}
            options={[{ label: 'Any tier', value: '' }, ...tierOptions]}
            onChange={(value) =>
              setDraft({
                ...draft,
                autoApprove: { ...draft.autoApprove, minTier: String(value) || undefined },
              })
            }
            {...at('autoApprove.minTier')}
          />
          <NumberInput
            label={`Up to an amount of (${draft.currency})`}
            name="program.autoApprove.maxAmount"
            value={draft.autoApprove.maxAmount}
            onChange={(amount) =>
              setDraft({
                ...draft,
                autoApprove: { ...draft.autoApprove, maxAmount: numberOrUndefined(amount) },
              })
            }
            {...at('autoApprove.maxAmount')}
          />
        </Flex>
      )}
      <Checkbox
        name="program.slaTasks.enabled"
        checked={draft.slaTasks.enabled}
        onChange={(enabled) => setDraft({ ...draft, slaTasks: { ...draft.slaTasks, enabled } })}
      >
        Create a HubSpot task for the partner&apos;s manager when a registration waits
      </Checkbox>
      {draft.slaTasks.enabled && (
        <Flex direction="row" gap="md">
          <NumberInput
            label="At this share of the SLA (%)"
            name="program.slaTasks.share"
            value={Math.round(draft.slaTasks.share * 100)}
            onChange={(percent) =>
              setDraft({ ...draft, slaTasks: { ...draft.slaTasks, share: percent / 100 } })
            }
            {...at('slaTasks.share')}
          />
          <Input
            label="Owner when the manager has none (HubSpot owner id)"
            name="program.slaTasks.fallbackOwnerId"
            value={draft.slaTasks.fallbackOwnerId ?? ''}
            onChange={(owner) =>
              setDraft({
                ...draft,
                slaTasks: { ...draft.slaTasks, fallbackOwnerId: owner.trim() || undefined },
              })
            }
            {...at('slaTasks.fallbackOwnerId')}
          />
        </Flex>
      )}
      <Button variant="primary" disabled={busy} onClick={() => save()} testId="save-program">
        Save the program
      </Button>
    </Flex>
  );
};

/** The paths this form has a field for (for errors that name none of them). */
const FIELD_PATHS = (program: Program) => [
  'currency',
  'approvalSlaHours',
  'protectionDays.default',
  ...program.tiers.flatMap((tier) => [
    `protectionDays.byTier.${tier}`,
    `caps.activeRegistrationsByTier.${tier}`,
  ]),
  'conflicts.directOpportunity',
  'conflicts.existingCustomer',
  'autoApprove.minTier',
  'autoApprove.maxAmount',
  'slaTasks.share',
  'slaTasks.fallbackOwnerId',
];
