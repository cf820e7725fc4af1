/**
 * Words and small helpers of the staff pages: field messages in Chinese first (the password
 * and username rules say more than the console's general patterns), the server's 400/409
 * fields onto a form, what a refused change means, and a strong password to hand over.
 */
import { ApiError, ErrorCode, type StaffAccount } from '@chatmall/shared';
import type { FormInstance } from 'antd';
import type { z } from 'zod';
import { fieldText, problemText } from '../../api/messages';

/** `must be at least 10 characters` → `至少 10 个字符 · must be at least 10 characters`. */
export function staffFieldText(message: string): string {
  const atLeast = /at least (\d+) characters/i.exec(message);
  if (atLeast) return `至少 ${atLeast[1]} 个字符 · ${message}`;
  if (/lower-case letters, digits/i.test(message)) return `3–32 位小写字母、数字或 _ . - · ${message}`;
  if (/already taken/i.test(message)) return `用户名已被占用 · ${message}`;
  // zod's own words for an empty required text.
  if (/expected string to have >=1 characters/i.test(message)) return '不能为空 · must not be blank';
  return fieldText(message);
}

/** Client-side zod issues onto the form's fields (by their first path segment). */
export function zodOntoForm(form: FormInstance, error: z.ZodError): void {
  form.setFields(error.issues.map((i) => ({ name: String(i.path[0]), errors: [staffFieldText(i.message)] })));
}

/**
 * The server's `fields` of a 400 or 409 (`body.username` taken) onto the form. Resolves to
 * false when the error has no field the form shows (the caller says it another way).
 */
export function serverOntoForm(form: FormInstance, err: unknown, shown: readonly string[]): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.code !== ErrorCode.VALIDATION_FAILED && err.code !== ErrorCode.CONFLICT) return false;
  const mine = err.fields
    .map((f) => ({ name: f.path.replace(/^body\./, ''), message: f.message }))
    .filter((f) => shown.includes(f.name));
  if (!mine.length) return false;
  form.setFields(mine.map((f) => ({ name: f.name, errors: [staffFieldText(f.message)] })));
  return true;
}

/** Why a role change, disabling or reset was refused, in the owner's words. */
export function staffProblemText(err: unknown): string {
  if (err instanceof ApiError && err.code === ErrorCode.CONFLICT) {
    if (/at least one enabled owner/i.test(err.message)) return `店铺至少要保留一位启用的店主 · ${err.message}`;
    if (/yourself|your own/i.test(err.message)) return `不能停用或降级自己的账号 · ${err.message}`;
  }
  return problemText(err);
}

export type StaffStatus = 'enabled' | 'disabled' | 'locked';

/** Disabled first (it outlasts a lock), then locked, else enabled. */
export function statusOf(s: Pick<StaffAccount, 'disabled' | 'lockedUntil'>, now = Date.now()): StaffStatus {
  if (s.disabled) return 'disabled';
  if (s.lockedUntil && Date.parse(s.lockedUntil) > now) return 'locked';
  return 'enabled';
}

export const statusLabel: Record<StaffStatus, { zh: string; en: string; color: string }> = {
  enabled: { zh: '启用', en: 'Enabled', color: 'green' },
  disabled: { zh: '停用', en: 'Disabled', color: 'default' },
  locked: { zh: '锁定', en: 'Locked', color: 'red' },
};

export const roleColor = { owner: 'gold', marketer: 'blue', clerk: 'cyan' } as const;

// No 0/O, 1/l/I: read aloud or copied from a screen without mistakes.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random 14-character password (about 81 bits) from the browser's CSPRNG. */
export function strongPassword(length = 14): string {
  const out: string[] = [];
  const bytes = new Uint8Array(1);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    // Rejection sampling keeps every character equally likely.
    if (bytes[0] < 256 - (256 % ALPHABET.length)) out.push(ALPHABET[bytes[0] % ALPHABET.length]);
  }
  return out.join('');
}
