/**
 * Times as a buyer or merchant in China reads them. The wire carries UTC ISO-8601; every
 * screen shows China Standard Time (Asia/Shanghai, UTC+8, no daylight saving since 1991),
 * computed from the fixed offset so it renders the same in every mini-program runtime,
 * whether or not its Intl knows time zones.
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

export interface ChinaDateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The calendar fields of an instant in China time. */
export function chinaParts(instant: string | number | Date): ChinaDateParts {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(instant)}`);
  const d = new Date(ms + CHINA_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** `2026-11-30 17:05` (the default), `2026-11-30 17:05:09` with seconds, or `2026-11-30` for a date. */
export function formatChinaTime(
  instant: string | number | Date,
  style: 'minute' | 'second' | 'date' = 'minute',
): string {
  const p = chinaParts(instant);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  if (style === 'date') return date;
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  return style === 'second' ? `${date} ${time}:${pad(p.second)}` : `${date} ${time}`;
}

/** The China-time calendar date (`YYYY-MM-DD`) an instant falls on: the merchant's business day. */
export function chinaDate(instant: string | number | Date): string {
  return formatChinaTime(instant, 'date');
}
