/**
 * The coupon template editor's values → the contract's `CouponTemplateInput` (create) and
 * `CouponTemplatePatch` (the fields that changed), checked with the contract's own schemas
 * before anything is sent. Yuan become integer fen exactly; a discount is typed as the 折 a
 * Chinese shopper reads (8.5 折 = 15 % off).
 */
import {
  CouponTemplateInput,
  CouponTemplatePatch,
  type CouponBenefit,
  type CouponTemplate,
  type CouponTemplateInput as CouponTemplateInputBody,
  type CouponTemplatePatch as CouponTemplatePatchBody,
} from '@chatmall/shared';
import {
  fenToYuanInput,
  firstPerField,
  inYuan,
  readWhole,
  readYuan,
  type FieldPath,
  type Problem,
} from './marketing-text';
import { blankTerms, scopeOf, termsField, termsValuesOf, validityOf, type TermsValues } from './terms-form';

export interface CouponFormValues extends TermsValues {
  title: string;
  kind: CouponBenefit['kind'];
  amountOff: string;
  threshold: string;
  /** 折: 8 is 20 % off, 8.5 is 15 % off. */
  zhe: string;
  maxOff: string;
  totalStock: string;
  perBuyerLimit: string;
  stacksWithMemberDiscount: boolean;
  claimable: boolean;
}

export const NOT_ZHE = 'must be a discount from 1 to 9.9 折 with one decimal at most, e.g. 8 or 8.5';

export function blankCoupon(): CouponFormValues {
  return {
    title: '',
    kind: 'amount_off',
    amountOff: '',
    threshold: '',
    zhe: '',
    maxOff: '',
    totalStock: '1000',
    perBuyerLimit: '1',
    stacksWithMemberDiscount: true,
    claimable: true,
    ...blankTerms(),
  };
}

export function couponValuesOf(t: CouponTemplate): CouponFormValues {
  const b = t.benefit;
  return {
    title: t.title,
    kind: b.kind,
    amountOff: b.kind === 'percent_off' ? '' : fenToYuanInput(b.amountOff),
    threshold: b.kind === 'no_threshold' ? '' : b.threshold === 0 ? '' : fenToYuanInput(b.threshold),
    zhe: b.kind === 'percent_off' ? String((100 - b.percentOff) / 10) : '',
    maxOff: b.kind === 'percent_off' ? fenToYuanInput(b.maxOff) : '',
    totalStock: String(t.totalStock),
    perBuyerLimit: String(t.perBuyerLimit),
    stacksWithMemberDiscount: t.stacksWithMemberDiscount,
    claimable: t.claimable,
    ...termsValuesOf(t.scope, t.validity),
  };
}

/** `8.5` → 15 (percent off); unreadable → NaN. */
export function percentOffOf(zhe: string): number {
  const t = (zhe ?? '').trim();
  if (!/^\d(\.\d)?$/.test(t)) return Number.NaN;
  const tenths = Math.round(Number(t) * 10);
  return tenths >= 10 && tenths <= 99 ? 100 - tenths : Number.NaN;
}

/** The benefit as typed so far (for the live preview and the body); problems on their fields. */
export function benefitOf(v: CouponFormValues, problems: Problem[]): CouponBenefit {
  switch (v.kind) {
    case 'no_threshold':
      return { kind: 'no_threshold', amountOff: readYuan(problems, ['amountOff'], v.amountOff) };
    case 'percent_off': {
      const percentOff = percentOffOf(v.zhe);
      if (Number.isNaN(percentOff))
        problems.push({ path: ['zhe'], message: (v.zhe ?? '').trim() ? NOT_ZHE : 'is required' });
      const maxOff = readYuan(problems, ['maxOff'], v.maxOff, false);
      return {
        kind: 'percent_off',
        percentOff: Number.isNaN(percentOff) ? 10 : percentOff,
        maxOff: (v.maxOff ?? '').trim() === '' ? null : maxOff,
        threshold: readYuan(problems, ['threshold'], v.threshold, false),
      };
    }
    default:
      return {
        kind: 'amount_off',
        amountOff: readYuan(problems, ['amountOff'], v.amountOff),
        threshold: readYuan(problems, ['threshold'], v.threshold),
      };
  }
}

/** A schema or server path (`benefit.threshold`, `scope.productIds`) → the editor's field. */
export function couponField(path: readonly (string | number)[]): FieldPath {
  const terms = termsField(path);
  if (terms) return terms;
  if (path[0] === 'benefit') {
    if (path[1] === 'amountOff' || path[1] === 'threshold' || path[1] === 'maxOff') return [path[1]];
    if (path[1] === 'percentOff') return ['zhe'];
    return ['kind'];
  }
  return path.length ? [...path] : ['form'];
}

function issuesOf(issues: readonly { path: PropertyKey[]; message: string }[]): Problem[] {
  return issues.map((i) => ({
    path: couponField(i.path.filter((s): s is string | number => typeof s !== 'symbol')),
    message: inYuan(i.message),
  }));
}

function bodyOf(v: CouponFormValues, problems: Problem[]): CouponTemplateInputBody {
  return {
    title: v.title ?? '',
    benefit: benefitOf(v, problems),
    scope: scopeOf(v),
    validity: validityOf(v, problems),
    totalStock: readWhole(problems, ['totalStock'], v.totalStock),
    perBuyerLimit: readWhole(problems, ['perBuyerLimit'], v.perBuyerLimit),
    stacksWithMemberDiscount: Boolean(v.stacksWithMemberDiscount),
    claimable: Boolean(v.claimable),
  };
}

export function createCouponBody(v: CouponFormValues): { body?: CouponTemplateInputBody; problems: Problem[] } {
  const problems: Problem[] = [];
  const body = bodyOf(v, problems);
  const checked = CouponTemplateInput.safeParse(body);
  const all = firstPerField([...problems, ...(checked.success ? [] : issuesOf(checked.error.issues))]);
  return all.length ? { problems: all } : { body, problems: [] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The patch for a saved template: only what differs from it. */
export function updateCouponBody(
  v: CouponFormValues,
  saved: CouponTemplate,
): { body?: CouponTemplatePatchBody; problems: Problem[]; unchanged?: boolean } {
  const problems: Problem[] = [];
  const full = bodyOf(v, problems);
  const body: CouponTemplatePatchBody = {};
  if (full.title.trim() !== saved.title) body.title = full.title;
  if (!same(full.benefit, saved.benefit)) body.benefit = full.benefit;
  if (!same(full.scope, saved.scope)) body.scope = full.scope;
  if (!same(full.validity, saved.validity)) {
    // A window compares as instants (the saved one is written `…Z`).
    const w = full.validity;
    const s = saved.validity;
    const sameWindow =
      w.kind === 'window' &&
      s.kind === 'window' &&
      Date.parse(w.from) === Date.parse(s.from) &&
      Date.parse(w.until) === Date.parse(s.until);
    if (!sameWindow) body.validity = full.validity;
  }
  if (full.totalStock !== saved.totalStock) body.totalStock = full.totalStock;
  if (full.perBuyerLimit !== saved.perBuyerLimit) body.perBuyerLimit = full.perBuyerLimit;
  if (full.stacksWithMemberDiscount !== saved.stacksWithMemberDiscount)
    body.stacksWithMemberDiscount = full.stacksWithMemberDiscount;
  if (full.claimable !== saved.claimable) body.claimable = full.claimable;
  if (problems.length === 0 && Object.keys(body).length === 0) return { problems: [], unchanged: true };
  const checked = CouponTemplatePatch.safeParse(body);
  const all = firstPerField([...problems, ...(checked.success ? [] : issuesOf(checked.error.issues))]);
  return all.length ? { problems: all } : { body, problems: [] };
}
