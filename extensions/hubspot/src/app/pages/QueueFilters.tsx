import { Checkbox, Flex, Select } from '@hubspot/ui-extensions';

import type { QueueFilters as Filters } from './triage-api.ts';

const STATUSES = ['pending', 'approved', 'rejected', 'converted', 'expired'] as const;

export const QueueFilters = ({
  filters,
  partners,
  onChange,
}: {
  filters: Filters;
  partners: Array<{ id: string; name: string }>;
  onChange: (filters: Filters) => void;
}) => (
  <Flex direction="row" gap="md" align="end">
    <Select
      label="Status"
      name="status"
      value={filters.status}
      options={[
        ...STATUSES.map((status) => ({
          label: status.charAt(0).toUpperCase() + status.slice(1),
          value: status,
        })),
        { label: 'Any', value: 'any' },
      ]}
      onChange={(value) => onChange({ ...filters, status: String(value) as Filters['status'] })}
      testId="filter-status"
    />
    <Select
      label="Partner"
      name="partner"
      value={filters.partnerId ?? ''}
      options={[
        { label: 'All partners', value: '' },
        ...partners.map((partner) => ({ label: partner.name, value: partner.id })),
      ]}
      onChange={(value) => onChange({ ...filters, partnerId: String(value) || null })}
      testId="filter-partner"
    />
    <Checkbox
      name="overdue"
      checked={filters.overdue}
      onChange={(checked) => onChange({ ...filters, overdue: checked })}
      testId="filter-overdue"
    >
      Overdue only
    </Checkbox>
  </Flex>
);
