import { accrueDeal } from '../../src/commissions/accrue';
import { SHARE_SCALE } from '../../src/commissions/types';
import { parseScaled } from '../../src/money/decimal';
import { formatMinorUnits, toMinorUnits } from '../../src/money/minor-units';
import type { Program } from '../../src/program/program';

export type CommissionPreview =
  | { amountMinor: string; currency: string; rateBps: number; explanation: string }
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
const label = (text: string) => text.replace(/_/g, ' ');

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
  const closesAt = `${formatMinorUnits(amount.value, deal.currency!)} ${deal.currency}`;
  for (const line of lines) {
    const partner = partners.find((p) => p.id === line.partnerId && p.role === line.role)!;
    previews.set(`${line.partnerId}:${line.role}`, {
      amountMinor: line.amountMinor.toString(),
      currency: line.currency,
      rateBps: line.rateBps,
      explanation: `If this closes at ${closesAt}, ${partner.name} earns ${formatMinorUnits(line.amountMinor, line.currency)} ${line.currency}: ${percent(line.rateBps)} ${partner.tier} ${label(partner.type ?? 'partner')}${partner.sharePct < 100 ? ` × ${partner.sharePct} % share` : ''}.`,
    });
  }
  for (const error of errors) {
    for (const p of partners)
      if (error.partnerId === null || error.partnerId === p.id)
        previews.set(`${p.id}:${p.role}`, { error: { code: error.code, message: error.message } });
  }
  return previews;
}
