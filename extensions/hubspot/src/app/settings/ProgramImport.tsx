import { Heading } from '@hubspot/ui-extensions';

import type { ApiFetcher } from '../pages/api.ts';
import { CsvImport } from './CsvImport.tsx';
import { importProgramPartners } from './settings-api.ts';

/** The partner program's own list; its rows are reconciled with the CRM's partner companies. */
export const ProgramImport = ({
  fetcher,
  onImported,
}: {
  fetcher: ApiFetcher;
  onImported?: () => void;
}) => (
  <CsvImport
    id="program-import"
    label="The program's partners as CSV: partner_id,name,domain,type,tier,status and optionally partner_manager,regions,verticals,certifications (lists separated by ;)"
    onImport={(csv) =>
      importProgramPartners(fetcher, csv).then((result) => {
        if (result.ok) onImported?.();
        return result;
      })
    }
  >
    <Heading>Partner program import</Heading>
  </CsvImport>
);
