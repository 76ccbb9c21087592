import { divideRounded } from '../money/decimal';
import type { Program } from '../program/program';
import { grossBpsUnits, resolveRate } from './rate-card';
import {
  type Attribution,
  type CommissionDeal,
  type CommissionError,
  type CommissionPartner,
  FULL_SHARE,
  type LedgerLine,
  SHARE_SCALE,
} from './types';

const BPS = 10_000n;

/** 1_005_000n → "100.5" (percent, SHARE_SCALE decimals, trailing zeros dropped). */
const formatShare = (share: bigint) => {
  const unit = 10n ** BigInt(SHARE_SCALE);
  const fraction = (share % unit).toString().padStart(SHARE_SCALE, '0').replace(/0+$/, '');
  return `${share / unit}${fraction ? `.${fraction}` : ''}`;
};

/**
 * The accrual lines of one won deal (DESIGN.md §6): per attribution, round(base × rate × share)
 * once, half away from zero, capped at the row's capMinor. A role whose shares pass 100 % makes the
 * whole deal an error with no lines; a partner with no matching rate row is an error of its own.
 */
export function accrueDeal(
  program: Program,
  deal: CommissionDeal,
  attributions: readonly Attribution[],
  partners: ReadonlyMap<string, CommissionPartner>,
): { lines: LedgerLine[]; errors: CommissionError[] } {
  if (deal.stage !== 'won' || attributions.length === 0) return { lines: [], errors: [] };
  if (deal.amountMinor === null || deal.currency === null) {
    return {
      lines: [],
      errors: [
        {
          dealId: deal.id,
          partnerId: null,
          code: 'DEAL.NO_AMOUNT',
          message: `won deal ${deal.id} has no amount and currency`,
        },
      ],
    };
  }
  const shareByRole = new Map<string, bigint>();
  for (const a of attributions)
    shareByRole.set(a.role, (shareByRole.get(a.role) ?? 0n) + a.shareScaled);
  const over = [...shareByRole].filter(([, share]) => share > FULL_SHARE);
  if (over.length > 0) {
    return {
      lines: [],
      errors: over.map(([role, share]) => ({
        dealId: deal.id,
        partnerId: null,
        code: 'SHARES.OVER_100',
        message: `${role} shares on deal ${deal.id} add up to ${formatShare(share)} %`,
      })),
    };
  }

  const lines: LedgerLine[] = [];
  const errors: CommissionError[] = [];
  for (const attribution of attributions) {
    const partner = partners.get(attribution.partnerId)!;
    const rate = resolveRate(program.rates, {
      partnerType: partner.type,
      tier: partner.tier,
      role: attribution.role,
    });
    if (!rate) {
      errors.push({
        dealId: deal.id,
        partnerId: partner.id,
        code: 'RATE.NOT_FOUND',
        message: `no rate row for a ${partner.type ?? 'unclassified'} ${partner.tier} partner as ${attribution.role}`,
      });
      continue;
    }
    const exact = grossBpsUnits(rate.row, deal.amountMinor) * attribution.shareScaled;
    const uncapped = divideRounded(exact, BPS * FULL_SHARE);
    const capped = rate.row.capMinor !== undefined && uncapped > BigInt(rate.row.capMinor);
    const amount = capped ? BigInt(rate.row.capMinor!) : uncapped;
    lines.push({
      dealId: deal.id,
      partnerId: partner.id,
      role: attribution.role,
      kind: 'accrual',
      amountMinor: amount,
      currency: deal.currency,
      rateBps: rate.row.rateBps,
      tier: partner.tier,
      rateRow: rate.index,
      ...(capped ? { uncappedMinor: uncapped } : {}),
    });
  }
  return { lines, errors };
}
