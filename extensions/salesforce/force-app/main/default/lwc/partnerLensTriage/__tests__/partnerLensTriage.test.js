import canDecide from '@salesforce/apex/PartnerLensTriageController.canDecide';
import PartnerLensTriage from 'c/partnerLensTriage';
import { CurrentPageReference } from 'lightning/navigation';
import { createElement } from 'lwc';

for (const name of ['canDecide', 'listRegistrations', 'listMergeCandidates', 'getRegistration'])
  jest.mock(
    `@salesforce/apex/PartnerLensTriageController.${name}`,
    () => ({ default: jest.fn(() => new Promise(() => undefined)) }),
    { virtual: true },
  );

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function render() {
  const element = createElement('c-partner-lens-triage', { is: PartnerLensTriage });
  document.body.appendChild(element);
  await flush();
  return element;
}

describe('c-partner-lens-triage', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('has a tab for the registrations and one for the merge candidates', async () => {
    canDecide.mockResolvedValue(true);
    const element = await render();
    const tabs = [...element.shadowRoot.querySelectorAll('lightning-tab')];
    expect(tabs.map((tab) => tab.label)).toEqual(['Registrations', 'Merge candidates']);
    await expect(element).toBeAccessible();
  });

  it('lets the children decide only when the user may', async () => {
    canDecide.mockResolvedValue(true);
    const element = await render();
    expect(element.shadowRoot.querySelector('c-partner-lens-registration-queue').canDecide).toBe(
      true,
    );
    expect(element.shadowRoot.querySelector('c-partner-lens-merge-candidates').canDecide).toBe(
      true,
    );
  });

  it('keeps the decisions off when the permission cannot be read', async () => {
    canDecide.mockRejectedValue(new Error('no access'));
    const element = await render();
    expect(element.shadowRoot.querySelector('c-partner-lens-registration-queue').canDecide).toBe(
      false,
    );
  });

  it("opens the registration the tab's link names (an SLA task's c__registration)", async () => {
    canDecide.mockResolvedValue(true);
    const element = await render();
    const queue = () => element.shadowRoot.querySelector('c-partner-lens-registration-queue');
    expect(queue().registrationId).toBeNull();
    CurrentPageReference.emit({
      type: 'standard__navItemPage',
      attributes: { apiName: 'PartnerLens_Triage' },
      state: { c__registration: 'a1b2c3d4-0000-4000-8000-000000000001' },
    });
    await flush();
    expect(queue().registrationId).toBe('a1b2c3d4-0000-4000-8000-000000000001');
  });
});
