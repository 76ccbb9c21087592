import canDecide from '@salesforce/apex/PartnerLensTriageController.canDecide';
import { CurrentPageReference } from 'lightning/navigation';
import { LightningElement, wire } from 'lwc';

/**
 * The partner manager's triage: the registration queue and the partner records awaiting a merge.
 * `?c__registration=<id>` (an SLA task's link) opens that registration.
 */
export default class PartnerLensTriage extends LightningElement {
  canDecide = false;
  registrationId = null;

  @wire(CurrentPageReference)
  pageReference(reference) {
    this.registrationId = reference?.state?.c__registration ?? null;
  }

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
