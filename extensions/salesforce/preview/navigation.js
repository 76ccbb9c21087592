// lightning/navigation in the preview: the page reference of a tab, its state from the page's
// query (?c__registration=… opens that registration, as the triage tab does in an org).
export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }
  connect() {
    this.dataCallback({
      type: 'standard__navItemPage',
      attributes: { apiName: 'PartnerLens_Triage' },
      state: Object.fromEntries(new URLSearchParams(window.location.search)),
    });
  }
  update() {}
  disconnect() {}
}

export const NavigationMixin = (Base) => Base;
