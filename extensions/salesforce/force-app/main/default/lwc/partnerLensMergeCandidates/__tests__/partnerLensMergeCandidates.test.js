import decideMergeCandidate from '@salesforce/apex/PartnerLensTriageController.decideMergeCandidate';
import listMergeCandidates from '@salesforce/apex/PartnerLensTriageController.listMergeCandidates';
import PartnerLensMergeCandidates from 'c/partnerLensMergeCandidates';
import { createElement } from 'lwc';

const CANDIDATES = require('./data/merge-candidates.json');
const KEPT_APART = require('./data/kept-apart.json');
const ALREADY_DECIDED = require('./data/already-decided.json');

for (const name of ['listMergeCandidates', 'decideMergeCandidate'])
  jest.mock(
    `@salesforce/apex/PartnerLensTriageController.${name}`,
    () => ({ default: jest.fn() }),
    { virtual: true },
  );

const apexError = (fixture) => ({ status: 500, body: { message: JSON.stringify(fixture) } });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function render(canDecide = true) {
  const element = createElement('c-partner-lens-merge-candidates', {
    is: PartnerLensMergeCandidates,
  });
  element.canDecide = canDecide;
  const toasts = [];
  element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
  document.body.appendChild(element);
  await flush();
  return { element, toasts };
}
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

describe('c-partner-lens-merge-candidates', () => {
  const [item] = CANDIDATES.items;
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a spinner while loading', async () => {
    listMergeCandidates.mockReturnValue(new Promise(() => undefined));
    const { element } = await render();
    expect($(element, 'lightning-spinner').alternativeText).toBe('Loading merge candidates');
  });

  it('lists each record with the partners it matches and the evidence', async () => {
    listMergeCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
    const { element } = await render();
    expect(all(element, '[data-id="candidate"]')).toHaveLength(CANDIDATES.items.length);
    const matches = all(element, '[data-id="match"]');
    expect(matches).toHaveLength(item.candidates.length);
    expect(matches[0].textContent).toContain(
      `${item.candidates[0].partnerName} (${item.candidates[0].recordKeys[0]}): name "tangent advisory" ~ "tangent advisory" (100 %)`,
    );
    expect(matches[0].querySelector('lightning-button').label).toBe(
      `Merge into ${item.candidates[0].partnerName}`,
    );
    await expect(element).toBeAccessible();
  });

  it('merges into the chosen partner, says so and reloads', async () => {
    listMergeCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
    decideMergeCandidate.mockResolvedValue(JSON.stringify({ id: item.id, status: 'merged' }));
    const { element, toasts } = await render();
    const chosen = item.candidates[1];
    $(element, `lightning-button[data-action="merge"][data-partner="${chosen.partnerId}"]`).click();
    await flush();
    expect(decideMergeCandidate).toHaveBeenCalledWith({
      candidateId: item.id,
      decision: 'merge',
      partnerId: chosen.partnerId,
    });
    expect(toasts).toEqual([{ title: `Merged into ${chosen.partnerName}`, variant: 'success' }]);
    expect(listMergeCandidates).toHaveBeenCalledTimes(2);
  });

  it("keeps records apart, and shows the server's message when it was decided already", async () => {
    listMergeCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
    decideMergeCandidate.mockResolvedValueOnce(JSON.stringify(KEPT_APART));
    const { element, toasts } = await render();
    $(element, 'lightning-button[data-action="keep-apart"]').click();
    await flush();
    expect(decideMergeCandidate).toHaveBeenCalledWith({
      candidateId: item.id,
      decision: 'keep_apart',
      partnerId: null,
    });
    expect(toasts[0]).toEqual({ title: 'Kept apart', variant: 'success' });

    decideMergeCandidate.mockRejectedValueOnce(apexError(ALREADY_DECIDED));
    $(element, 'lightning-button[data-action="keep-apart"]').click();
    await flush();
    expect(toasts[1]).toEqual({
      title: 'That did not work',
      message: ALREADY_DECIDED.error.message,
      variant: 'error',
    });
  });

  it('offers no decision without the partner manager permission', async () => {
    listMergeCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
    const { element } = await render(false);
    expect(all(element, 'lightning-button').every((b) => b.disabled)).toBe(true);
  });

  it('says so when no record waits', async () => {
    listMergeCandidates.mockResolvedValue(JSON.stringify({ items: [] }));
    const { element } = await render();
    expect($(element, '[data-id="empty"]').textContent.trim()).toBe(
      'No partner record is waiting for a merge decision.',
    );
    await expect(element).toBeAccessible();
  });

  it("shows the server's message on an error and retries", async () => {
    listMergeCandidates.mockRejectedValueOnce(
      apexError({
        status: 401,
        error: { code: 'AUTH.SIGNATURE_STALE', message: 'The Salesforce signature is too old' },
      }),
    );
    const { element } = await render();
    const panel = $(element, 'c-partner-lens-error-panel');
    expect(panel.shadowRoot.textContent).toContain('The Salesforce signature is too old');
    await expect(element).toBeAccessible();
    listMergeCandidates.mockResolvedValueOnce(JSON.stringify(CANDIDATES));
    panel.shadowRoot.querySelector('lightning-button').click();
    await flush();
    expect(all(element, '[data-id="candidate"]')).toHaveLength(1);
  });
});
