/**
 * The official-account editors' working copies → the contract's bodies and back: the menu
 * (types kept while switching, groups and leaves, problems pointed at their button), the
 * segment rules (yuan to fen, one level of groups, read back unchanged) and a reply whose type
 * changed (only the chosen type's fields are sent).
 */
import { KeywordRuleInput, MenuInput, SegmentRules, type SegmentRules as Rules } from '@chatmall/shared';
import {
  blankButton,
  blankLeaf,
  fromInput,
  problemAt,
  toInput,
  type EditButton,
} from '../src/pages/official-account/menu-model';
import { cleanReply } from '../src/pages/official-account/oa-text';
import { blankCondition, fromRules, rulesText, toRules, type EditGroup } from '../src/pages/campaigns/segment-rules';

describe('menu editor', () => {
  const buttons: EditButton[] = [
    { ...blankButton('新品上架'), key: 'NEW' },
    {
      ...blankButton('逛逛'),
      type: 'group',
      subButtons: [
        { ...blankLeaf('附近门店'), type: 'view', url: 'https://shop.example.com/stores', key: 'left over' },
        {
          ...blankLeaf('小程序'),
          type: 'miniprogram',
          url: 'https://shop.example.com/',
          pagePath: 'pages/index/index',
        },
      ],
    },
  ];

  it('sends only the fields of each button’s type, and reads the same menu back', () => {
    const input = toInput(buttons);
    expect(input).toEqual({
      buttons: [
        { type: 'click', name: '新品上架', key: 'NEW' },
        {
          name: '逛逛',
          subButtons: [
            { type: 'view', name: '附近门店', url: 'https://shop.example.com/stores' },
            { type: 'miniprogram', name: '小程序', url: 'https://shop.example.com/', pagePath: 'pages/index/index' },
          ],
        },
      ],
    });
    expect(MenuInput.safeParse(input).success).toBe(true);
    expect(toInput(fromInput(input))).toEqual(input);
  });

  it('points a problem at its button: a top-level name over 16 bytes, a sub-button’s URL', () => {
    const long = toInput([{ ...buttons[0], name: '新品上架每周更新' }]);
    const issue = MenuInput.safeParse(long).error!.issues[0];
    expect(problemAt(issue.path.map((p) => p as string | number))).toEqual({ at: [0], field: 'name' });
    expect(problemAt(['buttons', 1, 'subButtons', 0, 'url'])).toEqual({ at: [1, 0], field: 'url' });
    expect(problemAt('body.buttons'.replace(/^body\.?/, '').split('.'))).toEqual({ at: null, field: 'buttons' });
  });
});

describe('segment rules', () => {
  it('turns the editor’s conditions into rules (yuan to fen) with one nested group, and back', () => {
    const group: EditGroup = {
      kind: 'group',
      combine: 'and',
      items: [
        { ...blankCondition('totalSpend'), yuan: 99.9 },
        {
          kind: 'group',
          combine: 'or',
          items: [
            { ...blankCondition('city'), values: ['上海', '杭州'] },
            { ...blankCondition('followedAt'), days: 7 },
          ],
        },
      ],
    };
    const rules = SegmentRules.parse(toRules(group));
    expect(rules).toEqual({
      combine: 'and',
      conditions: [
        { field: 'totalSpend', op: 'atLeast', amount: 9990 },
        {
          combine: 'or',
          conditions: [
            { field: 'city', op: 'in', cities: ['上海', '杭州'] },
            { field: 'followedAt', op: 'withinDays', days: 7 },
          ],
        },
      ],
    } satisfies Rules);
    expect(toRules(fromRules(rules))).toEqual(rules);
    expect(rulesText(rules)).toBe('累计消费 不少于 ¥99.90 且 (城市 属于 上海、杭州 或 关注时间 最近 7 天内)');
  });

  it('an unfinished condition does not pass the contract (no live count for it)', () => {
    const group: EditGroup = { kind: 'group', combine: 'and', items: [blankCondition('tag')] };
    expect(SegmentRules.safeParse(toRules(group)).success).toBe(false);
  });
});

describe('replies', () => {
  it('sends only the chosen type’s fields after the type changed', () => {
    const typedThenSwitched = {
      type: 'news',
      text: '先写的文字',
      articles: [{ title: '春茶上新', url: 'https://shop.example.com/a', picUrl: '' }],
    };
    const reply = cleanReply(typedThenSwitched);
    expect(reply).toEqual({
      type: 'news',
      articles: [{ title: '春茶上新', description: '', url: 'https://shop.example.com/a' }],
    });
    expect(
      KeywordRuleInput.safeParse({
        name: '春茶',
        match: 'contains',
        pattern: '春茶',
        priority: 100,
        reply,
        enabled: true,
      }).success,
    ).toBe(true);
  });
});
