/** Problems (from the contract's schema or the server's 400) onto the marketing forms' fields. */
import type { FormInstance } from 'antd';
import { fieldText } from '../../api/messages';
import type { FieldPath, Problem } from './marketing-text';

/**
 * Puts each problem's message (Chinese first) on its field and scrolls to the first; answers
 * the ones no field shows, for a banner.
 */
export function showProblems(form: FormInstance, problems: Problem[]): string[] {
  const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const rest: string[] = [];
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const p of problems) {
    const key = p.path.join('.');
    if (!known.has(key)) {
      rest.push(`${key}: ${fieldText(p.message)}`);
      continue;
    }
    const entry = byField.get(key) ?? { name: p.path, errors: [] };
    entry.errors.push(fieldText(p.message));
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  const first = [...byField.values()][0];
  if (first) form.scrollToField(first.name, { block: 'center' });
  return rest;
}

/** A 400's `fields[].path` (`body.coupon.threshold.multiple`) as a schema path. */
export function serverPath(path: string): (string | number)[] {
  return path
    .replace(/^body\.?/, '')
    .split('.')
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
