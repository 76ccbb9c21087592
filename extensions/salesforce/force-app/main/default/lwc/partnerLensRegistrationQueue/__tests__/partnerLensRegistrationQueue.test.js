import listRegistrations from '@salesforce/apex/PartnerLensTriageController.listRegistrations';
import PartnerLensRegistrationQueue from 'c/partnerLensRegistrationQueue';
import { createElement } from 'lwc';

const PAGE_1 = require('./data/page-1.json');
const PAGE_2 = require('./data/page-2.json');
const PENDING = require('./data/pending.json');

jest.mock(
  '@salesforce/apex/PartnerLensTriageController.listRegistrations',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/PartnerLensTriageController.getRegistration',
  () => ({ default: jest.fn(() => new Promise(() => undefined)) }),
  { virtual: true },
);

const apexError = (fixture) => ({ status: 500, body: { message: JSON.stringify(fixture) } });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function renderQueue() {
  const element = createElement('c-partner-lens-registration-queue', {
    is: PartnerLensRegistrationQueue,
  });
  element.canDecide = true;
  document.body.appendChild(element);
  await flush();
  return element;
}
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

describe('c-partner-lens-registration-queue', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a spinner while the queue loads', async () => {
    listRegistrations.mockReturnValue(new Promise(() => undefined));
    const element = await renderQueue();
    expect($(element, 'lightning-spinner').alternativeText).toBe('Loading registrations');
  });

  it('asks for the pending registrations first, oldest first, with no cursor', async () => {
    listRegistrations.mockResolvedValue(JSON.stringify(PENDING));
    await renderQueue();
    expect(listRegistrations).toHaveBeenCalledWith({
      status: 'pending',
      overdue: false,
      partnerId: '',
      cursor: null,
    });
  });

  it('lists each registration with its partner, amount, age and conflicts, marking the overdue', async () => {
    listRegistrations.mockResolvedValue(JSON.stringify(PAGE_1));
    const element = await renderQueue();
    const rows = all(element, 'tr[data-id="row"]');
    expect(rows).toHaveLength(PAGE_1.items.length);
    const [first] = PAGE_1.items;
    expect(rows[0].textContent).toContain(first.company.name);
    expect(rows[0].textContent).toContain(first.partner.name);
    expect(rows[0].textContent).toContain('64,000.00 USD');
    expect(rows[0].textContent).toMatch(/\(3 days\)/);
    expect(rows[0].querySelector('lightning-badge').label).toBe('Overdue');
    expect(rows[1].querySelector('lightning-badge')).toBeNull();
    expect(rows[0].querySelectorAll('td')[4].textContent).toBe(String(first.conflicts.length));
    await expect(element).toBeAccessible();
  });

  it('loads the next page with the cursor it was given, appending it', async () => {
    listRegistrations.mockResolvedValueOnce(JSON.stringify(PAGE_1));
    const element = await renderQueue();
    listRegistrations.mockResolvedValueOnce(JSON.stringify(PAGE_2));
    $(element, '[data-id="more"]').click();
    await flush();
    expect(listRegistrations).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: PAGE_1.nextCursor }),
    );
    expect(all(element, 'tr[data-id="row"]')).toHaveLength(
      PAGE_1.items.length + PAGE_2.items.length,
    );
    expect(PAGE_2.nextCursor).toBeNull();
    expect($(element, '[data-id="more"]')).toBeNull();
  });

  it('filters by status, overdue and partner, starting from the first page each time', async () => {
    listRegistrations.mockResolvedValue(JSON.stringify(PAGE_1));
    const element = await renderQueue();
    const status = $(element, '[data-id="status"]');
    expect(status.options.map((o) => o.label)).toEqual([
      'Any status',
      'Pending',
      'Approved',
      'Rejected',
      'Converted',
      'Expired',
    ]);
    status.dispatchEvent(new CustomEvent('change', { detail: { value: 'approved' } }));
    await flush();
    const overdue = $(element, '[data-id="overdue"]');
    overdue.checked = true;
    overdue.dispatchEvent(new CustomEvent('change'));
    await flush();
    const partner = $(element, '[data-id="partner"]');
    const [first] = PAGE_1.items;
    expect(partner.options).toEqual(
      expect.arrayContaining([{ label: first.partner.name, value: first.partner.id }]),
    );
    partner.dispatchEvent(new CustomEvent('change', { detail: { value: first.partner.id } }));
    await flush();
    expect(listRegistrations).toHaveBeenLastCalledWith({
      status: 'approved',
      overdue: true,
      partnerId: first.partner.id,
      cursor: null,
    });
  });

  it('opens a registration beside the queue', async () => {
    listRegistrations.mockResolvedValue(JSON.stringify(PAGE_1));
    const element = await renderQueue();
    const [first] = PAGE_1.items;
    $(element, `button[data-id="${first.id}"]`).click();
    await flush();
    const detail = $(element, 'c-partner-lens-registration-detail');
    expect(detail.registrationId).toBe(first.id);
    expect(detail.canDecide).toBe(true);
    detail.dispatchEvent(new CustomEvent('changed'));
    await flush();
    expect(listRegistrations).toHaveBeenCalledTimes(2);
    detail.dispatchEvent(new CustomEvent('close'));
    await flush();
    expect($(element, 'c-partner-lens-registration-detail')).toBeNull();
  });

  it('says so when nothing matches', async () => {
    listRegistrations.mockResolvedValue(JSON.stringify({ items: [], nextCursor: null }));
    const element = await renderQueue();
    expect($(element, '[data-id="empty"]').textContent).toBe(
      'No registration matches these filters.',
    );
    await expect(element).toBeAccessible();
  });

  it("shows the server's message on an error and tries again", async () => {
    listRegistrations.mockRejectedValueOnce(
      apexError({
        status: 0,
        error: {
          code: 'PARTNERLENS.UNREACHABLE',
          message: 'PartnerLens did not answer: Read timed out',
        },
      }),
    );
    const element = await renderQueue();
    const panel = $(element, 'c-partner-lens-error-panel');
    expect(panel.shadowRoot.textContent).toContain('PartnerLens did not answer: Read timed out');
    await expect(element).toBeAccessible();
    listRegistrations.mockResolvedValueOnce(JSON.stringify(PAGE_1));
    panel.shadowRoot.querySelector('lightning-button').click();
    await flush();
    expect(all(element, 'tr[data-id="row"]')).toHaveLength(PAGE_1.items.length);
  });

  it('opens the registration it is given at once, beside the queue', async () => {
    listRegistrations.mockResolvedValue(JSON.stringify(PENDING));
    const element = createElement('c-partner-lens-registration-queue', {
      is: PartnerLensRegistrationQueue,
    });
    element.registrationId = 'a1b2c3d4-0000-4000-8000-000000000001';
    document.body.appendChild(element);
    await flush();
    expect($(element, 'c-partner-lens-registration-detail').registrationId).toBe(
      'a1b2c3d4-0000-4000-8000-000000000001',
    );
  });
});
