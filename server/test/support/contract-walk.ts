/**
 * Walks the contract's request schemas (params, query, body) field by field, so tests can be
 * generated from the table: a new route or field is covered the day it is declared.
 */
import { contract, type Endpoint } from '@chatmall/shared';
import { z } from 'zod';

export type Part = 'params' | 'query' | 'body';

export interface FieldInfo {
  endpoint: string;
  e: Endpoint;
  part: Part;
  /** Path inside the part; array items are `0`. */
  path: (string | number)[];
  /** The field's schema with optional/default/nullable wrappers taken off. */
  schema: z.ZodType;
  /** The field's schema as declared (wrappers included). */
  declared: z.ZodType;
}

/** Takes off optional, default, nullable and readonly wrappers. */
export function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  for (;;) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault)
      cur = cur.unwrap() as z.ZodType;
    else if (cur instanceof z.ZodReadonly) cur = cur.unwrap() as z.ZodType;
    else return cur;
  }
}

function walk(
  endpoint: string,
  e: Endpoint,
  part: Part,
  schema: z.ZodType,
  path: (string | number)[],
  out: FieldInfo[],
) {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(inner.shape as Record<string, z.ZodType>))
      walk(endpoint, e, part, field, [...path, key], out);
    return;
  }
  if (inner instanceof z.ZodArray) {
    walk(endpoint, e, part, inner.element as z.ZodType, [...path, 0], out);
    return;
  }
  if (path.length) out.push({ endpoint, e, part, path, schema: inner, declared: schema });
}

/** Every leaf field of every endpoint's request. */
export function requestFields(): FieldInfo[] {
  const out: FieldInfo[] = [];
  for (const [name, e] of Object.entries(contract) as [string, Endpoint][])
    for (const part of ['params', 'query', 'body'] as const) walk(name, e, part, e[part], [], out);
  return out;
}

/** An object with `value` at `path` (arrays get one element), for a request that names one field. */
export function objectAt(path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  return typeof head === 'number' ? [objectAt(rest, value)] : { [head]: objectAt(rest, value) };
}

export const isInteger = (s: z.ZodType): s is z.ZodNumber => s instanceof z.ZodNumber && Boolean(s.isInt);

/** An integer field's declared maximum (Infinity when it has none). */
export const maxOf = (f: FieldInfo): number => (f.schema as z.ZodNumber).maxValue ?? Infinity;
