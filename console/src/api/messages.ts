/**
 * What the console says when something goes wrong: Chinese first, English beside it. Field
 * messages come in English from the contract's zod schemas (in the browser before sending, or
 * from the server's 400 `fields`); a Chinese line is put in front of them by pattern.
 */
import { ApiError, ErrorCode } from '@chatmall/shared';
import type { FormInstance } from 'antd';
import type { z } from 'zod';
import { TooManyAttempts } from './client';

export function tooManyAttempts(seconds: number): string {
  return `尝试次数过多，请 ${seconds} 秒后再试 · Too many attempts`;
}

/** One line for an error from a call (a toast, an error state). */
export function problemText(err: unknown): string {
  if (err instanceof TooManyAttempts) return tooManyAttempts(err.retryAfterSeconds);
  if (err instanceof ApiError) {
    switch (err.code) {
      case ErrorCode.FORBIDDEN:
        return '没有权限 · Your role may not do this';
      case ErrorCode.UNAUTHENTICATED:
        return '登录已失效，请重新登录 · Signed out, please sign in again';
      case ErrorCode.NOT_FOUND:
        return `找不到 · ${err.message}`;
      case ErrorCode.VALIDATION_FAILED:
        return '请检查填写的内容 · Please check the highlighted fields';
      case ErrorCode.ORDER_STATE:
        return `订单状态不允许此操作 · ${err.message}`;
      case ErrorCode.CONFLICT:
      case ErrorCode.OUT_OF_STOCK:
        return `操作冲突 · ${err.message}`;
      case ErrorCode.PAYLOAD_TOO_LARGE:
        return '文件太大 · File too large';
      case ErrorCode.DEPENDENCY_UNAVAILABLE:
        return '服务暂时不可用，请稍后再试 · Service unavailable, try again shortly';
      default:
        return `服务器出错 · Server error (HTTP ${err.status})`;
    }
  }
  if (err instanceof TypeError) return '网络不可用 · Network unavailable';
  return `出错了 · ${err instanceof Error ? err.message : String(err)}`;
}

const zhPatterns: [RegExp, (m: RegExpExecArray) => string][] = [
  // Coupons and red envelopes (the marketing pages show the fen of these messages in yuan).
  [/shares × minimumShare/i, () => '总金额不能少于 个数 × 每份最少金额'],
  [/too few for this budget/i, () => '个数太少：单份金额会超过上限'],
  [/must be after from/i, () => '结束时间须晚于开始时间'],
  [/must name at least one/i, () => '请至少选择一项'],
  [/discount from 1 to 9\.9/i, () => '请填写 1 到 9.9 折'],
  [/no such buyer/i, () => '没有这个买家'],
  [/must not be blank|>=1 character|at least 1 character/i, () => '不能为空'],
  [/must not repeat/i, () => '不能重复'],
  [/must have at least one value/i, () => '请至少添加一个值'],
  [/must have at least one SKU/i, () => '至少需要一个规格组合'],
  [/is already taken/i, () => '已被占用'],
  [/at most (\d+) characters|<=(\d+) characters/i, (m) => `最多 ${m[1] ?? m[2]} 个字符`],
  [/phone number/i, () => '请填写电话号码'],
  [/\/media\/|http\(s\) URL/i, () => '图片地址无效'],
  [/in yuan|amount/i, () => '请填写金额（元）'],
  [/integer|whole number/i, () => '请填写整数'],
  [/at most|<=/i, () => '数值过大'],
  [/at least|>=/i, () => '数值过小'],
  [/letters, digits/i, () => '只能包含字母、数字或连字符'],
  [/required|received undefined/i, () => '必填'],
];

/** `must not be blank` → `不能为空 · must not be blank`. */
export function fieldText(message: string): string {
  // The server already said it in Chinese first (`当前密码不正确 (the current password is wrong)`).
  if (/^[\u4e00-\u9fff]/.test(message)) return message;
  for (const [re, zh] of zhPatterns) {
    const m = re.exec(message);
    if (m) return `${zh(m)} · ${message}`;
  }
  return `格式不正确 · ${message}`;
}

type FieldPath = (string | number)[];

/** Puts messages on the form's fields; a path no field has goes to `rest` (a banner). */
function setFieldErrors(form: FormInstance, problems: { path: FieldPath; message: string }[]): string[] {
  const known = new Set(
    form
      .getFieldsError()
      .map((f) => f.name.join('.'))
      .filter(Boolean),
  );
  const rest: string[] = [];
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const p of problems) {
    const key = p.path.join('.');
    if (!known.has(key)) {
      rest.push(`${key || '—'}: ${fieldText(p.message)}`);
      continue;
    }
    const entry = byField.get(key) ?? { name: p.path, errors: [] };
    entry.errors.push(fieldText(p.message));
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return rest;
}

/** Client-side: a zod error on the request body, onto the form. */
export function showZodErrors(form: FormInstance, error: z.ZodError): string[] {
  return setFieldErrors(
    form,
    error.issues.map((i) => ({
      path: i.path.filter((s): s is string | number => typeof s !== 'symbol'),
      message: i.message,
    })),
  );
}

/** Server-side: a 400's `fields[].path` such as `body.shipping.flatFee` onto the form. */
export function showServerErrors(form: FormInstance, err: unknown): string[] | null {
  if (!(err instanceof ApiError) || err.code !== ErrorCode.VALIDATION_FAILED || err.fields.length === 0) return null;
  return setFieldErrors(
    form,
    err.fields.map((f) => ({
      path: f.path
        .replace(/^body\.?/, '')
        .split('.')
        .filter(Boolean)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      message: f.message,
    })),
  );
}

/** A form's `onValuesChange`: editing a field clears the message put on it. */
export function clearErrorsOnEdit(form: FormInstance) {
  return (changed: Record<string, unknown>) => {
    const paths: FieldPath[] = [];
    const walk = (value: unknown, at: FieldPath) => {
      if (value && typeof value === 'object' && !Array.isArray(value))
        for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
      else paths.push(at);
    };
    walk(changed, []);
    form.setFields(paths.map((name) => ({ name, errors: [] })));
  };
}
