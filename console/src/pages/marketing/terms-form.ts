/**
 * The scope and validity fields (`TermsFields.tsx`) ⇄ the contract's `CouponScope` and
 * `CouponValidity`, and schema paths under them → the fields that show their messages.
 */
import type { CouponScope, CouponValidity } from '@chatmall/shared';
import type { Dayjs } from 'dayjs';
import { chinaInstant, chinaPicker, readWhole, type FieldPath, type Problem } from './marketing-text';

export interface TermsValues {
  scopeType: CouponScope['type'];
  productIds: string[];
  categoryIds: string[];
  validityKind: CouponValidity['kind'];
  window: [Dayjs, Dayjs] | null;
  days: string;
}

export function blankTerms(): TermsValues {
  // Now, as China's wall clock reads it (the pickers show China time, whatever the browser's zone).
  const from = chinaPicker(Date.now());
  return {
    scopeType: 'shop',
    productIds: [],
    categoryIds: [],
    validityKind: 'days',
    window: [from, from.add(30, 'day').endOf('day').startOf('minute')],
    days: '7',
  };
}

export function termsValuesOf(scope: CouponScope, validity: CouponValidity): TermsValues {
  const blank = blankTerms();
  return {
    scopeType: scope.type,
    productIds: scope.type === 'products' ? scope.productIds : [],
    categoryIds: scope.type === 'categories' ? scope.categoryIds : [],
    validityKind: validity.kind,
    window: validity.kind === 'window' ? [chinaPicker(validity.from), chinaPicker(validity.until)] : blank.window,
    days: validity.kind === 'days' ? String(validity.days) : blank.days,
  };
}

export function scopeOf(v: TermsValues): CouponScope {
  switch (v.scopeType) {
    case 'products':
      return { type: 'products', productIds: v.productIds ?? [] };
    case 'categories':
      return { type: 'categories', categoryIds: v.categoryIds ?? [] };
    default:
      return { type: 'shop' };
  }
}

export function validityOf(v: TermsValues, problems: Problem[]): CouponValidity {
  if (v.validityKind === 'window') {
    if (!v.window?.[0] || !v.window?.[1]) {
      problems.push({ path: ['window'], message: 'is required' });
      return { kind: 'window', from: '', until: '' };
    }
    return { kind: 'window', from: chinaInstant(v.window[0]), until: chinaInstant(v.window[1]) };
  }
  return { kind: 'days', days: readWhole(problems, ['days'], v.days) };
}

/** `scope.productIds` → `productIds`, `validity.until` → `window`; null when not a terms path. */
export function termsField(path: readonly (string | number)[]): FieldPath | null {
  const [head, next] = path;
  if (head === 'scope') {
    if (next === 'productIds') return ['productIds'];
    if (next === 'categoryIds') return ['categoryIds'];
    return ['scopeType'];
  }
  if (head === 'validity') {
    if (next === 'from' || next === 'until') return ['window'];
    if (next === 'days') return ['days'];
    return ['validityKind'];
  }
  return null;
}
