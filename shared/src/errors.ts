/**
 * Error codes and the problem document every API error answers with.
 * Clients branch on `code`, never on `message` (the message is for people).
 */
import { z } from 'zod';

export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** A SKU has fewer units than asked for; `fields` names the line. */
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  /** The order is not in a state that allows this (e.g. paying a closed order). */
  ORDER_STATE: 'ORDER_STATE',
  /** The member's stored-value balance does not cover the amount. */
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  /** The member holds fewer points than asked for. */
  INSUFFICIENT_POINTS: 'INSUFFICIENT_POINTS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status that goes with each code: one table, used by the server and by tests. */
export const errorStatus: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_STOCK: 409,
  ORDER_STATE: 409,
  INSUFFICIENT_BALANCE: 409,
  INSUFFICIENT_POINTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const FieldProblem = z.object({
  /** Where the bad value is, e.g. `query.limit` or `body.items.0.quantity`. */
  path: z.string(),
  message: z.string(),
});
export type FieldProblem = z.infer<typeof FieldProblem>;

export const Problem = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.array(FieldProblem).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;
