export const SHARE_SCALE = 12;
/** sharePct is held as an integer: percent × 10^SHARE_SCALE (100 % = 1_000_000). */
export const FULL_SHARE = 100n * 10n ** BigInt(SHARE_SCALE);

export interface CommissionDeal {
  id: string;
  stage: 'open' | 'won' | 'lost';
  amountMinor: bigint | null;
  currency: string | null;
  closedAt: number | null;
}

export interface CommissionPartner {
  id: string;
  type: string | null;
  tier: string;
}

export interface Attribution {
  dealId: string;
  partnerId: string;
  role: string;
  shareScaled: bigint;
}

export interface Refund {
  dealId: string;
  refundedAt: number;
  amountMinor: bigint;
  currency: string;
}

export interface LedgerLine {
  dealId: string;
  partnerId: string;
  role: string;
  kind: 'accrual' | 'clawback';
  amountMinor: bigint;
  currency: string;
  /** Frozen at accrual: the row's rate, the partner's tier, which row of which rate card. */
  rateBps: number;
  tier: string;
  rateRow: number;
  /** Before the row's cap, when the cap cut the line. */
  uncappedMinor?: bigint;
}

export interface CommissionError {
  dealId: string;
  partnerId: string | null;
  code: 'RATE.NOT_FOUND' | 'SHARES.OVER_100' | 'DEAL.NO_AMOUNT' | 'REFUND.CURRENCY_MISMATCH';
  message: string;
}
