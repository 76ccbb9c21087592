import decideRegistration from '@salesforce/apex/PartnerLensTriageController.decideRegistration';
import extendRegistration from '@salesforce/apex/PartnerLensTriageController.extendRegistration';
import getRegistration from '@salesforce/apex/PartnerLensTriageController.getRegistration';
import { apiErrorOf, dateText, humanise, moneyText, reduceErrors } from 'c/partnerLensFormat';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { api, LightningElement } from 'lwc';

const DONE = { approve: 'Registration approved', reject: 'Registration rejected' };

const evidenceText = (match) =>
  match.kind === 'domain'
    ? `Matched by domain ${match.domain}`
    : `Matched by name (${Math.round((match.score ?? 0) * 100)} %)`;

/** One registration: its conflicts explained, its history, and the decisions on it. */
export default class PartnerLensRegistrationDetail extends LightningElement {
  @api canDecide = false;
  state = { status: 'loading' };
  rejecting = false;
  busy = false;
  /** The server's 409: the conflicts changed since the registration was loaded. */
  changedConflicts;
  _registrationId;

  @api
  get registrationId() {
    return this._registrationId;
  }
  set registrationId(value) {
    this._registrationId = value;
    this.changedConflicts = undefined;
    this.rejecting = false;
    this.load();
  }

  load() {
    this.state = { status: 'loading' };
    return getRegistration({ registrationId: this._registrationId }).then(
      (body) => {
        this.state = { status: 'success', data: JSON.parse(body) };
      },
      (error) => {
        this.state = { status: 'error', error };
      },
    );
  }

  get isLoading() {
    return this.state.status === 'loading';
  }
  get isError() {
    return this.state.status === 'error';
  }
  get isSuccess() {
    return this.state.status === 'success';
  }
  get error() {
    return this.state.error;
  }

  get view() {
    const r = this.state.data;
    return {
      title: r.company.name || r.company.domain,
      partner: r.partner.name,
      domain: r.company.domain ?? '—',
      amount: r.amount ? moneyText([r.amount]) : '—',
      submitted: dateText(r.submittedAt),
      status: humanise(r.status),
      verdict: humanise(r.verdict),
      overdue: r.overdue,
      window: r.window
        ? `${dateText(r.window.start)} to ${dateText(r.window.end)}${r.daysLeft === null ? '' : ` (${r.daysLeft} days left)`}`
        : 'Starts at approval',
      extensions: r.extensions,
      rejectionReason: r.rejectionReason,
      matches: (r.accountMatch ?? []).map((match, index) => ({
        key: `${match.kind}:${index}`,
        text: evidenceText(match),
      })),
      conflicts: r.conflicts.map((conflict, index) => ({
        key: `${conflict.kind}:${index}`,
        kind: humanise(conflict.kind),
        severity: conflict.severity === 'block' ? 'Blocks' : 'Warning',
        severityClass: conflict.severity === 'block' ? 'slds-theme_error' : 'slds-theme_warning',
        explanation: conflict.explanation,
      })),
      history: (r.history ?? []).map((event, index) => ({
        key: `${event.action}:${index}`,
        text: `${humanise(event.action)} by ${event.actor} on ${dateText(event.at)}${event.reason ? `: ${event.reason}` : ''}`,
      })),
    };
  }

  get hasConflicts() {
    return this.view.conflicts.length > 0;
  }
  get canApproveOrReject() {
    return this.canDecide && this.state.data?.status === 'pending';
  }
  get canExtend() {
    return this.canDecide && this.state.data?.status === 'approved';
  }

  approve() {
    this.decide({ decision: 'approve' });
  }
  startReject() {
    this.rejecting = true;
  }
  cancelReject() {
    this.rejecting = false;
  }
  confirmReject() {
    const input = this.template.querySelector('[data-id="reason"]');
    const reason = (input.value ?? '').trim();
    input.setCustomValidity(reason ? '' : 'A reason is required to reject');
    input.reportValidity();
    if (!reason) return undefined;
    return this.decide({ decision: 'reject', reason });
  }

  decide({ decision, reason }) {
    return this.run(
      () =>
        decideRegistration({
          registrationId: this._registrationId,
          decision,
          reason: reason ?? null,
        }),
      DONE[decision],
    );
  }

  extend() {
    return this.run(
      () => extendRegistration({ registrationId: this._registrationId }),
      'Registration extended',
    );
  }

  run(action, done) {
    this.busy = true;
    this.changedConflicts = undefined;
    return action().then(
      () => {
        this.busy = false;
        this.rejecting = false;
        this.toast({ title: done, variant: 'success' });
        this.dispatchEvent(new CustomEvent('changed'));
        return this.load();
      },
      (error) => {
        this.busy = false;
        const failure = apiErrorOf(error);
        if (failure?.code === 'REGISTRATION.CONFLICTS') {
          this.changedConflicts = {
            message: failure.message,
            kinds: (failure.details ?? []).map((c) => humanise(c.kind)).join(', '),
          };
          return this.load();
        }
        this.toast({
          title: 'That did not work',
          message: reduceErrors(error).join(' '),
          variant: 'error',
        });
        return undefined;
      },
    );
  }

  close() {
    this.dispatchEvent(new CustomEvent('close'));
  }

  toast(detail) {
    this.dispatchEvent(new ShowToastEvent(detail));
  }
}
