import decideRegistration from '@salesforce/apex/PartnerLensTriageController.decideRegistration';
import extendRegistration from '@salesforce/apex/PartnerLensTriageController.extendRegistration';
import getRegistration from '@salesforce/apex/PartnerLensTriageController.getRegistration';
import PartnerLensRegistrationDetail from 'c/partnerLensRegistrationDetail';
import { createElement } from 'lwc';

const REGISTRATION = require('./data/registration.json');
const APPROVED = require('./data/approved.json');
const REGISTRATION_APPROVED = require('./data/registration-approved.json');
const CONFLICTS_CHANGED = require('./data/approve-conflicts-changed.json');
const EXTENDED = require('./data/extended.json');
const EXTEND_REFUSED = require('./data/extend-refused.json');
const REJECTED = require('./data/rejected.json');

for (const name of ['getRegistration', 'decideRegistration', 'extendRegistration'])
  jest.mock(
    `@salesforce/apex/PartnerLensTriageController.${name}`,
    () => ({ default: jest.fn() }),
    { virtual: true },
  );

const apexError = (fixture) => ({ status: 500, body: { message: JSON.stringify(fixture) } });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function renderDetail(registration, canDecide = true) {
  getRegistration.mockResolvedValue(JSON.stringify(registration));
  const element = createElement('c-partner-lens-registration-detail', {
    is: PartnerLensRegistrationDetail,
  });
  element.canDecide = canDecide;
  element.registrationId = registration.id;
  const toasts = [];
  const changes = [];
  element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
  element.addEventListener('changed', () => changes.push('changed'));
  document.body.appendChild(element);
  await flush();
  return { element, toasts, changes };
}
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const texts = (element, selector) =>
  [...element.shadowRoot.querySelectorAll(selector)].map((n) =>
    n.textContent.replace(/\s+/g, ' ').trim(),
  );

describe('c-partner-lens-registration-detail', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a spinner while the registration loads', async () => {
    getRegistration.mockReturnValue(new Promise(() => undefined));
    const element = createElement('c-partner-lens-registration-detail', {
      is: PartnerLensRegistrationDetail,
    });
    element.registrationId = REGISTRATION.id;
    document.body.appendChild(element);
    await flush();
    expect($(element, 'lightning-spinner').alternativeText).toBe('Loading the registration');
  });

  it('explains each conflict and the account match, and shows the history', async () => {
    const { element } = await renderDetail(REGISTRATION);
    expect(getRegistration).toHaveBeenCalledWith({ registrationId: REGISTRATION.id });
    expect($(element, '[data-id="title"]').textContent).toBe(REGISTRATION.company.name);
    expect($(element, '[data-id="status"]').textContent).toBe('Pending (verdict: Review)');
    expect($(element, '[data-id="window"]').textContent).toBe('Starts at approval');
    expect($(element, '[data-id="overdue"]')).not.toBeNull();
    expect(texts(element, '[data-id="conflict"]')).toEqual(
      REGISTRATION.conflicts.map(
        (c) =>
          `${c.kind.charAt(0).toUpperCase()}${c.kind.slice(1).replace(/_/g, ' ')}: ${c.explanation}`,
      ),
    );
    expect(
      [...element.shadowRoot.querySelectorAll('[data-id="conflict"] lightning-badge')].map(
        (badge) => badge.label,
      ),
    ).toEqual(REGISTRATION.conflicts.map(() => 'Warning'));
    expect(texts(element, '[data-id="matches"] li')).toEqual([
      `Matched by domain ${REGISTRATION.company.domain}`,
    ]);
    expect(texts(element, '[data-id="history"] li')[0]).toMatch(/^Submitted by api_key on /);
    await expect(element).toBeAccessible();
  });

  it('approves, says so, tells the queue and reloads', async () => {
    const { element, toasts, changes } = await renderDetail(REGISTRATION);
    decideRegistration.mockResolvedValue(JSON.stringify(APPROVED));
    getRegistration.mockResolvedValue(JSON.stringify(REGISTRATION_APPROVED));
    $(element, '[data-id="approve"]').click();
    await flush();
    expect(decideRegistration).toHaveBeenCalledWith({
      registrationId: REGISTRATION.id,
      decision: 'approve',
      reason: null,
    });
    expect(toasts).toEqual([{ title: 'Registration approved', variant: 'success' }]);
    expect(changes).toEqual(['changed']);
    expect($(element, '[data-id="status"]').textContent).toBe('Approved (verdict: Review)');
    expect($(element, '[data-id="window"]').textContent).toMatch(/ to .*\(\d+ days left\)$/);
  });

  it("shows the server's 409 as conflicts that changed, and the registration as it is now", async () => {
    const { element, toasts, changes } = await renderDetail(REGISTRATION);
    decideRegistration.mockRejectedValue(apexError(CONFLICTS_CHANGED));
    $(element, '[data-id="approve"]').click();
    await flush();
    const alert = $(element, '[data-id="conflicts-changed"]');
    expect(alert.textContent).toContain('The conflicts changed since this was loaded');
    expect(alert.textContent).toContain(CONFLICTS_CHANGED.error.message);
    expect(alert.textContent).toContain('Blocking now: Partner ineligible.');
    expect(toasts).toEqual([]);
    expect(changes).toEqual([]);
    expect(getRegistration).toHaveBeenCalledTimes(2);
    await expect(element).toBeAccessible();
  });

  it('rejects only with a reason', async () => {
    const { element, toasts } = await renderDetail(REGISTRATION);
    $(element, '[data-id="reject"]').click();
    await flush();
    const reason = $(element, '[data-id="reason"]');
    const validity = jest.spyOn(reason, 'setCustomValidity');
    reason.value = '   ';
    $(element, '[data-id="confirm-reject"]').click();
    await flush();
    expect(decideRegistration).not.toHaveBeenCalled();
    expect(validity).toHaveBeenCalledWith('A reason is required to reject');

    decideRegistration.mockResolvedValue(JSON.stringify(REJECTED));
    reason.value = REJECTED.rejectionReason;
    $(element, '[data-id="confirm-reject"]').click();
    await flush();
    expect(decideRegistration).toHaveBeenCalledWith({
      registrationId: REGISTRATION.id,
      decision: 'reject',
      reason: REJECTED.rejectionReason,
    });
    expect(toasts).toEqual([{ title: 'Registration rejected', variant: 'success' }]);
  });

  it('extends an approved registration, and shows why when the service refuses', async () => {
    const { element, toasts } = await renderDetail(REGISTRATION_APPROVED);
    expect($(element, '[data-id="approve"]')).toBeNull();
    extendRegistration.mockResolvedValueOnce(JSON.stringify(EXTENDED));
    $(element, '[data-id="extend"]').click();
    await flush();
    expect(extendRegistration).toHaveBeenCalledWith({ registrationId: REGISTRATION_APPROVED.id });
    expect(toasts[0]).toEqual({ title: 'Registration extended', variant: 'success' });

    extendRegistration.mockRejectedValueOnce(apexError(EXTEND_REFUSED));
    $(element, '[data-id="extend"]').click();
    await flush();
    expect(toasts[1]).toEqual({
      title: 'That did not work',
      message: EXTEND_REFUSED.error.message,
      variant: 'error',
    });
  });

  it('offers no decision to someone without the partner manager permission', async () => {
    const { element } = await renderDetail(REGISTRATION, false);
    expect($(element, '[data-id="approve"]')).toBeNull();
    expect($(element, '[data-id="reject"]')).toBeNull();
  });

  it("shows the server's message when the registration cannot be loaded, and retries", async () => {
    getRegistration.mockRejectedValueOnce(
      apexError({
        status: 404,
        error: { code: 'REGISTRATION.NOT_FOUND', message: 'No registration x' },
      }),
    );
    const element = createElement('c-partner-lens-registration-detail', {
      is: PartnerLensRegistrationDetail,
    });
    element.registrationId = REGISTRATION.id;
    document.body.appendChild(element);
    await flush();
    const panel = $(element, 'c-partner-lens-error-panel');
    expect(panel.shadowRoot.textContent).toContain('No registration x');
    await expect(element).toBeAccessible();
    getRegistration.mockResolvedValueOnce(JSON.stringify(REGISTRATION));
    panel.shadowRoot.querySelector('lightning-button').click();
    await flush();
    expect($(element, '[data-id="title"]').textContent).toBe(REGISTRATION.company.name);
  });
});
