/** Who is calling: buyers (mini-program sessions) and staff (the merchant's console). */
import { z } from 'zod';

export const StaffRole = z.enum(['owner', 'marketer', 'clerk']);
export type StaffRole = z.infer<typeof StaffRole>;

/** Who may call an endpoint. Checked in one place on the server, before validation. */
export type Access = { kind: 'public' } | { kind: 'buyer' } | { kind: 'staff'; roles: readonly StaffRole[] };

export const access = {
  public: { kind: 'public' } as const,
  buyer: { kind: 'buyer' } as const,
  staff: (...roles: StaffRole[]) => ({ kind: 'staff', roles }) as const,
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

export const CreateStaffRequest = z.object({
  username: z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'must be 3–32 lower-case letters, digits, _ . or -'),
  displayName: z.string().trim().min(1).max(64),
  role: StaffRole,
  password: z.string().min(10, 'must be at least 10 characters').max(200),
});

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
