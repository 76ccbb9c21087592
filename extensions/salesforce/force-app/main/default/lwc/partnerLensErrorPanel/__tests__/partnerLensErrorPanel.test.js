import PartnerLensErrorPanel from 'c/partnerLensErrorPanel';
import { createElement } from 'lwc';

describe('c-partner-lens-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows the title and every message, and asks for a retry', async () => {
    const element = createElement('c-partner-lens-error-panel', { is: PartnerLensErrorPanel });
    element.title = 'PartnerLens could not load this deal';
    element.errors = [new Error('one'), { body: { message: 'two' } }];
    element.retryable = true;
    const retries = [];
    element.addEventListener('retry', () => retries.push(1));
    document.body.appendChild(element);
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('h3').textContent).toBe(
      'PartnerLens could not load this deal',
    );
    expect([...element.shadowRoot.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      'one',
      'two',
    ]);
    element.shadowRoot.querySelector('lightning-button').click();
    expect(retries).toEqual([1]);
    await expect(element).toBeAccessible();
  });

  it('offers no retry unless asked to', async () => {
    const element = createElement('c-partner-lens-error-panel', { is: PartnerLensErrorPanel });
    element.errors = new Error('x');
    document.body.appendChild(element);
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('lightning-button')).toBeNull();
  });
});
