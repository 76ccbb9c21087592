import { UTCDate } from '@date-fns/utc';
import { subMonths } from 'date-fns';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `months` calendar months before `at`, in UTC, the day of month clamped (31 March − 1 month =
 * 28/29 February), the time of day kept.
 */
export const monthsBefore = (at: number, months: number): number =>
  subMonths(new UTCDate(at), months).getTime();

/** A protection window covers [start, start + days × 24 h). */
export const windowEnd = (start: number, days: number): number => start + days * DAY_MS;

export const covers = (window: { start: number; end: number }, at: number) =>
  window.start <= at && at < window.end;
