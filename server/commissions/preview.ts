import { accrueDeal } from '../../src/commissions/accrue';
import { type LedgerLine, SHARE_SCALE } from '../../src/commissions/types';
import { parseScaled } from '../../src/money/decimal';
import { formatMinorUnits, toMinorUnits } from '../../src/money/minor-units';
import { type Money, moneyOf, moneyWords } from '../../src/money/money';
import type { Program } from '../../src/program/program';
import { wordsOf } from '../../src/text/words';

/** What a partner on an open deal would earn if it closed at its amount now, or why that cannot be said. */
export type CommissionPreview =
  | {
      basis: 'preview';
      amount: Money;
      rateBps: number;
      capped: boolean;
      /** How the amount comes to be: "5 % of 326,000.00 USD is 16,300.00 USD, capped at 5,000.00 USD". */
      calculation: string;
      explanation: string;
    }
  | { error: { code: string; message: string } };

export interface PartnerOnDeal {
  id: string;
  name: string;
  /** Null until a partner known only from a CRM record is classified. */
  type: string | null;
  tier: string;
  role: string;
  sharePct: number;
}

const percent = (bps: number) => `${bps / 100} %`;

/**
 * How a line came to be, in words: "30 % of 326,000.00 USD × 50 % share is 48,900.00 USD", and
 * ", capped at 5,000.00 USD" when the row's cap cut it. A banded row names its bands instead.
 */
export function lineWords(
  program: Program,
  line: LedgerLine,
  baseMinor: bigint,
  sharePct: number,
): string {
  const row = program.rates[line.rateRow];
  const rate = row?.bands
    ? `the banded rate (${row.bands.map((b) => `${percent(b.rateBps)}${b.uptoMinor === undefined ? ' above' : ` up to ${formatMinorUnits(BigInt(b.uptoMinor), line.currency)}`}`).join(', ')})`
    : percent(line.rateBps);
  const share = sharePct < 100 ? ` × ${sharePct} % share` : '';
  const gross = line.uncappedMinor ?? line.amountMinor;
  const cap =
    line.uncappedMinor === undefined
      ? ''
      : `, capped at ${moneyWords(line.amountMinor, line.currency)}`;
  return `${rate} of ${moneyWords(baseMinor, line.currency)}${share} is ${moneyWords(gross, line.currency)}${cap}`;
}

const partnerWords = (partner: PartnerOnDeal) =>
  `${partner.tier} ${wordsOf(partner.type ?? 'partner').toLowerCase()}`;

/** What each partner on the deal would earn if it closed at its amount now (partner id + role → preview). */
export function previewCommissions(
  program: Program,
  deal: { id: string; amount: string | null; currency: string | null },
  partners: readonly PartnerOnDeal[],
): Map<string, CommissionPreview> {
  const previews = new Map<string, CommissionPreview>();
  if (partners.length === 0) return previews;
  const amount =
    deal.amount !== null && deal.currency !== null
      ? toMinorUnits(deal.amount, deal.currency)
      : undefined;
  if (!amount?.ok) {
    for (const p of partners)
      previews.set(`${p.id}:${p.role}`, {
        error: {
          code: 'DEAL.NO_AMOUNT',
          message: 'The deal has no amount to preview a commission on',
        },
      });
    return previews;
  }
  const { lines, errors } = accrueDeal(
    program,
    {
      id: deal.id,
      stage: 'won',
      amountMinor: amount.value,
      currency: deal.currency,
      closedAt: null,
    },
    partners.map((p) => ({
      dealId: deal.id,
      partnerId: p.id,
      role: p.role,
      shareScaled: parseScaled(String(p.sharePct), SHARE_SCALE)!,
    })),
    new Map(partners.map((p) => [p.id, { id: p.id, type: p.type, tier: p.tier }])),
  );
  for (const line of lines) {
    const partner = partners.find((p) => p.id === line.partnerId && p.role === line.role)!;
    const calculation = lineWords(program, line, amount.value, partner.sharePct);
    previews.set(`${line.partnerId}:${line.role}`, {
      basis: 'preview',
      amount: moneyOf(line.amountMinor, line.currency),
      rateBps: line.rateBps,
      capped: line.uncappedMinor !== undefined,
      calculation,
      explanation: `If this closes at ${moneyWords(amount.value, line.currency)}, ${partner.name} earns ${moneyWords(line.amountMinor, line.currency)} as a ${partnerWords(partner)}: ${calculation}.`,
    });
  }
  for (const error of errors) {
    for (const p of partners)
      if (error.partnerId === null || error.partnerId === p.id)
        previews.set(`${p.id}:${p.role}`, { error: { code: error.code, message: error.message } });
  }
  return previews;
}
