// The preview's stand-in for the Apex controllers: the same methods, the same parameters and the
// same answers (the API's JSON as a string), calling the demo API through the preview server,
// which adds its API key. A failure rejects as the controllers' AuraHandledException reaches an
// LWC: { body: { message: '{"status":…,"error":{code,message,details}}' } }.
const routes = {
  'PartnerLensCardController.getCard': ({ opportunityId }) => [
    'GET',
    `/deals/${opportunityId}/card`,
  ],
  'PartnerLensCardController.addCoSeller': ({ opportunityId, partnerId }) => [
    'POST',
    `/deals/${opportunityId}/partners`,
    { partnerId, role: 'influenced' },
  ],
  'PartnerLensCardController.declineSuggestion': ({ opportunityId, partnerId }) => [
    'POST',
    `/deals/${opportunityId}/suggestions/${partnerId}/decline`,
    {},
  ],
  'PartnerLensTriageController.listRegistrations': ({ status, overdue, partnerId, cursor }) => {
    const query = new URLSearchParams({ limit: '25' });
    if (status) query.set('status', status);
    if (overdue) query.set('overdue', 'true');
    if (partnerId) query.set('partnerId', partnerId);
    if (cursor) query.set('cursor', cursor);
    return ['GET', `/registrations?${query}`];
  },
  'PartnerLensTriageController.getRegistration': ({ registrationId }) => [
    'GET',
    `/registrations/${registrationId}`,
  ],
  'PartnerLensTriageController.decideRegistration': ({ registrationId, decision, reason }) => [
    'POST',
    `/registrations/${registrationId}/decision`,
    decision === 'reject' ? { decision, reason: reason ?? '' } : { decision },
  ],
  'PartnerLensTriageController.extendRegistration': ({ registrationId }) => [
    'POST',
    `/registrations/${registrationId}/extend`,
    {},
  ],
  'PartnerLensTriageController.listMergeCandidates': () => [
    'GET',
    '/partners/merge-candidates?status=open',
  ],
  'PartnerLensTriageController.decideMergeCandidate': ({ candidateId, decision, partnerId }) => [
    'POST',
    `/partners/merge-candidates/${candidateId}/decision`,
    decision === 'merge' ? { decision, partnerId } : { decision },
  ],
};

export async function callApex(method, params = {}) {
  // The preview's user may decide: the demo API key is an admin's.
  if (method === 'PartnerLensTriageController.canDecide') return true;
  const [verb, path, body] = routes[method](params);
  const response = await fetch(`/preview-api${path}`, {
    method: verb,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.ok) return text;
  let error;
  try {
    error = JSON.parse(text).error;
  } catch {
    error = undefined;
  }
  throw {
    body: {
      message: JSON.stringify({
        status: response.status,
        error: error ?? {
          code: `PARTNERLENS.HTTP_${response.status}`,
          message: `PartnerLens answered ${response.status}`,
        },
      }),
    },
  };
}
