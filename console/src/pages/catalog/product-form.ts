/**
 * The product editor's values → the contract's request bodies, as pure functions. Yuan typed
 * by the merchant become integer fen here (exactly, by `parseYuan`); what cannot be read is a
 * problem on its field, and the body is then checked with the contract's own schema before
 * anything is sent. An update names only what changed, so the audit log reads as the change.
 */
import {
  parseYuan,
  ProductCreate,
  ProductUpdate,
  type AdminProduct,
  type ProductCreate as ProductCreateBody,
  type ProductUpdate as ProductUpdateBody,
} from '@chatmall/shared';
import { activeSpecs, specsInput, type SkuRow, type SpecDraft } from './sku-matrix';

export interface ProductFormValues {
  categoryId?: string;
  name: string;
  nameEn: string;
  subtitle: string;
  description: string;
  images: string[];
  specs: SpecDraft[];
  skus: SkuRow[];
}

/** A field of the editor, as antd's `name` path. */
export type FieldPath = (string | number)[];
export interface Problem {
  path: FieldPath;
  message: string;
}

export const NOT_YUAN = 'must be an amount in yuan, e.g. 39 or 39.90';
export const NOT_UNITS = 'must be a whole number of units';

/** `"39.9"` → 3990; `""` → null (absent); anything else unreadable → NaN. */
export function yuanToFen(text: string): number | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  try {
    return parseYuan(t);
  } catch {
    return Number.NaN;
  }
}

/** `"12"` → 12; `""` → null; `"1.5"` / `"abc"` → NaN. */
export function unitsOf(text: string): number | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Fen → the yuan text the inputs show (`3990` → `39.90`), no grouping. */
export function fenToYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/**
 * A problem's path from the schema or the server (`skus.3.initialStock`, `specs.0.values.2`)
 * → the editor's field that shows it: a row's stock input serves both `stock` and
 * `initialStock`; a spec's values are one tag editor; an image is the image list.
 */
export function editorField(path: readonly (string | number)[]): FieldPath {
  const p = [...path];
  if (p[0] === 'skus' && typeof p[1] === 'number') {
    if (p[2] === 'initialStock' || p[2] === 'stock') return ['skus', p[1], 'stock'];
    if (p[2] === 'price' || p[2] === 'originalPrice') return ['skus', p[1], p[2]];
    return ['skus'];
  }
  if (p[0] === 'specs' && typeof p[1] === 'number') {
    if (p[2] === 'values') return ['specs', p[1], 'values'];
    if (p[2] === 'name' || p[2] === 'nameEn') return ['specs', p[1], p[2]];
    return ['specs'];
  }
  if (p[0] === 'images') return ['images'];
  return p.length ? p : ['form'];
}

/** The parts every body shares; money and counts parsed, each unreadable one a problem. */
function commonParts(v: ProductFormValues, creating: boolean) {
  const problems: Problem[] = [];
  if (!v.categoryId) problems.push({ path: ['categoryId'], message: 'is required' });
  const skus = (v.skus ?? []).map((row, i) => {
    const price = yuanToFen(row.price);
    if (price === null) problems.push({ path: ['skus', i, 'price'], message: 'is required' });
    else if (Number.isNaN(price)) problems.push({ path: ['skus', i, 'price'], message: NOT_YUAN });
    const was = yuanToFen(row.originalPrice);
    if (was !== null && Number.isNaN(was)) problems.push({ path: ['skus', i, 'originalPrice'], message: NOT_YUAN });
    const stock = row.id && !creating ? 0 : unitsOf(row.stock);
    if (stock !== null && Number.isNaN(stock)) problems.push({ path: ['skus', i, 'stock'], message: NOT_UNITS });
    return { row, price: price ?? 0, originalPrice: was, stock: stock ?? 0 };
  });
  return { problems, skus };
}

/** Zod issues → problems on the editor's fields. */
function issuesOf(issues: readonly { path: PropertyKey[]; message: string }[]): Problem[] {
  return issues.map((i) => ({
    path: editorField(i.path.filter((s): s is string | number => typeof s !== 'symbol')),
    message: i.message,
  }));
}

/** One message per field: the first, which is what the merchant fixes first. */
function firstPerField(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = p.path.join('.');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function createBody(v: ProductFormValues): { body?: ProductCreateBody; problems: Problem[] } {
  const { problems, skus } = commonParts(v, true);
  const body: ProductCreateBody = {
    categoryId: v.categoryId ?? '',
    name: v.name ?? '',
    nameEn: v.nameEn ?? '',
    subtitle: v.subtitle ?? '',
    description: v.description ?? '',
    images: v.images ?? [],
    specs: specsInput(v.specs ?? []),
    skus: skus.map((s) => ({
      specValues: s.row.specValues,
      price: s.price,
      originalPrice: s.originalPrice,
      stock: s.stock,
      image: s.row.image,
    })),
  };
  const checked = ProductCreate.safeParse(body);
  // Yuan that could not be read stand in as 0 for the schema check; their own message wins.
  const all = firstPerField([...problems, ...(checked.success ? [] : issuesOf(checked.error.issues))]);
  return all.length ? { problems: all } : { body, problems: [] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The update for a saved product: only the fields that differ from it. Specs and SKUs go
 * together when specs change; SKUs alone when only prices (or rows) changed. Saved rows keep
 * their stock on the server, so only new rows send `initialStock`.
 */
export function updateBody(
  v: ProductFormValues,
  saved: AdminProduct,
): { body?: ProductUpdateBody; problems: Problem[]; unchanged?: boolean } {
  const { problems, skus } = commonParts(v, false);
  const body: ProductUpdateBody = {};
  const text = (k: 'name' | 'nameEn' | 'subtitle' | 'description') => {
    const value = (v[k] ?? '').trim();
    if (value !== saved[k]) body[k] = value;
  };
  text('name');
  text('nameEn');
  text('subtitle');
  text('description');
  if (v.categoryId !== saved.categoryId) body.categoryId = v.categoryId ?? '';
  if (!same(v.images ?? [], saved.images)) body.images = v.images ?? [];
  const specs = specsInput(v.specs ?? []);
  const savedSpecs = saved.specs.map((s) => ({ name: s.name, nameEn: s.nameEn, values: s.values }));
  const skuBody = skus.map((s) => ({
    specValues: s.row.specValues,
    price: s.price,
    originalPrice: s.originalPrice,
    image: s.row.image,
    ...(s.row.id ? {} : { initialStock: s.stock }),
  }));
  const savedSkus = saved.skus.map((s) => ({
    specValues: s.specValues,
    price: s.price,
    originalPrice: s.originalPrice,
    image: s.image,
  }));
  const specsChanged = !same(specs, savedSpecs);
  if (specsChanged) body.specs = specs;
  if (specsChanged || !same(skuBody, savedSkus)) body.skus = skuBody;

  if (Object.keys(body).length === 0 && problems.length === 0) return { problems: [], unchanged: true };
  const checked = ProductUpdate.safeParse(body);
  const all = firstPerField([...problems, ...(checked.success ? [] : issuesOf(checked.error.issues))]);
  return all.length ? { problems: all } : { body, problems: [] };
}

/** A saved product → the editor's values. */
export function formValuesOf(p: AdminProduct, keyOf: (i: number) => string): ProductFormValues {
  const specs: SpecDraft[] = p.specs.map((s, i) => ({
    key: keyOf(i),
    name: s.name,
    nameEn: s.nameEn,
    values: s.values,
  }));
  return {
    categoryId: p.categoryId,
    name: p.name,
    nameEn: p.nameEn,
    subtitle: p.subtitle,
    description: p.description,
    images: p.images,
    specs,
    skus: p.skus.map((s) => ({
      id: s.id,
      specValues: s.specValues.slice(0, activeSpecs(specs).length),
      price: fenToYuan(s.price),
      originalPrice: fenToYuan(s.originalPrice),
      stock: String(s.stock),
      image: s.image,
    })),
  };
}
