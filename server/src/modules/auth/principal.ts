/** Who a request acts for, resolved from its bearer token. */
import type { StaffRole } from '@chatmall/shared';

export type Principal =
  | { kind: 'buyer'; buyerId: string; sessionId: string }
  | { kind: 'staff'; staffId: string; role: StaffRole; sessionId: string };

export type BuyerPrincipal = Extract<Principal, { kind: 'buyer' }>;
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
