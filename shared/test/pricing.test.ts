import { canTransition, orderTransitions } from '../src/orders';
import {
  defaultShippingRule,
  freeShippingGap,
  lineTotal,
  priceOrder,
  shippingFee,
  ShippingRule,
  type AdjustmentProvider,
} from '../src/pricing';

describe('pricing', () => {
  const lines = [
    { skuId: 'sku_a', unitPrice: 6800, quantity: 1 },
    { skuId: 'sku_b', unitPrice: 1290, quantity: 2 },
  ];

  it('totals lines in fen and charges shipping below the free-shipping threshold', () => {
    expect(lineTotal({ unitPrice: 1290, quantity: 2 })).toBe(2580);
    expect(priceOrder([lines[1]])).toEqual({ itemsTotal: 2580, adjustments: [], shippingFee: 1000, payable: 3580 });
    expect(priceOrder(lines)).toEqual({ itemsTotal: 9380, adjustments: [], shippingFee: 1000, payable: 10380 });
  });

  it('charges the shipping rule it is given: the shop’s fee and threshold, not constants', () => {
    const shop = { flatFee: 800, freeOver: 5000 };
    expect(priceOrder([lines[1]], shop)).toEqual({
      itemsTotal: 2580,
      adjustments: [],
      shippingFee: 800,
      payable: 3380,
    });
    expect(priceOrder(lines, shop)).toMatchObject({ shippingFee: 0, payable: 9380 });
    expect(priceOrder(lines, { flatFee: 0, freeOver: null })).toMatchObject({ shippingFee: 0 });
    expect(priceOrder(lines, { flatFee: 1500, freeOver: null })).toMatchObject({ shippingFee: 1500 });
    // Without a rule, today's ¥10 below ¥99.
    expect(priceOrder(lines)).toEqual(priceOrder(lines, { flatFee: 1000, freeOver: 9900 }));
  });

  it('says how much more ships free, and nothing when it already does or never will', () => {
    expect(freeShippingGap(2580, defaultShippingRule)).toBe(7320);
    expect(freeShippingGap(9900, defaultShippingRule)).toBeNull();
    expect(freeShippingGap(100, { flatFee: 1000, freeOver: null })).toBeNull();
    expect(freeShippingGap(100, { flatFee: 0, freeOver: 9900 })).toBeNull();
  });

  it('accepts only integer fen within bounds in a shipping rule', () => {
    expect(ShippingRule.safeParse({ flatFee: 1000, freeOver: 9900 }).success).toBe(true);
    expect(ShippingRule.safeParse({ flatFee: 0, freeOver: null }).success).toBe(true);
    for (const bad of [
      { flatFee: 9.5, freeOver: 9900 },
      { flatFee: -1, freeOver: 9900 },
      { flatFee: 100_001, freeOver: 9900 },
      { flatFee: 1000, freeOver: 0 },
      { flatFee: 1000, freeOver: 10_000_001 },
      { flatFee: '1000', freeOver: 9900 },
    ])
      expect([bad, ShippingRule.safeParse(bad).success]).toEqual([bad, false]);
  });

  it('ships free at or above the threshold, and charges nothing for an empty order', () => {
    expect(shippingFee(9900, defaultShippingRule)).toBe(0);
    expect(shippingFee(9899, defaultShippingRule)).toBe(1000);
    expect(shippingFee(0, defaultShippingRule)).toBe(0);
    expect(shippingFee(100_000, { flatFee: 500, freeOver: null })).toBe(500);
  });

  it('applies adjustment providers in order and never lets the goods go below zero', () => {
    const coupon: AdjustmentProvider = ({ itemsTotal }) =>
      itemsTotal >= 5000 ? [{ kind: 'coupon', label: '满50减10', amount: -1000 }] : [];
    const huge: AdjustmentProvider = () => [{ kind: 'balance', label: '余额', amount: -999_999 }];
    expect(priceOrder(lines, defaultShippingRule, [coupon]).payable).toBe(9380 - 1000 + 1000);
    expect(priceOrder(lines, defaultShippingRule, [coupon, huge])).toMatchObject({ payable: 1000 });
  });

  it('refuses an overflowing line', () => {
    expect(() => lineTotal({ unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2 })).toThrow(/overflow/);
  });
});

describe('order state machine table', () => {
  it('lets unpaid orders be paid, cancelled or closed; refunds only after payment; nothing leaves a final state', () => {
    expect(canTransition('PENDING_PAYMENT', 'PAID')).toBe(true);
    expect(canTransition('CLOSED', 'PAID')).toBe(false);
    expect(canTransition('PAID', 'CANCELLED')).toBe(false);
    expect(canTransition('PENDING_PAYMENT', 'REFUNDED')).toBe(false);
    expect(canTransition('COMPLETED', 'PARTIALLY_REFUNDED')).toBe(true);
    for (const final of ['CANCELLED', 'CLOSED', 'REFUNDED'] as const) expect(orderTransitions[final]).toEqual([]);
  });
});
