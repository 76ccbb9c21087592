import decideMergeCandidate from '@salesforce/apex/PartnerLensTriageController.decideMergeCandidate';
import listMergeCandidates from '@salesforce/apex/PartnerLensTriageController.listMergeCandidates';
import { dateText, reduceErrors } from 'c/partnerLensFormat';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { api, LightningElement } from 'lwc';

const evidenceText = (evidence) =>
  evidence.kind === 'domain'
    ? `same domain ${evidence.domain ?? evidence.left ?? ''}`.trim()
    : `name "${evidence.left}" ~ "${evidence.right}" (${Math.round(evidence.score * 100)} %)`;

/** Partner records that match partners which cannot be merged: merge into one, or keep apart. */
export default class PartnerLensMergeCandidates extends LightningElement {
  @api canDecide = false;
  state = { status: 'loading' };
  busy = false;

  connectedCallback() {
    this.load();
  }

  load() {
    this.state = { status: 'loading' };
    return listMergeCandidates().then(
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
  get isEmpty() {
    return this.state.status === 'success' && this.state.data.items.length === 0;
  }
  get hasItems() {
    return this.state.status === 'success' && this.state.data.items.length > 0;
  }
  get error() {
    return this.state.error;
  }
  get actionsDisabled() {
    return this.busy || !this.canDecide;
  }

  get items() {
    return this.state.data.items.map((item) => ({
      id: item.id,
      record: item.recordKey,
      since: dateText(item.createdAt),
      keepApartLabel: `Keep ${item.recordKey} apart from every candidate`,
      candidates: item.candidates.map((candidate) => ({
        key: `${item.id}:${candidate.partnerId}`,
        partnerId: candidate.partnerId,
        name: candidate.partnerName ?? candidate.partnerId,
        records: candidate.recordKeys.join(', '),
        evidence: candidate.evidence.map(evidenceText).join('; '),
        mergeLabel: `Merge into ${candidate.partnerName ?? candidate.partnerId}`,
        mergeTitle: `Merge ${item.recordKey} into ${candidate.partnerName ?? candidate.partnerId} (${candidate.recordKeys.join(', ')})`,
      })),
    }));
  }

  merge(event) {
    const { id, partner, name } = event.target.dataset;
    return this.decide(
      { candidateId: id, decision: 'merge', partnerId: partner },
      `Merged into ${name}`,
    );
  }

  keepApart(event) {
    return this.decide(
      { candidateId: event.target.dataset.id, decision: 'keep_apart', partnerId: null },
      'Kept apart',
    );
  }

  decide(params, done) {
    this.busy = true;
    return decideMergeCandidate(params).then(
      () => {
        this.busy = false;
        this.toast({ title: done, variant: 'success' });
        return this.load();
      },
      (error) => {
        this.busy = false;
        this.toast({
          title: 'That did not work',
          message: reduceErrors(error).join(' '),
          variant: 'error',
        });
        return this.load();
      },
    );
  }

  toast(detail) {
    this.dispatchEvent(new ShowToastEvent(detail));
  }
}
