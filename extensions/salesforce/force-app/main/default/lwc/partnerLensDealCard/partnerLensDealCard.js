import addCoSeller from '@salesforce/apex/PartnerLensCardController.addCoSeller';
import declineSuggestion from '@salesforce/apex/PartnerLensCardController.declineSuggestion';
import getCard from '@salesforce/apex/PartnerLensCardController.getCard';
import {
  commissionText,
  holdLine,
  humanise,
  managerText,
  performanceText,
  reduceErrors,
  registrationText,
  roleText,
  tierClass,
} from 'c/partnerLensFormat';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { api, LightningElement } from 'lwc';

/**
 * The PartnerLens card on an Opportunity: the HubSpot deal card's twin, same payload, same words.
 * State is one of loading, error, success (empty is a success with nothing to show).
 */
export default class PartnerLensDealCard extends LightningElement {
  @api recordId;
  state = { status: 'loading' };
  busy = null;

  connectedCallback() {
    this.load();
  }

  load() {
    this.state = { status: 'loading' };
    return getCard({ opportunityId: this.recordId }).then(
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
    if (this.state.status !== 'success') return false;
    const { partners, registrations = [], suggestions = [] } = this.state.data;
    return partners.length === 0 && registrations.length === 0 && suggestions.length === 0;
  }
  get isSuccess() {
    return this.state.status === 'success' && !this.isEmpty;
  }
  get error() {
    return this.state.error;
  }
  get card() {
    return this.state.data;
  }

  get accountLine() {
    return this.card.account ? `Account: ${this.card.account.name}` : 'No account on this deal';
  }

  get industry() {
    const account = this.card.account;
    return account?.industry
      ? { code: account.industry, label: account.industryLabel ?? account.industry }
      : null;
  }

  get registrations() {
    return (this.card.registrations ?? []).map((registration) => ({
      id: registration.id,
      hold: holdLine(registration),
      conflicts: registration.conflicts.map((conflict) => ({
        key: `${conflict.kind}:${conflict.partnerId}`,
        message: conflict.message,
      })),
    }));
  }

  get hasPartners() {
    return this.card.partners.length > 0;
  }

  get partners() {
    return this.card.partners.map((partner) => ({
      key: `${partner.id}:${partner.role}`,
      name: partner.name,
      type: partner.type ? humanise(partner.type) : 'Unclassified',
      tier: humanise(partner.tier),
      tierClass: tierClass(partner.tier),
      role: roleText(partner),
      registration: registrationText(partner),
      performance: performanceText(partner, this.industry),
      manager: managerText(partner),
      commission: commissionText(partner),
    }));
  }

  get commissions() {
    return this.partners.filter((partner) => partner.commission !== null);
  }

  get suggestions() {
    return (this.card.suggestions ?? []).map((suggestion) => ({
      ...suggestion,
      tierClass: tierClass(suggestion.tier),
      scoreText: `score ${suggestion.score}`,
      addLabel: `Add ${suggestion.name} as co-sell`,
      declineLabel: `${suggestion.name} is not a fit`,
    }));
  }

  get hasSuggestions() {
    return this.suggestions.length > 0;
  }

  get actionsDisabled() {
    return this.busy !== null;
  }

  handleAdd(event) {
    const { id, name } = event.target.dataset;
    this.act(id, () => addCoSeller({ opportunityId: this.recordId, partnerId: id }), {
      title: 'Added as co-sell',
      message: `${name} is on this deal as an influencing partner.`,
    });
  }

  handleDecline(event) {
    const { id, name } = event.target.dataset;
    this.act(id, () => declineSuggestion({ opportunityId: this.recordId, partnerId: id }), {
      title: 'Not a fit',
      message: `${name} will not be suggested for this account again.`,
    });
  }

  act(partnerId, action, success) {
    this.busy = partnerId;
    return action().then(
      () => {
        this.busy = null;
        this.toast({ ...success, variant: 'success' });
        return this.load();
      },
      (error) => {
        this.busy = null;
        this.toast({
          title: 'That did not work',
          message: reduceErrors(error).join(' '),
          variant: 'error',
        });
      },
    );
  }

  toast(detail) {
    this.dispatchEvent(new ShowToastEvent(detail));
  }
}
