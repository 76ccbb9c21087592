import type { Program } from './settings-api.ts';

/** A tier's number in a per-tier record: an empty input removes it (the default applies). */
export function withTierValue(
  record: Record<string, number>,
  tier: string,
  value: number | undefined,
): Record<string, number> {
  const { [tier]: _old, ...rest } = record;
  return value === undefined || Number.isNaN(value) ? rest : { ...rest, [tier]: value };
}

export const setProtection = (program: Program, tier: string, days: number | undefined) => ({
  ...program,
  protectionDays: {
    ...program.protectionDays,
    byTier: withTierValue(program.protectionDays.byTier, tier, days),
  },
});

export const setCap = (program: Program, tier: string, cap: number | undefined) => ({
  ...program,
  caps: {
    ...program.caps,
    activeRegistrationsByTier: withTierValue(program.caps.activeRegistrationsByTier, tier, cap),
  },
});

/** The server's paths name the field under `program.`; the form's fields use the same paths. */
export const fieldPath = (path: string) => `program.${path}`;
