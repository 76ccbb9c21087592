import { reduceErrors } from 'c/partnerLensFormat';
import { api, LightningElement } from 'lwc';

/** One error (or several) in the server's words, with "Try again" when the caller can retry. */
export default class PartnerLensErrorPanel extends LightningElement {
  @api title = 'Something went wrong';
  @api errors;
  @api retryable = false;

  get messages() {
    return reduceErrors(this.errors);
  }

  retry() {
    this.dispatchEvent(new CustomEvent('retry'));
  }
}
