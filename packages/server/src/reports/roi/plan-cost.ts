import { addDays } from '../../automation/business-hours/index.js';

/** Days in the calendar month of a local date (YYYY-MM-DD). */
function daysInMonth(day: string): number {
  const [y = 1970, m = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Local dates `from`..`to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * A monthly price prorated to the dates `from`..`to`, month by month: each
 * day costs the monthly price ÷ the days of its own month, so a whole
 * calendar month costs exactly the monthly price (28 or 31 days alike), and
 * a period across two months pays each month's share. Rounded to cents.
 */
export function proratedCost(monthly: number, from: string, to: string): number {
  if (monthly <= 0) return 0;
  let total = 0;
  let start = from;
  while (start <= to) {
    const monthEnd = `${start.slice(0, 8)}${String(daysInMonth(start)).padStart(2, '0')}`;
    const end = monthEnd < to ? monthEnd : to;
    total += (monthly * daysBetween(start, end)) / daysInMonth(start);
    start = addDays(end, 1);
  }
  return Math.round(total * 100) / 100;
}
