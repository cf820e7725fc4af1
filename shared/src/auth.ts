/** Who is calling: buyers (mini-program sessions) and staff (the merchant's console). */
import { z } from 'zod';
import { patchOf } from './schema';

export const StaffRole = z.enum(['owner', 'marketer', 'clerk']);
export type StaffRole = z.infer<typeof StaffRole>;

/** Who may call an endpoint. Checked in one place on the server, before validation. */
export type Access =
  | { kind: 'public' }
  | { kind: 'buyer' }
  | { kind: 'staff'; roles: readonly StaffRole[] }
  /** A buyer session whose WeChat is bound to an active staff member of one of the roles (the mini-program's merchant pages). */
  | { kind: 'boundStaff'; roles: readonly StaffRole[] };

export const access = {
  public: { kind: 'public' } as const,
  buyer: { kind: 'buyer' } as const,
  staff: (...roles: StaffRole[]) => ({ kind: 'staff', roles }) as const,
  boundStaff: (...roles: StaffRole[]) => ({ kind: 'boundStaff', roles }) as const,
};

export const SessionTokens = z.object({
  accessToken: z.string(),
  /** When the access token stops working (UTC ISO-8601); refresh before then. */
  accessExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});
export type SessionTokens = z.infer<typeof SessionTokens>;

export const BuyerLoginRequest = z.object({
  /** The code from `wx.login()` (in H5, issued by the sandbox). Single use. */
  code: z.string().min(1).max(128),
});

export const Buyer = z.object({
  id: z.string(),
  nickname: z.string().nullable(),
  createdAt: z.string(),
});
export type Buyer = z.infer<typeof Buyer>;

export const BuyerLoginResponse = SessionTokens.extend({ buyer: Buyer });

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(200) });

export const StaffLoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const StaffMember = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRole,
});
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffLoginResponse = SessionTokens.extend({ staff: StaffMember });

/** A staff member's password: the one rule for adding a member and for the owner's reset. */
export const StaffPassword = z.string().min(10, 'must be at least 10 characters').max(200);

export const CreateStaffRequest = z.object({
  username: z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'must be 3–32 lower-case letters, digits, _ . or -'),
  displayName: z.string().trim().min(1).max(64),
  role: StaffRole,
  password: StaffPassword,
});

/** A staff account as the owner manages it (never its password or hash). */
export const StaffAccount = StaffMember.extend({
  disabled: z.boolean(),
  /** Locked after repeated wrong passwords until then (UTC ISO-8601); null when not locked. */
  lockedUntil: z.string().nullable(),
  /** The last password sign-in (UTC ISO-8601); null when never signed in. */
  lastSignInAt: z.string().nullable(),
  /** Whether a WeChat is bound (the mini-program's merchant pages; docs/decisions/0026-staff-wechat-binding.md). */
  wechatBound: z.boolean(),
  createdAt: z.string(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;
export const StaffList = z.object({ items: z.array(StaffAccount) });

/**
 * The owner changes a member's role or disables/enables them: exactly the fields named.
 * Either ends the member's sessions (a role change included, so no token outlives it).
 */
export const StaffUpdate = patchOf(z.object({ role: StaffRole, disabled: z.boolean() }));
export type StaffUpdate = z.input<typeof StaffUpdate>;

/** The owner sets a member's new password (the same rule as when adding them). */
export const ResetStaffPassword = z.object({ password: StaffPassword });

/** A staff member changes their own password: the current one, and the new one (rules as StaffPassword). */
export const ChangeOwnPassword = z.object({ currentPassword: z.string().min(1).max(200), password: StaffPassword });
export type ChangeOwnPassword = z.infer<typeof ChangeOwnPassword>;

export const AuditEntry = z.object({
  id: z.string(),
  actorId: z.string(),
  actorRole: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
