/**
 * The segment editor's conditions: what each field asks for, its operators in words, a blank
 * condition of each field, and a condition read back as a sentence for the list.
 */
import { formatFen, type SegmentCondition, type SegmentRules } from '@chatmall/shared';

export type Field = SegmentCondition['field'];

export const fieldLabel: Record<Field, string> = {
  tag: '标签 Tag',
  memberLevel: '会员等级 Member level',
  lastOrder: '最近下单 Last order',
  totalSpend: '累计消费 Total spend',
  city: '城市 City',
  touchpoint: '来源渠道 Touchpoint',
  followedAt: '关注时间 Followed',
  subscribeConsent: '订阅授权 Subscribe consent',
};

export const opLabel: Record<string, string> = {
  any: '含任一 has any of',
  none: '都不含 has none of',
  in: '属于 is one of',
  notIn: '不属于 is none of',
  withinDays: '最近 N 天内 within the last N days',
  notWithinDays: 'N 天内没有 not within N days',
  atLeast: '不少于 at least',
  below: '少于 below',
  before: 'N 天以前 more than N days ago',
};

export const opsOf: Record<Field, string[]> = {
  tag: ['any', 'none'],
  memberLevel: ['in', 'notIn'],
  lastOrder: ['withinDays', 'notWithinDays'],
  totalSpend: ['atLeast', 'below'],
  city: ['in', 'notIn'],
  touchpoint: ['in', 'notIn'],
  followedAt: ['withinDays', 'before'],
  subscribeConsent: [],
};

/** A condition as the editor holds it: every field's value kept while the field changes. */
export interface EditCondition {
  kind: 'condition';
  field: Field;
  op: string;
  tagIds: number[];
  values: string[];
  days: number | null;
  /** Yuan, as typed; fen on the wire. */
  yuan: number | null;
  templateId: string;
}
export interface EditGroup {
  kind: 'group';
  combine: 'and' | 'or';
  items: (EditCondition | EditGroup)[];
}

export function blankCondition(field: Field = 'tag'): EditCondition {
  return {
    kind: 'condition',
    field,
    op: opsOf[field][0] ?? '',
    tagIds: [],
    values: [],
    days: 30,
    yuan: null,
    templateId: '',
  };
}

function toCondition(c: EditCondition): unknown {
  switch (c.field) {
    case 'tag':
      return { field: 'tag', op: c.op, tagIds: c.tagIds };
    case 'memberLevel':
      return { field: 'memberLevel', op: c.op, levels: c.values };
    case 'city':
      return { field: 'city', op: c.op, cities: c.values };
    case 'touchpoint':
      return { field: 'touchpoint', op: c.op, touchpointIds: c.values };
    case 'lastOrder':
    case 'followedAt':
      return { field: c.field, op: c.op, days: c.days ?? undefined };
    case 'totalSpend':
      return { field: 'totalSpend', op: c.op, amount: c.yuan === null ? undefined : Math.round(c.yuan * 100) };
    case 'subscribeConsent':
      return { field: 'subscribeConsent', templateId: c.templateId };
  }
}

/** The editor's group → the contract's rules (checked by SegmentRules). */
export function toRules(g: EditGroup): unknown {
  return {
    combine: g.combine,
    conditions: g.items.map((i) => (i.kind === 'group' ? toRules(i) : toCondition(i))),
  };
}

export function fromRules(r: SegmentRules): EditGroup {
  return {
    kind: 'group',
    combine: r.combine,
    items: r.conditions.map((c) => {
      if ('combine' in c) return fromRules(c);
      const e = blankCondition(c.field);
      switch (c.field) {
        case 'tag':
          return { ...e, op: c.op, tagIds: c.tagIds };
        case 'memberLevel':
          return { ...e, op: c.op, values: c.levels };
        case 'city':
          return { ...e, op: c.op, values: c.cities };
        case 'touchpoint':
          return { ...e, op: c.op, values: c.touchpointIds };
        case 'lastOrder':
        case 'followedAt':
          return { ...e, op: c.op, days: c.days };
        case 'totalSpend':
          return { ...e, op: c.op, yuan: c.amount / 100 };
        case 'subscribeConsent':
          return { ...e, templateId: c.templateId };
      }
    }),
  };
}

const dayWords: Record<string, (n: number) => string> = {
  withinDays: (n) => `最近 ${n} 天内`,
  notWithinDays: (n) => `${n} 天内没有`,
  before: (n) => `${n} 天以前`,
};

/** One line for the list: 标签 含任一 2 个 且 累计消费 不少于 ¥100.00. */
export function rulesText(r: SegmentRules): string {
  if (!r.conditions.length) return '全部粉丝 All followers';
  const join = r.combine === 'and' ? ' 且 ' : ' 或 ';
  return r.conditions
    .map((c) => {
      if ('combine' in c) return `(${rulesText(c)})`;
      const f = fieldLabel[c.field].split(' ')[0];
      const op = 'op' in c ? opLabel[c.op].split(' ')[0] : '';
      switch (c.field) {
        case 'tag':
          return `${f} ${op} ${c.tagIds.length} 个`;
        case 'memberLevel':
          return `${f} ${op} ${c.levels.join('、')}`;
        case 'city':
          return `${f} ${op} ${c.cities.join('、')}`;
        case 'touchpoint':
          return `${f} ${op} ${c.touchpointIds.length} 个`;
        case 'lastOrder':
        case 'followedAt':
          return `${f} ${dayWords[c.op](c.days)}`;
        case 'totalSpend':
          return `${f} ${op} ${formatFen(c.amount)}`;
        case 'subscribeConsent':
          return `${f} ${c.templateId}`;
      }
    })
    .join(join);
}
