/**
 * Segments over the audience read model (issue 16, "Segments"): rules over tags, member level,
 * last order date, total spend, city, touchpoint, follow date and subscription consent,
 * combined with and / or; the editor's live count; saved and edited; a campaign to a segment.
 * The read model is written by the subscribers' own service calls (follower.updated,
 * follower.followed, order.placed / paid, refund.succeeded, member.level_changed).
 */
import type { SegmentRules } from '@chatmall/shared';
import { drivingTag } from '../src/modules/audience/audience.service';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let stack: TestStack;
let marketer: { auth: { authorization: string } };

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  stack = await startStack({ config: testConfig({ CAMPAIGN_QUIET_HOURS: 'off' }) });
  marketer = await makeStaff(stack.db, 'marketer');
  const a = stack.app.services.audience;
  // Five followers: f1..f4 linked to buyers b1..b4, f5 a follower who never bought.
  const follower = (n: number, city: string | null, tags: number[], followedDaysAgo: number) => ({
    openid: `o_seg_${n}`,
    unionid: null,
    buyerId: n <= 4 ? `buyer_seg${n}` : null,
    city,
    tagIds: tags,
    followedAt: ago(followedDaysAgo),
  });
  await a.applyFollowers({}, [
    follower(1, '杭州', [10, 11], 100),
    follower(2, '上海', [10], 40),
    follower(3, '杭州', [], 5),
    follower(4, null, [11], 1),
    follower(5, '北京', [], 200),
  ]);
  await a.followed({}, { openid: 'o_seg_3', unionid: null, buyerId: null, touchpointId: 'tp_table7', at: ago(5) });
  await a.levelChanged({}, { buyerId: 'buyer_seg1', level: 'gold' });
  await a.levelChanged({}, { buyerId: 'buyer_seg2', level: 'silver' });
  // b1 pays 300.00 then gets 50.00 back; b2 pays 80.00; b3 places an order and never pays.
  await a.orderPlaced({}, { orderNo: 'S1', buyerId: 'buyer_seg1' });
  await a.orderPaid({}, { orderNo: 'S1', amount: 30_000 });
  await a.orderPaid({}, { orderNo: 'S1', amount: 30_000 }); // delivered twice: counted once
  await a.refunded({}, { orderNo: 'S1', amount: 5_000, refundedTotal: 5_000 });
  await a.refunded({}, { orderNo: 'S1', amount: 5_000, refundedTotal: 5_000 }); // twice: once
  await a.orderPlaced({}, { orderNo: 'S2', buyerId: 'buyer_seg2' });
  await a.orderPaid({}, { orderNo: 'S2', amount: 8_000 });
  await a.orderPlaced({}, { orderNo: 'S3', buyerId: 'buyer_seg3' });
  await a.consentGranted({}, 'o_seg_4', 'TPL_SUB');
  await a.consentGranted({}, 'o_seg_2', 'TPL_SUB');
  await a.consentUsed({}, 'o_seg_2', 'TPL_SUB');
  await a.unfollowed({}, { openid: 'o_seg_5' });
  await a.applyFollowers({}, [follower(6, '北京', [], 2)]);
}, 60_000);
afterAll(() => stack?.close());

const count = async (rules: SegmentRules) => {
  const res = await api(stack.baseUrl, 'POST', '/api/admin/segments/count', marketer.auth, { rules });
  expect(res.status).toBe(200);
  return res.body.count as number;
};
const one = (c: SegmentRules['conditions'][number]) => count({ combine: 'and', conditions: [c] });

it('counts each kind of rule over the followers who follow now', async () => {
  expect(await count({ combine: 'and', conditions: [] })).toBe(5); // f5 unfollowed; f6 new
  expect(await one({ field: 'tag', op: 'any', tagIds: [10] })).toBe(2);
  expect(await one({ field: 'tag', op: 'none', tagIds: [10, 11] })).toBe(2);
  expect(await one({ field: 'memberLevel', op: 'in', levels: ['gold'] })).toBe(1);
  expect(await one({ field: 'memberLevel', op: 'notIn', levels: ['gold'] })).toBe(4);
  expect(await one({ field: 'lastOrder', op: 'withinDays', days: 30 })).toBe(2);
  expect(await one({ field: 'lastOrder', op: 'notWithinDays', days: 30 })).toBe(3);
  expect(await one({ field: 'totalSpend', op: 'atLeast', amount: 25_000 })).toBe(1); // 300 − 50 = 250.00
  expect(await one({ field: 'totalSpend', op: 'atLeast', amount: 25_001 })).toBe(0);
  expect(await one({ field: 'totalSpend', op: 'below', amount: 10_000 })).toBe(4);
  expect(await one({ field: 'city', op: 'in', cities: ['杭州'] })).toBe(2);
  expect(await one({ field: 'city', op: 'notIn', cities: ['杭州'] })).toBe(3);
  expect(await one({ field: 'touchpoint', op: 'in', touchpointIds: ['tp_table7'] })).toBe(1);
  expect(await one({ field: 'followedAt', op: 'withinDays', days: 7 })).toBe(3);
  expect(await one({ field: 'followedAt', op: 'before', days: 30 })).toBe(2);
  expect(await one({ field: 'subscribeConsent', templateId: 'TPL_SUB' })).toBe(1); // f2's was used
});

it('combines with and / or, nested', async () => {
  const hangzhouOrTag11: SegmentRules = {
    combine: 'or',
    conditions: [
      { field: 'city', op: 'in', cities: ['杭州'] },
      { field: 'tag', op: 'any', tagIds: [11] },
    ],
  };
  expect(await count(hangzhouOrTag11)).toBe(3); // f1, f3, f4
  expect(
    await count({
      combine: 'and',
      conditions: [hangzhouOrTag11, { field: 'lastOrder', op: 'notWithinDays', days: 30 }],
    }),
  ).toBe(2); // f3, f4
});

it('saves, lists with counts, edits; a campaign to a segment previews its count; bad rules change nothing', async () => {
  const created = await api(stack.baseUrl, 'POST', '/api/admin/segments', marketer.auth, {
    name: '杭州老客',
    rules: { combine: 'and', conditions: [{ field: 'city', op: 'in', cities: ['杭州'] }] },
  });
  expect(created.status).toBe(200);
  expect(created.body).toMatchObject({ name: '杭州老客', count: 2 });
  const edited = await api(stack.baseUrl, 'PUT', `/api/admin/segments/${created.body.id}`, marketer.auth, {
    name: '杭州或上海',
    rules: { combine: 'and', conditions: [{ field: 'city', op: 'in', cities: ['杭州', '上海'] }] },
  });
  expect(edited.body).toMatchObject({ name: '杭州或上海', count: 3 });
  const list = await api(stack.baseUrl, 'GET', '/api/admin/segments', marketer.auth);
  expect(list.body.items.map((s: { id: string; count: number }) => [s.id, s.count])).toEqual([[created.body.id, 3]]);

  const c = await api(stack.baseUrl, 'POST', '/api/admin/campaigns', marketer.auth, {
    name: '分群推送',
    content: { channel: 'mass', text: '本周上新' },
    audience: { kind: 'segment', segmentId: created.body.id },
  });
  const preview = await api(stack.baseUrl, 'GET', `/api/admin/campaigns/${c.body.id}/preview`, marketer.auth);
  expect(preview.body).toMatchObject({ recipients: 3, lines: ['本周上新'], page: null, approvalNeeded: false });

  const bad = await api(stack.baseUrl, 'POST', '/api/admin/segments', marketer.auth, {
    name: '坏规则',
    rules: { combine: 'and', conditions: [{ field: 'totalSpend', op: 'atLeast', amount: -1 }] },
  });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('rules.conditions.0');
  expect((await api(stack.baseUrl, 'GET', '/api/admin/segments', marketer.auth)).body.items).toHaveLength(1);
});

it('pages an audience in openid order whether a tag drives the walk or the followers do, and agrees with the count', async () => {
  const a = stack.app.services.audience;
  const walk = async (audience: Parameters<typeof a.page>[0]) => {
    const all: string[] = [];
    for (let after: string | null = null; ;) {
      const page = await a.page(audience, after, 1); // one a page: every cursor step is exercised
      if (!page.length) return all;
      all.push(...page);
      after = page[page.length - 1];
    }
  };
  const tagAndCity: SegmentRules = {
    combine: 'and',
    conditions: [
      { field: 'tag', op: 'any', tagIds: [10] },
      { field: 'city', op: 'in', cities: ['杭州'] },
    ],
  };
  const tagOrCity: SegmentRules = {
    combine: 'or',
    conditions: [
      { field: 'tag', op: 'any', tagIds: [11] },
      { field: 'city', op: 'in', cities: ['北京'] },
    ],
  };
  expect(drivingTag(tagAndCity)).toBe(10);
  expect(drivingTag(tagOrCity)).toBeNull();
  expect(drivingTag({ combine: 'and', conditions: [{ field: 'tag', op: 'any', tagIds: [10, 11] }] })).toBeNull();
  expect(drivingTag({ combine: 'and', conditions: [{ field: 'tag', op: 'none', tagIds: [10] }] })).toBeNull();

  expect(await walk({ kind: 'tag', tagId: 10 })).toEqual(['o_seg_1', 'o_seg_2']);
  expect(await walk({ kind: 'tag', tagId: 11 })).toEqual(['o_seg_1', 'o_seg_4']);
  expect(await walk({ kind: 'all' })).toEqual(['o_seg_1', 'o_seg_2', 'o_seg_3', 'o_seg_4', 'o_seg_6']);
  const saved = async (rules: SegmentRules) => {
    const res = await api(stack.baseUrl, 'POST', '/api/admin/segments', marketer.auth, {
      name: `paging ${Math.random()}`,
      rules,
    });
    expect(res.status).toBe(200);
    return { kind: 'segment' as const, segmentId: res.body.id as string };
  };
  expect(await walk(await saved(tagAndCity))).toEqual(['o_seg_1']);
  expect(await count(tagAndCity)).toBe(1);
  expect(await walk(await saved(tagOrCity))).toEqual(['o_seg_1', 'o_seg_4', 'o_seg_6']);
  expect(await count(tagOrCity)).toBe(3);
});
