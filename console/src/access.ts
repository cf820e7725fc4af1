/**
 * What a role may do, read from the contract's `access.roles` of each endpoint, so the menu
 * cannot drift from what the server allows (the server still refuses the rest).
 */
import { contract, type EndpointName, type StaffRole } from '@chatmall/shared';

export function mayCall(role: StaffRole | undefined, name: EndpointName): boolean {
  const a = contract[name].access;
  if (a.kind !== 'staff') return true;
  return role !== undefined && (a.roles as readonly StaffRole[]).includes(role);
}

/** A page is shown when the role may call every endpoint in `all` and at least one in `any`. */
export interface PageAccess {
  all?: readonly EndpointName[];
  any?: readonly EndpointName[];
}

export function mayOpen(role: StaffRole | undefined, a: PageAccess): boolean {
  return (a.all ?? []).every((n) => mayCall(role, n)) && (!a.any?.length || a.any.some((n) => mayCall(role, n)));
}

export const roleLabel: Record<StaffRole, string> = {
  owner: '店主 Owner',
  marketer: '运营 Marketer',
  clerk: '店员 Clerk',
};
