import listRegistrations from '@salesforce/apex/PartnerLensTriageController.listRegistrations';
import { ageText, dateText, humanise, moneyText } from 'c/partnerLensFormat';
import { api, LightningElement } from 'lwc';

const STATUSES = ['pending', 'approved', 'rejected', 'converted', 'expired'];

/** The registration queue, oldest first, filtered and keyset-paged; one opens beside it. */
export default class PartnerLensRegistrationQueue extends LightningElement {
  @api canDecide = false;
  status = 'pending';
  overdueOnly = false;
  partnerId = '';
  items = [];
  nextCursor = null;
  loading = true;
  loadingMore = false;
  error;
  selectedId = null;
  partnersSeen = new Map();

  /** A registration to open at once (the triage tab's link from an SLA task). */
  @api
  get registrationId() {
    return this.selectedId;
  }
  set registrationId(id) {
    if (id) this.selectedId = id;
  }

  connectedCallback() {
    this.load();
  }

  /** The first page under the current filters. */
  load() {
    this.loading = true;
    this.error = undefined;
    return this.fetchPage(null).then(
      (page) => {
        this.items = page.items;
        this.nextCursor = page.nextCursor;
        this.loading = false;
      },
      (error) => {
        this.error = error;
        this.loading = false;
      },
    );
  }

  loadMore() {
    this.loadingMore = true;
    return this.fetchPage(this.nextCursor).then(
      (page) => {
        this.items = [...this.items, ...page.items];
        this.nextCursor = page.nextCursor;
        this.loadingMore = false;
      },
      (error) => {
        this.error = error;
        this.loadingMore = false;
      },
    );
  }

  fetchPage(cursor) {
    return listRegistrations({
      status: this.status,
      overdue: this.overdueOnly,
      partnerId: this.partnerId,
      cursor,
    }).then((body) => {
      const page = JSON.parse(body);
      for (const item of page.items) this.partnersSeen.set(item.partner.id, item.partner.name);
      return page;
    });
  }

  get statusOptions() {
    return [
      { label: 'Any status', value: '' },
      ...STATUSES.map((value) => ({ label: humanise(value), value })),
    ];
  }

  get partnerOptions() {
    return [
      { label: 'All partners', value: '' },
      ...[...this.partnersSeen]
        .sort((a, b) => a[1].localeCompare(b[1]))
        .map(([value, label]) => ({ label, value })),
    ];
  }

  get rows() {
    return this.items.map((item) => ({
      id: item.id,
      company: item.company.name || item.company.domain,
      partner: item.partner.name,
      amount: item.amount ? moneyText([item.amount]) : '—',
      submitted: dateText(item.submittedAt),
      waiting: ageText(item.submittedAt),
      status: humanise(item.status),
      overdue: item.overdue,
      conflicts: item.conflicts.length,
      openLabel: `Open the registration of ${item.company.name || item.company.domain} by ${item.partner.name}`,
      rowClass: item.id === this.selectedId ? 'slds-is-selected' : '',
    }));
  }

  get isEmpty() {
    return !this.loading && !this.error && this.items.length === 0;
  }
  get hasRows() {
    return !this.loading && !this.error && this.items.length > 0;
  }
  get hasMore() {
    return this.nextCursor !== null && !this.error;
  }

  handleStatus(event) {
    this.status = event.detail.value;
    this.load();
  }
  handleOverdue(event) {
    this.overdueOnly = event.target.checked;
    this.load();
  }
  handlePartner(event) {
    this.partnerId = event.detail.value;
    this.load();
  }
  open(event) {
    this.selectedId = event.currentTarget.dataset.id;
  }
  close() {
    this.selectedId = null;
  }
  /** A decision moved the registration: the queue is read again, the detail stays open. */
  handleChanged() {
    this.load();
  }
}
