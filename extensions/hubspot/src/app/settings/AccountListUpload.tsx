import { Heading, Select } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { ApiFetcher } from '../pages/api.ts';
import { CsvImport } from './CsvImport.tsx';
import { importAccountList } from './settings-api.ts';

/** A partner's account list, for co-sell suggestions (docs/cosell.md). */
export const AccountListUpload = ({
  fetcher,
  partners,
}: {
  fetcher: ApiFetcher;
  partners: Array<{ id: string; name: string }>;
}) => {
  const [partnerId, setPartnerId] = useState(partners[0]?.id ?? '');
  return (
    <CsvImport
      id="account-list"
      label="The list as CSV: name,domain,population (customer, open_opportunity or prospect)"
      ready={partnerId !== ''}
      onImport={(csv) => importAccountList(fetcher, partnerId, csv)}
    >
      <Heading>A partner&apos;s account list</Heading>
      <Select
        label="Partner"
        name="account-list-partner"
        value={partnerId}
        options={partners.map((partner) => ({ label: partner.name, value: partner.id }))}
        onChange={(value) => setPartnerId(String(value))}
        testId="account-list-partner"
      />
    </CsvImport>
  );
};
