import addCoSeller from '@salesforce/apex/PartnerLensCardController.addCoSeller';
import declineSuggestion from '@salesforce/apex/PartnerLensCardController.declineSuggestion';
import getCard from '@salesforce/apex/PartnerLensCardController.getCard';
import PartnerLensDealCard from 'c/partnerLensDealCard';
import { createElement } from 'lwc';

// Answers of the real API on the seeded demo (test/salesforce/lwc-fixtures.test.ts writes them).
const CARD = require('./data/card.json');
const CARD_EMPTY = require('./data/card-empty.json');
const CARD_NOT_FOUND = require('./data/card-not-found.json');
const ADDED = require('./data/add-cosell.json');
const ADD_CONFLICT = require('./data/add-cosell-conflict.json');

jest.mock('@salesforce/apex/PartnerLensCardController.getCard', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock(
  '@salesforce/apex/PartnerLensCardController.addCoSeller',
  () => ({ default: jest.fn() }),
  {
    virtual: true,
  },
);
jest.mock(
  '@salesforce/apex/PartnerLensCardController.declineSuggestion',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

const OPPORTUNITY = '0065g00000Opp01AAB';
/** What an Apex controller's AuraHandledException looks like to the LWC: the API's error as JSON. */
const apexError = (fixture) => ({ status: 500, body: { message: JSON.stringify(fixture) } });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function renderCard() {
  const element = createElement('c-partner-lens-deal-card', { is: PartnerLensDealCard });
  element.recordId = OPPORTUNITY;
  const toasts = [];
  element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
  document.body.appendChild(element);
  await flush();
  return { element, toasts, $: (selector) => element.shadowRoot.querySelector(selector) };
}
const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const texts = (element, selector) =>
  all(element, selector).map((node) => node.textContent.replace(/\s+/g, ' ').trim());
const button = (element, action, partnerId) =>
  element.shadowRoot.querySelector(
    `lightning-button[data-action="${action}"][data-id="${partnerId}"]`,
  );

describe('c-partner-lens-deal-card', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  describe('while the card API has not answered', () => {
    it('shows a spinner and asks for this opportunity', async () => {
      getCard.mockReturnValue(new Promise(() => undefined));
      const { $, element } = await renderCard();
      expect($('lightning-spinner').alternativeText).toBe('Loading partners');
      expect(getCard).toHaveBeenCalledWith({ opportunityId: OPPORTUNITY });
      await expect(element).toBeAccessible();
    });
  });

  describe('when the deal has partners, registrations and suggestions', () => {
    let rendered;
    beforeEach(async () => {
      getCard.mockResolvedValue(JSON.stringify(CARD));
      rendered = await renderCard();
    });

    it('names the account', () => {
      expect(rendered.$('[data-id="account"]').textContent).toBe(`Account: ${CARD.account.name}`);
    });

    it('lists each partner with its type, tier, role, registration and 12-month record', () => {
      const rows = all(rendered.element, 'tr[data-id="partner"]');
      expect(rows).toHaveLength(CARD.partners.length);
      const [first] = CARD.partners;
      const cells = [...rows[0].querySelectorAll('th, td')].map((cell) => cell.textContent.trim());
      expect(cells[0]).toBe(first.name);
      expect(cells[1]).toBe('System integrator');
      expect(rows[0].querySelector('lightning-badge').label).toBe('Registered');
      expect(cells[3]).toBe('Influenced');
      expect(cells[4]).toBe('None');
      expect(cells[5]).toContain('Won 4 of 4 (100 %)');
      expect(cells[5]).toContain('Won revenue 705,000.00 USD');
      expect(cells[5]).toContain('Open pipeline 248,750.00 EUR, 1,197,000.00 USD');
      expect(cells[5]).toContain('72 days to close');
      expect(cells[5]).toContain(`Manager: ${first.partnerManager}`);
      const second = [...rows[1].querySelectorAll('td')].map((cell) => cell.textContent.trim());
      expect(second[4]).toContain('0 of 2 in retail');
      expect(second[4]).toContain('Solution Architect, Security Specialist');
    });

    it("shows each partner's commission preview in the service's sentence", () => {
      expect(texts(rendered.element, '[data-id="commission"]')).toEqual(
        CARD.partners.map((partner) => partner.commission.explanation),
      );
    });

    it('says who holds the account by registration, with each conflict', () => {
      const [registration] = CARD.registrations;
      expect(texts(rendered.element, '[data-id="registration"] .slds-text-title_bold')).toEqual([
        `Registered by ${registration.partner.name}, awaiting a decision`,
      ]);
      expect(texts(rendered.element, '[data-id="conflict"]')).toEqual(
        registration.conflicts.map((conflict) => `Registration conflict: ${conflict.message}`),
      );
    });

    it('suggests co-sell partners with their reasons and both actions', () => {
      const [suggestion] = CARD.suggestions;
      const item = rendered.$('[data-id="suggestion"]');
      expect(item.textContent).toContain(suggestion.name);
      expect(item.textContent).toContain(`score ${suggestion.score}`);
      expect(texts(rendered.element, '[data-id="suggestion"] ul li')).toEqual(suggestion.reasons);
      expect(button(rendered.element, 'add', suggestion.partnerId).label).toBe('Add as co-sell');
      expect(button(rendered.element, 'decline', suggestion.partnerId).label).toBe('Not a fit');
    });

    it('is accessible', async () => {
      await expect(rendered.element).toBeAccessible();
    });
  });

  describe('Add as co-sell', () => {
    const [suggestion] = CARD.suggestions;

    it('puts the partner on the deal, says so and reloads the card', async () => {
      getCard.mockResolvedValue(JSON.stringify(CARD));
      addCoSeller.mockResolvedValue(JSON.stringify(ADDED));
      const { element, toasts } = await renderCard();
      button(element, 'add', suggestion.partnerId).click();
      await flush();
      expect(addCoSeller).toHaveBeenCalledWith({
        opportunityId: OPPORTUNITY,
        partnerId: suggestion.partnerId,
      });
      expect(toasts).toEqual([
        {
          title: 'Added as co-sell',
          message: `${suggestion.name} is on this deal as an influencing partner.`,
          variant: 'success',
        },
      ]);
      expect(getCard).toHaveBeenCalledTimes(2);
    });

    it("shows the server's message when it refuses, and keeps the card", async () => {
      getCard.mockResolvedValue(JSON.stringify(CARD));
      addCoSeller.mockRejectedValue(apexError(ADD_CONFLICT));
      const { element, toasts } = await renderCard();
      button(element, 'add', suggestion.partnerId).click();
      await flush();
      expect(toasts).toEqual([
        {
          title: 'That did not work',
          message: 'The partner is on the deal in that role already',
          variant: 'error',
        },
      ]);
      expect(getCard).toHaveBeenCalledTimes(1);
      expect(button(element, 'add', suggestion.partnerId).disabled).toBe(false);
    });

    it('disables the actions while one is under way', async () => {
      getCard.mockResolvedValue(JSON.stringify(CARD));
      addCoSeller.mockReturnValue(new Promise(() => undefined));
      const { element } = await renderCard();
      button(element, 'add', suggestion.partnerId).click();
      await flush();
      expect(button(element, 'decline', suggestion.partnerId).disabled).toBe(true);
    });
  });

  describe('Not a fit', () => {
    it('declines the suggestion, says so and reloads the card', async () => {
      const [suggestion] = CARD.suggestions;
      getCard.mockResolvedValue(JSON.stringify(CARD));
      declineSuggestion.mockResolvedValue('{"declined":true}');
      const { element, toasts } = await renderCard();
      button(element, 'decline', suggestion.partnerId).click();
      await flush();
      expect(declineSuggestion).toHaveBeenCalledWith({
        opportunityId: OPPORTUNITY,
        partnerId: suggestion.partnerId,
      });
      expect(toasts[0]).toEqual({
        title: 'Not a fit',
        message: `${suggestion.name} will not be suggested for this account again.`,
        variant: 'success',
      });
      expect(getCard).toHaveBeenCalledTimes(2);
    });
  });

  describe('when the deal has no partner, registration or suggestion', () => {
    it('says so, accessibly', async () => {
      getCard.mockResolvedValue(JSON.stringify(CARD_EMPTY));
      const { $, element } = await renderCard();
      expect($('[data-id="empty"]').textContent).toContain('No partner on this deal yet');
      expect($('table')).toBeNull();
      await expect(element).toBeAccessible();
    });
  });

  describe('when PartnerLens answers with an error', () => {
    it("shows the server's message and loads again on Try again", async () => {
      getCard.mockRejectedValueOnce(apexError(CARD_NOT_FOUND));
      const { $, element } = await renderCard();
      const panel = $('c-partner-lens-error-panel');
      expect(panel.shadowRoot.textContent).toContain('PartnerLens could not load this deal');
      expect(panel.shadowRoot.textContent).toContain(CARD_NOT_FOUND.error.message);
      await expect(element).toBeAccessible();

      getCard.mockResolvedValueOnce(JSON.stringify(CARD));
      panel.shadowRoot.querySelector('lightning-button').click();
      await flush();
      expect(getCard).toHaveBeenCalledTimes(2);
      expect($('c-partner-lens-error-panel')).toBeNull();
      expect(all(element, 'tr[data-id="partner"]')).toHaveLength(CARD.partners.length);
    });
  });
});
