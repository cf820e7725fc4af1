import { mainPackagePages, pagePath, pagePaths, pageUrl, subpackagePages, subpackageRoots } from '../src/routes';
import { RED_ENVELOPE_PAGE, redEnvelopeSharePath } from '../src/red-envelopes';

describe('page paths for the server and the storefront', () => {
  it('builds a page path with its query, as the server links to an order', () => {
    expect(pagePath('order', { id: 'ord_01HX' })).toBe('pkg-order/pages/order/index?id=ord_01HX');
    expect(pagePath('order', { id: 'ord_01HX', pay: 1 })).toBe('pkg-order/pages/order/index?id=ord_01HX&pay=1');
    expect(pagePath('home')).toBe('pages/home/index');
  });

  it('URL-encodes query values, so an id or a search cannot break the path', () => {
    expect(pagePath('search', { q: '龙井 & 碧螺春?' })).toBe(
      'pages/search/index?q=%E9%BE%99%E4%BA%95%20%26%20%E7%A2%A7%E8%9E%BA%E6%98%A5%3F',
    );
    expect(pagePath('product', { id: 'a/b=c#d' })).toBe('pages/product/index?id=a%2Fb%3Dc%23d');
  });

  it('leaves absent values out', () => {
    expect(pagePath('search', { q: '' })).toBe('pages/search/index');
    expect(pagePath('search')).toBe('pages/search/index');
    expect(pagePath('orders', { status: undefined })).toBe('pkg-order/pages/orders/index');
    expect(pagePath('orders', { status: 'PAID' })).toBe('pkg-order/pages/orders/index?status=PAID');
  });

  it('keeps query keys in the order given (checkout "buy now")', () => {
    expect(pagePath('checkout', { sku: 'sku_1', product: 'prod_1', qty: 2 })).toBe(
      'pkg-order/pages/checkout/index?sku=sku_1&product=prod_1&qty=2',
    );
    expect(pagePath('checkout', { from: 'cart' })).toBe('pkg-order/pages/checkout/index?from=cart');
  });

  it('gives navigation and share URLs a leading slash', () => {
    expect(pageUrl('product', { id: 'prod_longjing' })).toBe('/pages/product/index?id=prod_longjing');
    expect(pageUrl('cart')).toBe('/pages/cart/index');
  });

  it('checks the query at compile time', () => {
    // @ts-expect-error the order page needs an id
    pagePath('order');
    // @ts-expect-error the cart page takes no query
    pagePath('cart', { id: 'x' });
    // @ts-expect-error an order status is one of the enum's values
    pagePath('orders', { status: 'LOST' });
    expect(true).toBe(true);
  });
});

describe('the package layout app.json is built from', () => {
  it('puts every page in exactly one package: the main one or its subpackage root', () => {
    const inSubpackages = subpackagePages().flatMap((s) => s.pages.map((p) => `${s.root}/${p}`));
    expect([...mainPackagePages(), ...inSubpackages].sort()).toEqual(Object.values(pagePaths).sort());
    expect(new Set(Object.values(pagePaths)).size).toBe(Object.values(pagePaths).length);
  });

  it('opens on home, keeps the main package to the tab and shared-link pages, and lists subpackages', () => {
    expect(mainPackagePages()).toEqual([
      'pages/home/index',
      'pages/category/index',
      'pages/cart/index',
      'pages/me/index',
      'pages/product/index',
      'pages/search/index',
    ]);
    expect(subpackagePages()).toEqual([
      {
        root: 'pkg-order',
        pages: [
          'pages/checkout/index',
          'pages/orders/index',
          'pages/order/index',
          'pages/after-sales/index',
          'pages/review/index',
        ],
      },
      {
        root: 'pkg-member',
        pages: [
          'pages/favourites/index',
          'pages/addresses/index',
          'pages/centre/index',
          'pages/join/index',
          'pages/points/index',
          'pages/wallet/index',
          'pages/code/index',
        ],
      },
      {
        root: 'pkg-merchant',
        pages: [
          'pages/bind/index',
          'pages/home/index',
          'pages/ship/index',
          'pages/refunds/index',
          'pages/red-envelope/index',
          'pages/counter/index',
        ],
      },
      { root: 'pkg-promo', pages: ['pages/coupon-centre/index', 'pages/my-coupons/index'] },
      { root: 'pkg-redpack', pages: ['pages/red-envelope/index'] },
      { root: 'pkg-o2o', pages: ['pages/stores/index'] },
    ]);
    expect(Object.values(subpackageRoots)).toEqual([
      'pkg-order',
      'pkg-member',
      'pkg-merchant',
      'pkg-promo',
      'pkg-redpack',
      'pkg-o2o',
    ]);
    // The red-envelope page is where the server's share paths point.
    expect(pagePaths.redEnvelope).toBe(RED_ENVELOPE_PAGE);
    expect(redEnvelopeSharePath('rp_1', 'b_2')).toBe(pageUrl('redEnvelope', { id: 'rp_1', from: 'b_2' }));
  });
});
