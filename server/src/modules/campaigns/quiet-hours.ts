/**
 * Quiet hours: no campaign message between 22:00 and 08:00 China time (UTC+8, no daylight
 * saving) by default (CAMPAIGN_QUIET_HOURS), except service notices (template messages),
 * which a follower expects at any hour.
 */
import type { CampaignChannel } from '@chatmall/shared';

const HOUR = 3_600_000;
const CHINA = 8 * HOUR;

/** From `start` o'clock to `end` o'clock China time (start > end wraps midnight); null: none. */
export type QuietHours = { start: number; end: number } | null;

/** `22-8` → 22:00–08:00; `off` → none. */
export function parseQuietHours(v: string): QuietHours {
  if (v === 'off') return null;
  const [start, end] = v.split('-').map(Number);
  return { start, end };
}

/** The hour of day in China time (0–23). */
export const chinaHour = (at: Date) => new Date(at.getTime() + CHINA).getUTCHours();

export function inQuietHours(at: Date, q: QuietHours = { start: 22, end: 8 }): boolean {
  if (!q || q.start === q.end) return false;
  const h = chinaHour(at);
  return q.start > q.end ? h >= q.start || h < q.end : h >= q.start && h < q.end;
}

/** Whether this channel must wait out quiet hours. */
export const keepsQuietHours = (channel: CampaignChannel) => channel !== 'template';

/** The next end of quiet hours (China time) at or after `at`; `at` itself when outside them. */
export function quietHoursEnd(at: Date, q: QuietHours = { start: 22, end: 8 }): Date {
  if (!q || !inQuietHours(at, q)) return at;
  const china = new Date(at.getTime() + CHINA);
  const day = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate());
  const end = day + q.end * HOUR - CHINA;
  return new Date(end > at.getTime() ? end : end + 24 * HOUR);
}

/** The calendar month in China time, `YYYY-MM`: WeChat's "4 mass sends a month". */
export const chinaMonth = (at: Date) => new Date(at.getTime() + CHINA).toISOString().slice(0, 7);
