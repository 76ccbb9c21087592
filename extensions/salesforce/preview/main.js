import '@lwc/synthetic-shadow';

import DealCard from 'c/partnerLensDealCard';
import Triage from 'c/partnerLensTriage';
import { createElement } from 'lwc';

const { dealId } = window.PARTNERLENS_PREVIEW;

const card = createElement('c-partner-lens-deal-card', { is: DealCard });
card.recordId = dealId;
document.querySelector('#card').appendChild(card);
document
  .querySelector('#triage')
  .appendChild(createElement('c-partner-lens-triage', { is: Triage }));

const toasts = document.querySelector('#toasts');
document.addEventListener('lightning__showtoast', (event) => {
  const { title, message, variant } = event.detail;
  const toast = document.createElement('div');
  toast.className = `slds-notify slds-notify_toast slds-theme_${variant === 'error' ? 'error' : 'success'}`;
  toast.setAttribute('role', 'status');
  toast.textContent = message ? `${title}: ${message}` : title;
  toasts.appendChild(toast);
  setTimeout(() => toast.remove(), 6000);
});
