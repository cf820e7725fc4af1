/**
 * The spec × SKU matrix of the product editor, as pure functions: one SKU row per combination
 * of spec values (the cartesian product, in spec order then value order). When the specs
 * change, rows whose combination stays keep everything (their saved SKU id, price, stock);
 * new combinations get new rows; combinations no longer possible go. A dimension is matched
 * by its editor key, not its name, so renaming 颜色 to 色彩 keeps every row.
 */

/** One spec dimension as the editor holds it. `key` is local and stable while editing. */
export interface SpecDraft {
  key: string;
  name: string;
  nameEn: string;
  values: string[];
}

/** One SKU row: money and counts as the merchant typed them (yuan, units). */
export interface SkuRow {
  /** The saved SKU this row is; absent for a combination the product does not have yet. */
  id?: string;
  /** One value per spec dimension that has values, in the specs' order. */
  specValues: string[];
  /** Yuan as typed, e.g. `39.9`; empty until filled in. */
  price: string;
  /** The crossed-out "was" price in yuan; empty for none. */
  originalPrice: string;
  /** Units: the starting stock of a new row; a saved row shows its units on hand (read-only). */
  stock: string;
  image: string | null;
}

/** The product's SKU count limit (the contract's `skus` maximum). */
export const MAX_SKUS = 200;

/** Dimensions that take part in the matrix: a dimension with no values yet adds no column. */
export function activeSpecs<S extends { values: readonly string[] }>(specs: readonly S[]): S[] {
  return specs.filter((s) => s.values.length > 0);
}

/** How many rows these specs make (1 for a product without specs). */
export function combinationCount(specs: readonly { values: readonly string[] }[]): number {
  return activeSpecs(specs).reduce((n, s) => n * s.values.length, 1);
}

/** Every combination of values, first dimension slowest: [[红,S],[红,M],[蓝,S],[蓝,M]]. */
export function combinations(specs: readonly { values: readonly string[] }[]): string[][] {
  return activeSpecs(specs).reduce<string[][]>(
    (rows, spec) => rows.flatMap((row) => spec.values.map((v) => [...row, v])),
    [[]],
  );
}

export const emptyRow = (specValues: string[]): SkuRow => ({
  specValues,
  price: '',
  originalPrice: '',
  stock: '0',
  image: null,
});

/** A row's values by dimension key. */
function valuesByKey(specs: readonly SpecDraft[], row: SkuRow): Map<string, string> {
  const dims = activeSpecs(specs);
  return new Map(dims.map((d, i) => [d.key, row.specValues[i]]));
}

/**
 * The rows for `next` specs, given the rows made for `prev`. A combination that existed keeps
 * its row as is. A combination that extends (or narrows) an old one because a dimension was
 * added (or removed) is a new SKU on the server, so it starts new, carrying only the old
 * row's prices as a starting point.
 */
export function rebuildRows(prev: readonly SpecDraft[], rows: readonly SkuRow[], next: readonly SpecDraft[]): SkuRow[] {
  const old = rows.map((row) => ({ row, values: valuesByKey(prev, row) }));
  const prevKeys = activeSpecs(prev).map((d) => d.key);
  const nextDims = activeSpecs(next);
  const sameDims = prevKeys.length === nextDims.length && nextDims.every((d, i) => d.key === prevKeys[i]);
  return combinations(next).map((specValues) => {
    const wanted = new Map(nextDims.map((d, i) => [d.key, specValues[i]]));
    const agrees = (o: (typeof old)[number]) =>
      [...wanted].every(([k, v]) => !o.values.has(k) || o.values.get(k) === v) &&
      [...o.values].every(([k, v]) => !wanted.has(k) || wanted.get(k) === v);
    const match = old.find(agrees);
    if (!match) return emptyRow(specValues);
    if (sameDims) return { ...match.row, specValues };
    return { ...emptyRow(specValues), price: match.row.price, originalPrice: match.row.originalPrice };
  });
}

/** Sets one field on every row (the "batch fill" bar); saved rows keep their stock. */
export function fillAll(rows: readonly SkuRow[], field: 'price' | 'originalPrice' | 'stock', value: string): SkuRow[] {
  return rows.map((r) => (field === 'stock' && r.id ? r : { ...r, [field]: value }));
}

/** The specs as the contract takes them (without the editor's keys), blank values trimmed off. */
export function specsInput(specs: readonly SpecDraft[]): { name: string; nameEn: string; values: string[] }[] {
  return specs.map((s) => ({ name: s.name.trim(), nameEn: s.nameEn.trim(), values: s.values.map((v) => v.trim()) }));
}

let counter = 0;
/** A fresh editor key for a new dimension. */
export function newSpecKey(): string {
  counter += 1;
  return `spec-${Date.now().toString(36)}-${counter}`;
}
