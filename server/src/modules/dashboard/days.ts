/** China-time business days as `YYYY-MM-DD` strings, and their bounds as instants. */
import { chinaDate, chinaParts } from '@chatmall/shared';

const DAY_MS = 86_400_000;

/** The instant a China-time day begins (00:00 at UTC+8). */
export const dayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);

export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Whole days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

export const dayOf = (instant: Date): string => chinaDate(instant);
export const hourOf = (instant: Date): number => chinaParts(instant).hour;

/** Every day from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
