import { ShopSettingsPatch, shopTitle } from '../src/shop';

const problems = (value: unknown) => {
  const r = ShopSettingsPatch.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('shop settings patch', () => {
  it('keeps exactly the fields named: {} is nothing, shipping may name one of its two', () => {
    expect(ShopSettingsPatch.parse({})).toEqual({});
    expect(ShopSettingsPatch.parse({ name: '  新店名  ' })).toEqual({ name: '新店名' });
    expect(ShopSettingsPatch.parse({ shipping: { freeOver: null } })).toEqual({ shipping: { freeOver: null } });
    expect(ShopSettingsPatch.parse({ nameEn: null, logo: null, servicePhone: null })).toEqual({
      nameEn: null,
      logo: null,
      servicePhone: null,
    });
    expect(
      ShopSettingsPatch.parse({ logo: '/media/shop/logo.png', servicePhone: '400-820-8820', nameEn: 'Tea' }),
    ).toMatchObject({ logo: '/media/shop/logo.png', servicePhone: '400-820-8820' });
  });

  it('names the bad field', () => {
    expect(problems(null)).toEqual(['']);
    expect(problems({ name: '' })).toEqual(['name']);
    expect(problems({ name: null })).toEqual(['name']);
    expect(problems({ name: 'x'.repeat(41) })).toEqual(['name']);
    expect(problems({ shipping: { flatFee: 9.9 } })).toEqual(['shipping.flatFee']);
    expect(problems({ shipping: { flatFee: -100 } })).toEqual(['shipping.flatFee']);
    expect(problems({ shipping: { freeOver: 0 } })).toEqual(['shipping.freeOver']);
    expect(problems({ shipping: null })).toEqual(['shipping']);
    expect(problems({ logo: 'javascript:alert(1)' })).toEqual(['logo']);
    expect(problems({ servicePhone: 'call us' })).toEqual(['servicePhone']);
    // A misspelt field is refused rather than silently ignored.
    expect(problems({ nmae: '新店名' })).toEqual(['']);
    expect(problems({ shipping: { fee: 100 } })).toEqual(['shipping']);
  });

  it('titles the shop Chinese first, English beside it', () => {
    expect(shopTitle({ name: '茶与点心', nameEn: 'Tea & Snacks' })).toBe('茶与点心 Tea & Snacks');
    expect(shopTitle({ name: '茶与点心', nameEn: null })).toBe('茶与点心');
  });
});
