/** Who a request acts for, resolved from its bearer token. */
import type { StaffRole } from '@chatmall/shared';

export type Principal =
  | { kind: 'buyer'; buyerId: string; sessionId: string }
  | { kind: 'staff'; staffId: string; role: StaffRole; sessionId: string };

export type BuyerPrincipal = Extract<Principal, { kind: 'buyer' }>;
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** A merchant-page request (`access.boundStaff`): the staff member bound to the buyer's WeChat, acting through the buyer's session. */
export type BoundStaffPrincipal = StaffPrincipal & { buyerId: string };
