/**
 * Schema builders every contract entry uses for the same kind of field, so a rule fixed
 * once holds on every route: partial updates, calendar dates, instants.
 */
import { z } from 'zod';

/** A field without its default: in a patch an absent field must stay absent, not become the default. */
function withoutDefault(field: z.ZodType): z.ZodType {
  return field instanceof z.ZodDefault ? withoutDefault(field.removeDefault() as z.ZodType) : field;
}

/**
 * The body of a PATCH: every field of `schema` optional and without its default, unknown
 * fields refused. `.partial()` over a schema with defaults would fill the defaults in and
 * so change fields the caller never named.
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, withoutDefault(field as z.ZodType).optional()]),
  ) as { [K in keyof S]: z.ZodOptional<z.ZodType<z.output<S[K]>, z.input<S[K]>>> };
  return z.strictObject(shape);
}

/**
 * A calendar date `YYYY-MM-DD` that exists (2026-02-30 and 2026-13-45 do not): the one
 * schema for every date on the wire.
 */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => {
    const [y, m, d] = v.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'is not a date on the calendar');

/** An instant as UTC ISO-8601 (`2026-11-30T09:18:41.000Z`) that exists on the calendar. */
export const Instant = z.iso.datetime({ offset: true }).refine((v) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && Number.isFinite(Date.parse(v));
}, 'is not a time on the calendar');
