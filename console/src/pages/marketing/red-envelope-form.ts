/**
 * The red-envelope pack form's values → the contract's `CreateRedEnvelopePackRequest`, checked
 * with the contract's own schema (budget ≥ shares × minimum share, no share above the price
 * limit) before sending; yuan become integer fen exactly, and the schema's fen read as yuan.
 */
import {
  CreateRedEnvelopePackRequest,
  formatFen,
  largestShare,
  type CreateRedEnvelopePackRequest as CreateBody,
  type RedEnvelopeSplitMode,
  type RedEnvelopeThreshold,
} from '@chatmall/shared';
import {
  firstPerField,
  inYuan,
  readWhole,
  readYuan,
  wholeOf,
  yuanToFen,
  type FieldPath,
  type Problem,
} from './marketing-text';
import { blankTerms, scopeOf, termsField, validityOf, type TermsValues } from './terms-form';

export interface PackFormValues extends TermsValues {
  title: string;
  budget: string;
  shares: string;
  split: RedEnvelopeSplitMode;
  minimumShare: string;
  couponTitle: string;
  thresholdKind: RedEnvelopeThreshold['kind'];
  multiple: string;
  fixedThreshold: string;
  stacksWithMemberDiscount: boolean;
  groupOnly: boolean;
  newBuyersOnly: boolean;
  expiresInHours: string;
}

export function blankPack(): PackFormValues {
  return {
    title: '',
    budget: '',
    shares: '',
    split: 'random',
    minimumShare: '0.01',
    couponTitle: '群红包券',
    thresholdKind: 'multiple',
    multiple: '5',
    fixedThreshold: '',
    stacksWithMemberDiscount: true,
    groupOnly: true,
    newBuyersOnly: false,
    expiresInHours: '24',
    ...blankTerms(),
  };
}

/** A schema or server path → the form's field (`coupon.threshold.multiple` → `multiple`). */
export function packField(path: readonly (string | number)[]): FieldPath {
  if (path[0] === 'coupon') {
    const rest = path.slice(1);
    const terms = termsField(rest);
    if (terms) return terms;
    if (rest[0] === 'title') return ['couponTitle'];
    if (rest[0] === 'stacksWithMemberDiscount') return ['stacksWithMemberDiscount'];
    if (rest[0] === 'threshold') {
      if (rest[1] === 'multiple') return ['multiple'];
      if (rest[1] === 'threshold') return ['fixedThreshold'];
      return ['thresholdKind'];
    }
    return ['couponTitle'];
  }
  return path.length ? [...path] : ['form'];
}

function thresholdOf(v: PackFormValues, problems: Problem[]): RedEnvelopeThreshold {
  switch (v.thresholdKind) {
    case 'none':
      return { kind: 'none' };
    case 'fixed':
      return { kind: 'fixed', threshold: readYuan(problems, ['fixedThreshold'], v.fixedThreshold) };
    default:
      return { kind: 'multiple', multiple: readWhole(problems, ['multiple'], v.multiple) };
  }
}

export function createPackBody(v: PackFormValues): { body?: CreateBody; problems: Problem[] } {
  const problems: Problem[] = [];
  const body: CreateBody = {
    title: v.title ?? '',
    imageUrl: null,
    budget: readYuan(problems, ['budget'], v.budget),
    shares: readWhole(problems, ['shares'], v.shares),
    split: v.split,
    minimumShare: readYuan(problems, ['minimumShare'], v.minimumShare),
    coupon: {
      title: v.couponTitle ?? '',
      threshold: thresholdOf(v, problems),
      scope: scopeOf(v),
      validity: validityOf(v, problems),
      stacksWithMemberDiscount: Boolean(v.stacksWithMemberDiscount),
    },
    groupOnly: Boolean(v.groupOnly),
    newBuyersOnly: Boolean(v.newBuyersOnly),
    expiresInHours: readWhole(problems, ['expiresInHours'], v.expiresInHours),
  };
  const checked = CreateRedEnvelopePackRequest.safeParse(body);
  // Unreadable numbers stand in as 0; their own message wins, and a budget check against
  // a 0 that is not what was typed would only confuse.
  const bad = new Set(problems.map((p) => p.path.join('.')));
  const issues = checked.success
    ? []
    : checked.error.issues
        .map((i) => ({
          path: packField(i.path.filter((s): s is string | number => typeof s !== 'symbol')),
          message: inYuan(i.message),
        }))
        .filter((p) => !(p.path[0] === 'budget' && (bad.has('shares') || bad.has('minimumShare'))));
  const all = firstPerField([...problems, ...issues]);
  return all.length ? { problems: all } : { body, problems: [] };
}

/**
 * The live check under the budget: what shares × minimum needs, the average share and the
 * largest a share can be; `ok` false when the budget cannot cover the minimum.
 */
export function budgetCheck(v: Partial<PackFormValues> | undefined): { ok: boolean; text: string } | null {
  const budget = yuanToFen(v?.budget);
  const shares = wholeOf(v?.shares);
  const minimum = yuanToFen(v?.minimumShare);
  if (budget === null || shares === null || minimum === null) return null;
  if ([budget, shares, minimum].some(Number.isNaN) || shares < 1 || minimum < 1) return null;
  const needed = shares * minimum;
  if (budget < needed)
    return {
      ok: false,
      text: `总金额不够：${shares} 份 × 最小 ${formatFen(minimum)} = ${formatFen(needed)} · The budget must be at least shares × minimum share (${formatFen(needed)})`,
    };
  const average = Math.floor(budget / shares);
  const top = v?.split === 'equal' ? largestShare(budget, shares, 'equal') : largestShare(budget, shares, 'random');
  return {
    ok: true,
    text:
      v?.split === 'equal'
        ? `每份约 ${formatFen(average)}（最多 ${formatFen(top)}）· About ${formatFen(average)} each`
        : `平均每份 ${formatFen(average)}，随机在 ${formatFen(minimum)} 到 ${formatFen(top)} 之间 · Average ${formatFen(average)}, random from ${formatFen(minimum)} to ${formatFen(top)}`,
  };
}
