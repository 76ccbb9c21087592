import { Heading, Text } from '@hubspot/ui-extensions';

import { API_BASE } from '../pages/api.ts';

/** What partners (or their portal) send to register a deal; README's API table has the rest. */
export const IntakeDetails = ({ slaHours }: { slaHours: number }) => (
  <>
    <Heading>Registration intake</Heading>
    <Text testId="intake-endpoint">{`POST ${API_BASE}/api/v1/registrations`}</Text>
    <Text>
      A JSON body with partnerId (the partner&apos;s PartnerLens id), companyName and/or
      companyDomain (a domain, URL or e-mail address), and optionally amount as
      {' { "amount": "10000.00", "currency": "USD" }'}. Authenticate with an API key issued by
      `partnerlens keys create --tenant ID` (Authorization: Bearer …).
    </Text>
    <Text testId="intake-sla">{`Each registration is answered at once with its verdict; those left for review wait in the triage queue, due within ${slaHours} hours.`}</Text>
  </>
);
