import {
  Alert,
  Button,
  Flex,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { type ReactNode, useState } from 'react';

import { type ApiResult, asError } from '../pages/api.ts';
import type { CsvImportResult } from './settings-api.ts';

type Outcome = { kind: 'imported'; result: CsvImportResult } | { kind: 'refused'; message: string };

const BadRows = ({ result, id }: { result: CsvImportResult; id: string }) => (
  <Table bordered testId={`${id}-bad-rows`}>
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

const countsText = (result: CsvImportResult) =>
  `${result.rowsKept} of ${result.rowsRead} rows kept${result.rowsMatched === undefined ? '' : `, ${result.rowsMatched} matched to CRM companies`}, ${result.rowsRejected} refused.`;

/** CSV pasted and imported; the import's counts and each bad row (line, column) come back. */
export const CsvImport = ({
  id,
  label,
  ready = true,
  onImport,
  children,
}: {
  id: string;
  label: string;
  ready?: boolean;
  onImport: (csv: string) => Promise<ApiResult<CsvImportResult>>;
  children?: ReactNode;
}) => {
  const [csv, setCsv] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = () => {
    setBusy(true);
    setOutcome(null);
    onImport(csv).then(
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
    <Flex direction="column" gap="sm" testId={id}>
      {children}
      <TextArea
        label={label}
        name={`${id}-csv`}
        value={csv}
        rows={6}
        onChange={setCsv}
        testId={`${id}-csv`}
      />
      <Button
        disabled={busy || !ready || csv.trim() === ''}
        onClick={upload}
        testId={`${id}-upload`}
      >
        Import
      </Button>
      {outcome?.kind === 'imported' && (
        <Alert
          title="Imported"
          variant={outcome.result.rowsRejected > 0 ? 'warning' : 'success'}
          testId={`${id}-imported`}
        >
          {countsText(outcome.result)}
        </Alert>
      )}
      {outcome?.kind === 'imported' && outcome.result.errors.length > 0 && (
        <BadRows result={outcome.result} id={id} />
      )}
      {outcome?.kind === 'refused' && (
        <Alert title="Nothing was imported" variant="danger" testId={`${id}-refused`}>
          <Text>{outcome.message}</Text>
        </Alert>
      )}
    </Flex>
  );
};
