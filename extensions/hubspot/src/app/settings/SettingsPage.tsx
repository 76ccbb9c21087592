import { Button, Divider, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useState } from 'react';

import { type ApiFetcher, asError } from '../pages/api.ts';
import { AccountListUpload } from './AccountListUpload.tsx';
import { IntakeDetails } from './IntakeDetails.tsx';
import { ProgramForm } from './ProgramForm.tsx';
import { ProgramImport } from './ProgramImport.tsx';
import { RateCardTable } from './RateCardTable.tsx';
import {
  type CrmHealth,
  loadPartners,
  loadProgram,
  loadSyncHealth,
  type ProgramAnswer,
} from './settings-api.ts';
import { SyncHealth } from './SyncHealth.tsx';

type SettingsState =
  | { status: 'loading' }
  | {
      status: 'success';
      data: {
        program: ProgramAnswer;
        health: CrmHealth[];
        partners: Array<{ id: string; name: string }>;
      };
    }
  | { status: 'error'; error: Error };

/** The admin's page: the program, its rate card, sync health and how partners register. */
export const SettingsPage = ({ fetcher }: { fetcher: ApiFetcher }) => {
  const [state, setState] = useState<SettingsState>({ status: 'loading' });

  const load = useCallback(() => {
    setState({ status: 'loading' });
    Promise.all([loadProgram(fetcher), loadSyncHealth(fetcher), loadPartners(fetcher)]).then(
      ([program, health, partners]) =>
        setState({ status: 'success', data: { program, health, partners } }),
      (error: unknown) => setState({ status: 'error', error: asError(error) }),
    );
  }, [fetcher]);

  useEffect(load, [load]);

  switch (state.status) {
    case 'loading':
      return (
        <LoadingSpinner label="Loading the settings" layout="centered" testId="settings-loading" />
      );
    case 'error':
      return (
        <ErrorState title="PartnerLens could not load its settings" testId="settings-error">
          <Text>{state.error.message}</Text>
          <Button onClick={load}>Try again</Button>
        </ErrorState>
      );
    case 'success': {
      const { program, health, partners } = state.data;
      return (
        <Flex direction="column" gap="md">
          <ProgramForm key={program.version} fetcher={fetcher} answer={program} onReload={load} />
          <Divider />
          <RateCardTable program={program.program} />
          <Divider />
          <SyncHealth crms={health} />
          <Divider />
          <ProgramImport fetcher={fetcher} />
          <Divider />
          <AccountListUpload fetcher={fetcher} partners={partners} />
          <Divider />
          <IntakeDetails slaHours={program.program.approvalSlaHours} />
        </Flex>
      );
    }
  }
};
