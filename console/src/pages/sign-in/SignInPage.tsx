/**
 * Staff sign-in: username and password, checked with the contract's schema before sending.
 * A wrong password says so; a 429 counts down Retry-After with the submit button held; after
 * signing in the console opens the remembered page (`?next=`), else its first page.
 */
import { ApiError, ErrorCode, StaffLoginRequest } from '@chatmall/shared';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, TooManyAttempts } from '../../api/client';
import { clearErrorsOnEdit, problemText, showZodErrors, tooManyAttempts } from '../../api/messages';
import { session } from '../../api/session';
import { useSession } from '../../api/use-session';
import { Bi } from '../../components/states';

/** Only a path inside the console: never another origin (`//evil.example`). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const current = useSession();
  const [error, setError] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const secondsLeft = Math.max(0, Math.ceil((waitUntil - now) / 1000));

  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [waitUntil]);

  if (current && !busy) return <Navigate to={next} replace />;

  async function submit(values: { username?: string; password?: string }) {
    setError(null);
    const body = StaffLoginRequest.safeParse({ username: values.username ?? '', password: values.password ?? '' });
    if (!body.success) {
      showZodErrors(form, body.error);
      return;
    }
    setBusy(true);
    try {
      const res = await api.staffLogin({ body: body.data });
      onSignedIn();
      session.set(res);
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof TooManyAttempts) {
        setWaitUntil(Date.now() + err.retryAfterSeconds * 1000);
        setNow(Date.now());
      } else if (err instanceof ApiError && err.code === ErrorCode.UNAUTHENTICATED) {
        setError('用户名或密码错误 · Wrong username or password');
      } else {
        setError(problemText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const expired = params.has('next');
  return (
    <div
      className="sign-in"
      style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 24 }}
    >
      <Card style={{ width: 400 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          <Bi zh="商家后台" en="Merchant console" />
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          员工登录 · Staff sign-in{expired ? '（请重新登录 · please sign in again）' : ''}
        </Typography.Paragraph>
        {secondsLeft > 0 && (
          <Alert
            className="sign-in-throttled"
            type="warning"
            showIcon
            message={tooManyAttempts(secondsLeft)}
            style={{ marginBottom: 16 }}
          />
        )}
        {error && (
          <Alert className="sign-in-error" type="error" showIcon message={error} style={{ marginBottom: 16 }} />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          requiredMark={false}
          onValuesChange={clearErrorsOnEdit(form)}
        >
          <Form.Item name="username" label={<Bi zh="用户名" en="Username" />}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={<Bi zh="密码" en="Password" />}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} disabled={secondsLeft > 0}>
            登录 Sign in
          </Button>
        </Form>
      </Card>
    </div>
  );
}
