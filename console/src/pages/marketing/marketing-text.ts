/**
 * What the marketing pages say about coupons and red-envelope packs, Chinese first: scope,
 * validity, amounts, and the form plumbing both editors share (yuan and whole numbers typed
 * by the marketer → integer fen and counts; times picked as China wall-clock time → UTC
 * instants; schema messages in fen → yuan, since the inputs are in yuan).
 */
import {
  chinaParts,
  formatChinaTime,
  formatFen,
  parseYuan,
  type CouponScope,
  type CouponValidity,
} from '@chatmall/shared';
import dayjs, { type Dayjs } from 'dayjs';

export type FieldPath = (string | number)[];
export interface Problem {
  path: FieldPath;
  message: string;
}

export const NOT_YUAN = 'must be an amount in yuan, e.g. 10 or 9.90';
export const NOT_WHOLE = 'must be a whole number';

/** `"9.9"` → 990; `""` → null (absent); anything unreadable → NaN. */
export function yuanToFen(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  try {
    return parseYuan(t);
  } catch {
    return Number.NaN;
  }
}

/** `"12"` → 12; `""` → null; `"1.5"` / `"abc"` → NaN. */
export function wholeOf(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Fen → the yuan an input shows (`990` → `9.90`, `1000` → `10`). */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  return formatFen(fen, '').replace(/,/g, '').replace(/\.00$/, '');
}

/**
 * A yuan input's value: absent is a problem when required, unreadable always; the number
 * stands in as 0 so the schema check still runs on the rest (the field's own message wins).
 */
export function readYuan(problems: Problem[], path: FieldPath, text: string | undefined, required = true): number {
  const fen = yuanToFen(text);
  if (fen === null) {
    if (required) problems.push({ path, message: 'is required' });
    return 0;
  }
  if (Number.isNaN(fen)) {
    problems.push({ path, message: NOT_YUAN });
    return 0;
  }
  return fen;
}

export function readWhole(problems: Problem[], path: FieldPath, text: string | undefined): number {
  const n = wholeOf(text);
  if (n === null) {
    problems.push({ path, message: 'is required' });
    return 0;
  }
  if (Number.isNaN(n)) {
    problems.push({ path, message: NOT_WHOLE });
    return 0;
  }
  return n;
}

/** The schema speaks fen; the marketer types yuan: `at most 9999999 fen` → `at most ¥99,999.99`. */
export function inYuan(message: string): string {
  return message.replace(/\b(\d+) fen\b/g, (_, n: string) => formatFen(Number(n)));
}

/** One message per field (the first, which is what the marketer fixes first). */
export function firstPerField(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = p.path.join('.');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ------------------------------------------------------------------ China wall-clock time

/**
 * The pickers show China time whatever the browser's zone: a picked value's calendar fields
 * are read as China time (UTC+8, no daylight saving), and an instant is shown by its China
 * fields.
 */
export function chinaInstant(d: Dayjs): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.year()}-${p(d.month() + 1)}-${p(d.date())}T${p(d.hour())}:${p(d.minute())}:00+08:00`;
}

export function chinaPicker(instant: string | number | Date): Dayjs {
  const c = chinaParts(instant);
  return dayjs(new Date(c.year, c.month - 1, c.day, c.hour, c.minute, 0, 0));
}

// ------------------------------------------------------------------ words

export const scopeTypeLabel: Record<CouponScope['type'], string> = {
  shop: '全店通用 Whole shop',
  products: '指定商品 Products',
  categories: '指定分类 Categories',
};

export function scopeText(scope: CouponScope, names?: { categories?: Map<string, string> }): string {
  switch (scope.type) {
    case 'shop':
      return scopeTypeLabel.shop;
    case 'products':
      return `指定 ${scope.productIds.length} 件商品 · ${scope.productIds.length} product${scope.productIds.length === 1 ? '' : 's'}`;
    case 'categories': {
      const known = scope.categoryIds.map((id) => names?.categories?.get(id)).filter(Boolean);
      return known.length === scope.categoryIds.length && known.length <= 3
        ? `分类 Categories: ${known.join('、')}`
        : `指定 ${scope.categoryIds.length} 个分类 · ${scope.categoryIds.length} categories`;
    }
  }
}

export function validityText(v: CouponValidity): string {
  return v.kind === 'days'
    ? `领取后 ${v.days} 天内有效 · ${v.days} day${v.days === 1 ? '' : 's'}`
    : `${formatChinaTime(v.from)} 至 ${formatChinaTime(v.until)}`;
}

/** `12 / 100`: a count of a total. */
export function ofTotal(n: number, total: number): string {
  return `${n.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`;
}

/** A buyer id shown without all of it: `buyer_01jx…a1b2`. */
export function maskedId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}
