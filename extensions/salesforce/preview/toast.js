// lightning/platformShowToastEvent in the preview: the same event; the page shows its toasts.
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', {
      composed: true,
      cancelable: true,
      bubbles: true,
      detail: toast,
    });
  }
}
