/**
 * End to end, in Chromium at 1440 × 900 against the console build served by the API at
 * /console/ (console/dist; scripts/test.mjs builds it before e2e), on the seeded demo shop.
 *
 * 1. The owner creates a product: an empty name and a missing or too-high price are refused on
 *    their fields before anything is sent; two uploaded images, reordered by drag; a 2 × 2
 *    spec matrix (颜色 红/蓝 × 尺码 S/M). Saved, then published from the page; the buyer API
 *    shows it published with its 4 SKUs. In the list: a price edited in place, a stock
 *    adjustment refused in words (409) and then made with a reason; categories reordered by drag,
 *    a non-empty category's delete refused in words, a new one added and deleted. Empty and
 *    error states of the list.
 * 2. A clerk sees the product list with stock actions only: no new product, no publish switch,
 *    no price edit, no categories page.
 *
 * Screenshots: test-results/e2e/console-catalog-*.png.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { startStack, type TestStack } from '../server/test/support/harness';
import { api } from '../server/test/support/people';
import { launchBrowser } from './browser';
import {
  createStaff,
  desktop as openDesktop,
  failOnPageErrors,
  requireConsoleBuild,
  sessionAuth,
  shots,
  signIn as signInAt,
} from './console-stack';
import { png } from './images';

let stack: TestStack;
let browser: Browser;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  stack = await startStack();
  requireConsoleBuild(stack.config.consoleDir);
  await createStaff(stack.db, [
    { username: 'boss', displayName: '王老板', role: 'owner' },
    { username: 'counter', displayName: '小李', role: 'clerk' },
  ]);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const desktop = () => openDesktop(browser, pageErrors);
const consoleUrl = (route = '') => `${stack.baseUrl}/console/${route}`;
const shot = shots('console-catalog-');
const signIn = (page: Page, username: string) => signInAt(page, stack.baseUrl, username);

/** A drag as a person makes it: press, move past the activation distance, move in steps, drop. */
async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 6, a.y + a.height / 2 + 6, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.waitForTimeout(150);
  await page.mouse.up();
}

async function addSpec(page: Page, index: number, name: string, nameEn: string, values: string[]) {
  await page.locator('.add-spec').click();
  const dim = page.locator('.spec-dimension').nth(index);
  await dim.locator('input.spec-name').fill(name);
  await dim.locator('input.spec-name-en').fill(nameEn);
  for (const v of values) {
    await dim.locator('input.spec-value-input').fill(v);
    await dim.locator('input.spec-value-input').press('Enter');
    await dim.locator('.spec-value', { hasText: v }).waitFor();
  }
}

const matrixRow = (page: Page, label: string[]) =>
  page.locator('.sku-matrix-table tbody tr', { hasText: label[0] }).filter({ hasText: label[1] });

it('the owner creates a 2 × 2 product with images, publishes it, edits a price and stock in the list, and orders the shelf', async () => {
  const { context, page } = await desktop();
  await signIn(page, 'boss');
  const owner = await sessionAuth(page);
  const menu = page.locator('.console-menu');

  // The list: seeded products with thumbnail, price range, total stock and the publish switch.
  await menu.getByText('商品管理').click();
  await page.waitForURL(/\/console\/catalog\/products$/);
  await page.locator('.products-table').getByText('明前西湖龙井').waitFor();
  await expect(page.locator('.products-table .publish-switch').count()).resolves.toBeGreaterThan(3);
  await shot(page, '01-list');

  // A new product: nothing filled in is refused on the fields, nothing sent.
  let posts = 0;
  page.on('request', (r) => void (r.method() === 'POST' && r.url().endsWith('/api/admin/products') && posts++));
  await page.locator('.new-product').click();
  await page.waitForURL(/\/catalog\/products\/new$/);
  await page.locator('.save-product').click();
  await page
    .locator('.ant-form-item', { has: page.locator('input.field-name') })
    .getByText('不能为空')
    .waitFor();
  await page
    .locator('.ant-form-item', { has: page.locator('.field-category') })
    .getByText('必填')
    .waitFor();
  await page.locator('.sku-matrix-table').getByText('必填').waitFor();
  expect(posts).toBe(0);
  await shot(page, '02-editor-refused');

  await page.locator('input.field-name').fill('春茶礼盒');
  await page.locator('input.field-name-en').fill('Spring Tea Gift Box');
  await page.locator('.field-category').click();
  await page.locator('.ant-select-item-option', { hasText: '绿茶' }).click();
  await page.locator('input.field-subtitle').fill('两色两码，送礼自饮皆宜');

  // Two images, uploaded as raw bytes; the second dragged in front of the first (the cover).
  await page
    .locator('.image-list input[type=file]')
    .setInputFiles([{ name: 'green.png', mimeType: 'image/png', buffer: png(96, 96, [7, 193, 96]) }]);
  await page.locator('.image-item').first().waitFor();
  await page
    .locator('.image-list input[type=file]')
    .setInputFiles([{ name: 'red.png', mimeType: 'image/png', buffer: png(96, 96, [200, 60, 60]) }]);
  await expect(page.locator('.image-item').nth(1).waitFor()).resolves.toBeUndefined();
  const uploaded = await page.locator('.image-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-url')));
  expect(uploaded).toHaveLength(2);
  expect(uploaded.every((u) => /^\/media\/uploads\//.test(u ?? ''))).toBe(true);
  await drag(page, page.locator('.image-item .drag-image').nth(1), page.locator('.image-item .drag-image').nth(0));
  await page.waitForFunction(
    (first) => document.querySelector('.image-item')?.getAttribute('data-url') === first,
    uploaded[1],
  );

  // The matrix: 颜色 红/蓝 × 尺码 S/M makes four rows; a third colour adds two, removing it takes them off.
  await addSpec(page, 0, '颜色', 'Colour', ['红', '蓝']);
  await expect(page.locator('.sku-matrix-table tbody tr').count()).resolves.toBe(2);
  await addSpec(page, 1, '尺码', 'Size', ['S', 'M']);
  await expect(page.locator('.sku-matrix-table tbody tr').count()).resolves.toBe(4);
  await page.locator(':is(input.fill-price, .fill-price input)').fill('39.90');
  await page.locator('input.fill-stock').fill('10');
  await page.locator('.fill-all').click();
  await matrixRow(page, ['蓝', 'M']).locator(':is(input.sku-price-input, .sku-price-input input)').fill('45');
  const first = page.locator('.spec-dimension').nth(0);
  await first.locator('input.spec-value-input').fill('绿');
  await first.locator('input.spec-value-input').press('Enter');
  await expect(page.locator('.sku-matrix-table tbody tr').count()).resolves.toBe(6);
  await expect(
    matrixRow(page, ['蓝', 'M']).locator(':is(input.sku-price-input, .sku-price-input input)').inputValue(),
  ).resolves.toBe('45');
  await first.locator('.spec-value', { hasText: '绿' }).locator('.ant-tag-close-icon').click();
  await expect(page.locator('.sku-matrix-table tbody tr').count()).resolves.toBe(4);
  await expect(
    matrixRow(page, ['蓝', 'M']).locator(':is(input.sku-price-input, .sku-price-input input)').inputValue(),
  ).resolves.toBe('45');

  // A price above ¥99,999.99 is refused on its row before sending.
  const redS = matrixRow(page, ['红', 'S']).locator(':is(input.sku-price-input, .sku-price-input input)');
  await redS.fill('100000');
  await page.locator('.save-product').click();
  await matrixRow(page, ['红', 'S']).getByText('数值过大').waitFor();
  expect(posts).toBe(0);
  await shot(page, '03-editor-price-refused');
  await redS.fill('38');
  await page.locator('.sku-matrix').scrollIntoViewIfNeeded();
  await shot(page, '04-editor-matrix');

  await page.locator('.save-product').click();
  await page.waitForURL(/\/catalog\/products\/prod_[0-9a-z]+$/);
  expect(posts).toBe(1);
  const productId = /\/(prod_[0-9a-z]+)$/.exec(page.url())![1];
  await page.locator('.product-status', { hasText: '未上架' }).waitFor();
  // Saved SKUs show their units on hand; stock changes go through the list from now on.
  await expect(page.locator('.sku-stock-on-hand').count()).resolves.toBe(4);
  await expect((await api(stack.baseUrl, 'GET', `/api/products/${productId}`)).status).toBe(404);

  await page.locator('.publish-product').click();
  await page.locator('.product-status', { hasText: '已上架' }).waitFor();
  await shot(page, '05-editor-published');
  const seen = await api(stack.baseUrl, 'GET', `/api/products/${productId}`);
  expect(seen.status).toBe(200);
  expect(seen.body).toMatchObject({ name: '春茶礼盒', categoryId: 'cat_greentea', cover: uploaded[1] });
  expect(seen.body.images).toEqual([uploaded[1], uploaded[0]]);
  expect(seen.body.specs).toEqual([
    { name: '颜色', nameEn: 'Colour', values: ['红', '蓝'] },
    { name: '尺码', nameEn: 'Size', values: ['S', 'M'] },
  ]);
  expect(
    seen.body.skus.map((s: { specValues: string[]; price: number; stock: number }) => [s.specValues, s.price, s.stock]),
  ).toEqual([
    [['红', 'S'], 3800, 10],
    [['红', 'M'], 3990, 10],
    [['蓝', 'S'], 3990, 10],
    [['蓝', 'M'], 4500, 10],
  ]);
  const skuId = (values: string[]) =>
    (seen.body.skus as { id: string; specValues: string[] }[]).find((s) => s.specValues.join() === values.join())!.id;

  // The list: find it, open its SKUs, change a price in place.
  await page.locator('.console-menu').getByText('商品管理').click();
  await page.locator(':is(input.product-search, .product-search input)').fill('春茶');
  await page.locator(':is(input.product-search, .product-search input)').press('Enter');
  await page.waitForURL(/q=/);
  const row = page.locator('.products-table tbody tr', { hasText: '春茶礼盒' }).first();
  await row.locator('.price-range', { hasText: '¥38.00 – ¥45.00' }).waitFor();
  await row.locator('.total-stock', { hasText: '40' }).waitFor();
  await row.locator('.ant-table-row-expand-icon').click();
  const skuRow = (label: string) => page.locator('.sku-table tbody tr', { hasText: label });
  await skuRow('红 / M').waitFor();
  await skuRow('红 / M').locator('.sku-price .edit').click();
  await skuRow('红 / M').locator(':is(input.inline-input, .inline-input input)').fill('42.50');
  await skuRow('红 / M').locator(':is(input.inline-input, .inline-input input)').press('Enter');
  await page.getByText('价格已修改 · Price changed').waitFor();
  await skuRow('红 / M').locator('.sku-price .value', { hasText: '¥42.50' }).waitFor();
  const afterPrice = await api(stack.baseUrl, 'GET', `/api/admin/products/${productId}`, owner);
  expect(afterPrice.body.skus.find((s: { id: string }) => s.id === skuId(['红', 'M'])).price).toBe(4250);
  await shot(page, '06-list-expanded');

  // Stock: taking off more than is on hand is refused in words; then 3 off for breakage.
  await skuRow('蓝 / S').locator('.adjust-stock').click();
  const dialog = page.locator('.ant-modal', { hasText: '调整库存' });
  await dialog.locator('.field-direction').getByText('减少 Take off').click();
  await dialog.locator(':is(input.field-units, .field-units input)').fill('11');
  await dialog.locator('input.field-reason').fill('破损');
  await dialog.locator('.confirm-adjust').click();
  await dialog.getByText('库存不足：现有 10 件').waitFor();
  await shot(page, '07-stock-refused');
  await dialog.locator(':is(input.field-units, .field-units input)').fill('3');
  await dialog.locator('.confirm-adjust').click();
  await page.getByText('库存已调整 · Stock adjusted').waitFor();
  await skuRow('蓝 / S').locator('.sku-stock .value', { hasText: '7' }).waitFor();
  const afterStock = await api(stack.baseUrl, 'GET', `/api/admin/products/${productId}`, owner);
  expect(afterStock.body.skus.find((s: { id: string }) => s.id === skuId(['蓝', 'S'])).stock).toBe(7);
  const audit = await api(stack.baseUrl, 'GET', '/api/admin/audit?limit=10', owner);
  expect(audit.body.items).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        action: 'sku.stock',
        detail: expect.objectContaining({ delta: -3, from: 10, to: 7, reason: '破损' }),
      }),
    ]),
  );

  // Empty and error states of the list.
  await page.goto(consoleUrl('catalog/products?q=没有这种茶'));
  await page.locator('.state-empty', { hasText: '没有符合条件的商品' }).waitFor();
  await shot(page, '08-list-empty');
  await page.route('**/api/admin/products?*', (r) => r.fulfill({ status: 500, body: '' }));
  await page.goto(consoleUrl('catalog/products'));
  await page.locator('.state-error').waitFor({ timeout: 20_000 });
  await shot(page, '09-list-error');
  await page.unroute('**/api/admin/products?*');

  // Categories: drag the last to the top (saved in one call), a non-empty one cannot go.
  await page.locator('.console-menu').getByText('商品分类').click();
  const names = () => page.locator('.categories-table tbody tr .category-name').allTextContents();
  await page.locator('.categories-table .category-name').first().waitFor();
  const before = await names();
  expect(before[0]).toBe('绿茶');
  await drag(page, page.locator('.drag-category').last(), page.locator('.drag-category').first());
  await page.getByText('顺序已保存 · Order saved').waitFor();
  const moved = [before[before.length - 1], ...before.slice(0, -1)];
  await expect(names()).resolves.toEqual(moved);
  const shelf = await api(stack.baseUrl, 'GET', '/api/categories');
  expect(shelf.body.items.map((c: { name: string }) => c.name)).toEqual(moved);
  await shot(page, '10-categories');

  await page.locator('.categories-table tbody tr', { hasText: '绿茶' }).locator('.delete-category').click();
  await page.locator('.confirm-delete-category:visible').click();
  await page.locator('.category-delete-error', { hasText: '分类下还有' }).waitFor();
  await shot(page, '11-category-delete-refused', 200);

  await page.locator('.new-category').click();
  const add = page.locator('.ant-modal', { hasText: '新建分类' });
  await add.locator('.save-category').click();
  await add.getByText('不能为空').first().waitFor();
  await add.locator('input.field-category-name').fill('礼盒');
  await add.locator('input.field-category-name-en').fill('Gift Boxes');
  await add.locator('.save-category').click();
  await page.locator('.categories-table .category-name', { hasText: '礼盒' }).waitFor();
  await page.locator('.categories-table tbody tr', { hasText: '礼盒' }).locator('.rename-category').click();
  const rename = page.locator('.ant-modal', { hasText: '重命名' });
  await rename.locator('input.field-category-name').fill('节日礼盒');
  await rename.locator('.save-category').click();
  await page.locator('.categories-table .category-name', { hasText: '节日礼盒' }).waitFor();
  await page.locator('.categories-table tbody tr', { hasText: '节日礼盒' }).locator('.delete-category').click();
  await page.locator('.confirm-delete-category:visible').click();
  await page.getByText('已删除 · Deleted 节日礼盒').waitFor();
  await expect(names()).resolves.toEqual(moved);
  await context.close();
}, 240_000);

it('a clerk sees the product list and stock actions only', async () => {
  const { context, page } = await desktop();
  await signIn(page, 'counter');
  const menu = page.locator('.console-menu');
  await menu.getByText('商品管理').waitFor();
  await expect(menu.getByText('商品分类').count()).resolves.toBe(0);
  await menu.getByText('商品管理').click();
  const row = page.locator('.products-table tbody tr', { hasText: '明前西湖龙井' }).first();
  await row.waitFor();
  await expect(page.locator('.new-product').count()).resolves.toBe(0);
  await expect(page.locator('.publish-switch').count()).resolves.toBe(0);
  await expect(page.locator('.product-link').count()).resolves.toBe(0);
  await row.locator('.ant-table-row-expand-icon').click();
  await page.locator('.sku-table .adjust-stock').first().waitFor();
  await expect(page.locator('.sku-table .sku-price .edit').count()).resolves.toBe(0);
  await expect(page.locator('.sku-table .sku-stock .edit').count()).resolves.toBeGreaterThan(0);
  await shot(page, '12-clerk-list');
  await page.goto(consoleUrl('catalog/categories'));
  await page.getByText('没有权限').waitFor();
  await context.close();
}, 90_000);
