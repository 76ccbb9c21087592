import canDecide from '@salesforce/apex/PartnerLensTriageController.canDecide';
import { LightningElement } from 'lwc';

/** The partner manager's triage: the registration queue and the partner records awaiting a merge. */
export default class PartnerLensTriage extends LightningElement {
  canDecide = false;

  connectedCallback() {
    canDecide().then(
      (allowed) => {
        this.canDecide = allowed === true;
      },
      () => {
        this.canDecide = false;
      },
    );
  }
}
