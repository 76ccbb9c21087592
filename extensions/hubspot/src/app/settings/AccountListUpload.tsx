import {
  Alert,
  Button,
  Flex,
  Heading,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { useState } from 'react';

import { type ApiFetcher, asError } from '../pages/api.ts';
import { type AccountListImport, importAccountList } from './settings-api.ts';

type Outcome =
  { kind: 'imported'; result: AccountListImport } | { kind: 'refused'; message: string };

const BadRows = ({ result }: { result: AccountListImport }) => (
  <Table bordered testId="bad-rows">
    <TableHead>
      <TableRow>
        <TableHeader>Line</TableHeader>
        <TableHeader>Column</TableHeader>
        <TableHeader>Problem</TableHeader>
      </TableRow>
    </TableHead>
    <TableBody>
      {result.errors.map((error) => (
        <TableRow key={`${error.line}:${error.column ?? ''}`}>
          <TableCell>{String(error.line)}</TableCell>
          <TableCell>{error.column ?? '—'}</TableCell>
          <TableCell>{error.message}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/** A partner's account list pasted as CSV; the import's counts and each bad row come back. */
export const AccountListUpload = ({
  fetcher,
  partners,
}: {
  fetcher: ApiFetcher;
  partners: Array<{ id: string; name: string }>;
}) => {
  const [partnerId, setPartnerId] = useState(partners[0]?.id ?? '');
  const [csv, setCsv] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = () => {
    setBusy(true);
    setOutcome(null);
    importAccountList(fetcher, partnerId, csv).then(
      (result) => {
        setBusy(false);
        setOutcome(
          result.ok
            ? { kind: 'imported', result: result.value }
            : { kind: 'refused', message: result.error.message },
        );
      },
      (error: unknown) => {
        setBusy(false);
        setOutcome({ kind: 'refused', message: asError(error).message });
      },
    );
  };

  return (
    <Flex direction="column" gap="sm" testId="account-list">
      <Heading>A partner&apos;s account list</Heading>
      <Select
        label="Partner"
        name="account-list-partner"
        value={partnerId}
        options={partners.map((partner) => ({ label: partner.name, value: partner.id }))}
        onChange={(value) => setPartnerId(String(value))}
        testId="account-list-partner"
      />
      <TextArea
        label="The list as CSV: name,domain,population (customer, open_opportunity or prospect)"
        name="account-list-csv"
        value={csv}
        rows={6}
        onChange={setCsv}
        testId="account-list-csv"
      />
      <Button
        disabled={busy || !partnerId || csv.trim() === ''}
        onClick={upload}
        testId="account-list-upload"
      >
        Import the list
      </Button>
      {outcome?.kind === 'imported' && (
        <Alert
          title="List imported"
          variant={outcome.result.rowsRejected > 0 ? 'warning' : 'success'}
          testId="account-list-imported"
        >
          {`${outcome.result.rowsKept} of ${outcome.result.rowsRead} rows kept, ${outcome.result.rowsMatched} matched to CRM companies, ${outcome.result.rowsRejected} refused.`}
        </Alert>
      )}
      {outcome?.kind === 'imported' && outcome.result.errors.length > 0 && (
        <BadRows result={outcome.result} />
      )}
      {outcome?.kind === 'refused' && (
        <Alert title="The list was not imported" variant="danger" testId="account-list-refused">
          <Text>{outcome.message}</Text>
        </Alert>
      )}
    </Flex>
  );
};
