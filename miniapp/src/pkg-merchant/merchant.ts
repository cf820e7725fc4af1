/**
 * What the merchant pages share: who may do what (read from the contract's `boundStaff`
 * roles, so a button never shows for a role the server refuses), and the role labels.
 * Only pkg-merchant imports this file: the main package never carries merchant code.
 */
import { contract, type EndpointName, type StaffRole } from '@chatmall/shared';

export function mayUse(role: StaffRole, name: EndpointName): boolean {
  const a = contract[name].access;
  return a.kind === 'boundStaff' && (a.roles as readonly StaffRole[]).includes(role);
}

export const roleLabel: Record<StaffRole, string> = {
  owner: '店主 Owner',
  marketer: '运营 Marketer',
  clerk: '店员 Clerk',
};

/** A code in whatever a scan or a link gave: `…?code=12345678`, or the 8 digits alone. */
export function codeIn(text: string): string | null {
  const m = /(?:[?&]code=)(\d{8})(?:&|$)/.exec(text) ?? /^\s*(\d{8})\s*$/.exec(text);
  return m ? m[1] : null;
}
