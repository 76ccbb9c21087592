// lightning/platformShowToastEvent for the LWC tests (as lwc-recipes mocks it): the event the
// platform turns into a toast, its detail kept for assertions.
export const ShowToastEventName = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super(ShowToastEventName, { composed: true, cancelable: true, bubbles: true, detail: toast });
  }
}
