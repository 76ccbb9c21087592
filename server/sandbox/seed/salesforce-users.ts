import type { IdFactory } from '../salesforce/ids';
import type { SfRecord } from '../salesforce/schema';
import { PARTNER_MANAGERS } from './vocabulary';

const SALES_REPS = [
  'Priya Raman',
  'Marcus Hale',
  'Elena Petrova',
  'Kenji Watanabe',
  'Grace Adeyemi',
];

/** The org's users: its admin (who the OAuth consent signs in as), the partner managers and the reps. */
export function salesforceUsers(ids: IdFactory, now: number, domain: string): SfRecord[] {
  const people = [
    { name: 'Sam Admin', title: 'Salesforce Administrator' },
    ...PARTNER_MANAGERS.map((name) => ({ name, title: 'Partner Manager' })),
    ...SALES_REPS.map((name) => ({ name, title: 'Account Executive' })),
  ];
  const created = now - 1000 * 86_400_000;
  return people.map(({ name, title }) => {
    const [first, ...last] = name.split(' ');
    const id = ids.next('005');
    const login = `${name
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z ]/g, '')
      .replace(/ /g, '.')}@${domain}`;
    return {
      Id: id,
      Username: login,
      Name: name,
      FirstName: first!,
      LastName: last.join(' '),
      Email: login,
      Title: title,
      IsActive: true,
      CreatedDate: created,
      CreatedById: id,
      LastModifiedDate: created,
      LastModifiedById: id,
      SystemModstamp: created,
    };
  });
}
