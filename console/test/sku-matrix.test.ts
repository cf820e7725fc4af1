/**
 * The product editor's spec × SKU matrix: rows are the cartesian product of the spec values,
 * rows whose combination stays keep their SKU id, price and stock, and the request bodies
 * carry integer fen and only what changed.
 */
import type { AdminProduct } from '@chatmall/shared';
import {
  combinationCount,
  combinations,
  emptyRow,
  fillAll,
  rebuildRows,
  type SkuRow,
  type SpecDraft,
} from '../src/pages/catalog/sku-matrix';
import { createBody, editorField, formValuesOf, updateBody, yuanToFen } from '../src/pages/catalog/product-form';

const colour = (values: string[]): SpecDraft => ({ key: 'c', name: '颜色', nameEn: 'Colour', values });
const size = (values: string[]): SpecDraft => ({ key: 's', name: '尺码', nameEn: 'Size', values });
const row = (specValues: string[], price: string, stock = '0', id?: string): SkuRow => ({
  ...emptyRow(specValues),
  price,
  stock,
  ...(id ? { id } : {}),
});
const table = (rows: SkuRow[]) => rows.map((r) => [r.specValues.join('/'), r.price, r.stock, r.id ?? '']);

describe('combinations', () => {
  it('are the cartesian product, first spec slowest', () => {
    expect(combinations([colour(['红', '蓝']), size(['S', 'M'])])).toEqual([
      ['红', 'S'],
      ['红', 'M'],
      ['蓝', 'S'],
      ['蓝', 'M'],
    ]);
    expect(combinationCount([colour(['红', '蓝']), size(['S', 'M', 'L'])])).toBe(6);
  });

  it('a product without specs has one row with no values; a spec without values yet adds no column', () => {
    expect(combinations([])).toEqual([[]]);
    expect(combinations([colour(['红']), size([])])).toEqual([['红']]);
    expect(combinationCount([size([])])).toBe(1);
  });
});

describe('rebuildRows', () => {
  const two = [colour(['红', '蓝']), size(['S', 'M'])];
  const rows = [
    row(['红', 'S'], '10', '5', 'sku_a'),
    row(['红', 'M'], '11', '6', 'sku_b'),
    row(['蓝', 'S'], '12'),
    row(['蓝', 'M'], '13'),
  ];

  it('adding a value adds its rows and keeps every existing row as it was', () => {
    const next = [colour(['红', '蓝', '绿']), size(['S', 'M'])];
    expect(table(rebuildRows(two, rows, next))).toEqual([
      ['红/S', '10', '5', 'sku_a'],
      ['红/M', '11', '6', 'sku_b'],
      ['蓝/S', '12', '0', ''],
      ['蓝/M', '13', '0', ''],
      ['绿/S', '', '0', ''],
      ['绿/M', '', '0', ''],
    ]);
  });

  it('removing a value removes exactly its rows', () => {
    const next = [colour(['蓝']), size(['S', 'M'])];
    expect(table(rebuildRows(two, rows, next))).toEqual([
      ['蓝/S', '12', '0', ''],
      ['蓝/M', '13', '0', ''],
    ]);
    expect(table(rebuildRows(two, rows, [colour(['红', '蓝']), size(['M'])]))).toEqual([
      ['红/M', '11', '6', 'sku_b'],
      ['蓝/M', '13', '0', ''],
    ]);
  });

  it('renaming a spec keeps every row (dimensions are matched by their editor key)', () => {
    const renamed = [{ ...colour(['红', '蓝']), name: '色彩' }, size(['S', 'M'])];
    expect(rebuildRows(two, rows, renamed)).toEqual(rows);
  });

  it('adding a dimension makes new combinations (new SKUs) that start from the old row’s price', () => {
    const one = [colour(['红', '蓝'])];
    const before = [row(['红'], '10', '5', 'sku_a'), row(['蓝'], '20', '3', 'sku_b')];
    expect(table(rebuildRows(one, before, two))).toEqual([
      ['红/S', '10', '0', ''],
      ['红/M', '10', '0', ''],
      ['蓝/S', '20', '0', ''],
      ['蓝/M', '20', '0', ''],
    ]);
  });

  it('removing a dimension narrows the rows, each starting from the first row it came from', () => {
    expect(table(rebuildRows(two, rows, [size(['S', 'M'])]))).toEqual([
      ['S', '10', '0', ''],
      ['M', '11', '0', ''],
    ]);
  });

  it('the first value of a new product makes its first rows; the last value removed leaves one plain row', () => {
    expect(table(rebuildRows([], [row([], '9', '4')], [colour(['红'])]))).toEqual([['红', '9', '0', '']]);
    expect(table(rebuildRows([colour(['红'])], [row(['红'], '9', '4')], [colour([])]))).toEqual([['', '9', '0', '']]);
  });
});

describe('fillAll', () => {
  it('sets a price on every row, and a starting stock only on rows not saved yet', () => {
    const rows = [row(['红'], '1', '5', 'sku_a'), row(['蓝'], '', '0')];
    expect(table(fillAll(rows, 'price', '29.9'))).toEqual([
      ['红', '29.9', '5', 'sku_a'],
      ['蓝', '29.9', '0', ''],
    ]);
    expect(table(fillAll(rows, 'stock', '100'))).toEqual([
      ['红', '1', '5', 'sku_a'],
      ['蓝', '', '100', ''],
    ]);
  });
});

describe('request bodies', () => {
  const values = {
    categoryId: 'cat_greentea',
    name: ' 春茶礼盒 ',
    nameEn: 'Spring tea box',
    subtitle: '',
    description: '',
    images: ['/media/ab/cd.png'],
    specs: [colour(['红', '蓝']), size(['S', 'M'])],
    skus: combinations([colour(['红', '蓝']), size(['S', 'M'])]).map((v, i) =>
      row(v, ['39.9', '40', '0.01', '99999.99'][i], '7'),
    ),
  };

  it('a new product: yuan become integer fen exactly, four SKUs with their stock', () => {
    const { body, problems } = createBody(values);
    expect(problems).toEqual([]);
    expect(body?.skus?.map((s) => [s.specValues, s.price, s.stock])).toEqual([
      [['红', 'S'], 3990, 7],
      [['红', 'M'], 4000, 7],
      [['蓝', 'S'], 1, 7],
      [['蓝', 'M'], 9_999_999, 7],
    ]);
    expect(body?.specs).toEqual([
      { name: '颜色', nameEn: 'Colour', values: ['红', '蓝'] },
      { name: '尺码', nameEn: 'Size', values: ['S', 'M'] },
    ]);
    expect(yuanToFen('19.999')).toBeNaN();
  });

  it('problems land on the row’s field before anything is sent: blank, unreadable, too dear, bad stock, blank name', () => {
    const skus = values.skus.map((r) => ({ ...r }));
    skus[0].price = '';
    skus[1].price = '12.345';
    skus[2].price = '100000';
    skus[3].stock = '1.5';
    const { body, problems } = createBody({ ...values, name: '  ', skus });
    expect(body).toBeUndefined();
    expect(problems.map((p) => [p.path.join('.'), p.message])).toEqual(
      expect.arrayContaining([
        ['skus.0.price', 'is required'],
        ['skus.1.price', expect.stringContaining('yuan')],
        ['skus.2.price', expect.stringContaining('at most')],
        ['skus.3.stock', expect.stringContaining('whole number')],
        ['name', 'must not be blank'],
      ]),
    );
  });

  it('a spec value left blank or repeated is named on that spec’s values', () => {
    const { problems } = createBody({ ...values, specs: [colour(['红', '红']), size(['S', 'M'])] });
    expect(problems.map((p) => p.path.join('.'))).toContain('specs.0.values');
  });

  const saved = {
    id: 'prod_x',
    categoryId: 'cat_greentea',
    name: '春茶礼盒',
    nameEn: 'Spring tea box',
    subtitle: '',
    description: '',
    cover: '/media/ab/cd.png',
    images: ['/media/ab/cd.png'],
    specs: [
      { name: '颜色', nameEn: 'Colour', values: ['红', '蓝'] },
      { name: '尺码', nameEn: 'Size', values: ['S', 'M'] },
    ],
    skus: combinations([colour(['红', '蓝']), size(['S', 'M'])]).map((specValues, i) => ({
      id: `sku_${i}`,
      specValues,
      price: 1000 + i,
      originalPrice: null,
      stock: 3,
      image: null,
    })),
    priceFrom: 1000,
    priceTo: 1003,
    soldOut: false,
    favouriteCount: 0,
    published: false,
    position: 0,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  } as AdminProduct;
  const keys = (i: number) => ['c', 's'][i];

  it('an unchanged saved product sends nothing; a price change sends the SKU set only', () => {
    const v = formValuesOf(saved, keys);
    expect(updateBody(v, saved)).toMatchObject({ unchanged: true });
    v.skus[1] = { ...v.skus[1], price: '12.50' };
    const { body } = updateBody(v, saved);
    expect(Object.keys(body ?? {})).toEqual(['skus']);
    expect(body?.skus?.map((s) => s.price)).toEqual([1000, 1250, 1002, 1003]);
    expect(body?.skus?.some((s) => 'initialStock' in s)).toBe(false);
  });

  it('a new spec value sends specs and SKUs; only the new rows carry a starting stock', () => {
    const v = formValuesOf(saved, keys);
    const specs = [colour(['红', '蓝', '绿']), size(['S', 'M'])];
    const skus = rebuildRows(v.specs, v.skus, specs).map((r) => (r.id ? r : { ...r, price: '20', stock: '9' }));
    const { body, problems } = updateBody({ ...v, specs, skus }, saved);
    expect(problems).toEqual([]);
    expect(body?.specs?.[0].values).toEqual(['红', '蓝', '绿']);
    expect(body?.skus?.map((s) => [s.specValues.join('/'), s.price, s.initialStock])).toEqual([
      ['红/S', 1000, undefined],
      ['红/M', 1001, undefined],
      ['蓝/S', 1002, undefined],
      ['蓝/M', 1003, undefined],
      ['绿/S', 2000, 9],
      ['绿/M', 2000, 9],
    ]);
  });

  it('the server’s paths land on the editor’s fields', () => {
    expect(editorField(['skus', 3, 'initialStock'])).toEqual(['skus', 3, 'stock']);
    expect(editorField(['skus', 1, 'specValues', 0])).toEqual(['skus']);
    expect(editorField(['specs', 0, 'values', 2])).toEqual(['specs', 0, 'values']);
    expect(editorField(['images', 4])).toEqual(['images']);
    expect(editorField(['name'])).toEqual(['name']);
  });
});
