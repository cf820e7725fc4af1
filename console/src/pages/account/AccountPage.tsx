/**
 * 我的账号 My account: the signed-in staff member changes their own password
 * (ChangePasswordCard), and binds their own WeChat to open the
 * mini-program's merchant pages (docs/decisions/0026-staff-wechat-binding.md). A one-time
 * code is shown as a QR code of the bind page (scanned in the mini-program) and as 8 digits
 * (typed), with a countdown to its expiry; the card turns to "bound" as soon as the phone
 * has used it. Unbinding is one confirmed click.
 */
import { BINDING_CODE_TTL_MS, formatChinaTime, type WechatBindingCode } from '@chatmall/shared';
import { Alert, App, Button, Card, Popconfirm, QRCode, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { problemText } from '../../api/messages';
import { Bi, PageHeader, QueryView } from '../../components/states';
import { ChangePasswordCard } from './ChangePasswordCard';

/** `9:58`: minutes and seconds left. */
function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The time left until `until` (0 once passed), re-read every second; never more than a code's lifetime (a clock ahead of ours). */
function useRemaining(until: string | undefined): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!until) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until ? Math.min(BINDING_CODE_TTL_MS, Math.max(0, Date.parse(until) - Date.now())) : 0;
}

export default function AccountPage() {
  const { message } = App.useApp();
  const [issued, setIssued] = useState<(WechatBindingCode & { at: number }) | null>(null);
  const remaining = useRemaining(issued?.expiresAt);
  const live = issued !== null && remaining > 0;
  // While a code is live, look every few seconds whether the phone has used it.
  const status = useApiQuery('getWechatBinding', {}, { refetchInterval: live ? 3000 : false });
  const issue = useApiMutation('issueWechatBindingCode', {
    onSuccess: (code) => setIssued({ ...code, at: Date.now() }),
  });
  const unbind = useApiMutation('unbindWechat', {
    invalidates: ['getWechatBinding'],
    onSuccess: () => void message.success('已解绑 · Unbound'),
  });

  const boundAt = status.data?.boundAt ? Date.parse(status.data.boundAt) : 0;
  const usedJustNow = issued !== null && status.data?.bound === true && boundAt >= issued.at - 5000;
  useEffect(() => {
    if (usedJustNow) {
      setIssued(null);
      void message.success('已绑定 · Bound');
    }
  }, [usedJustNow, message]);

  return (
    <>
      <PageHeader zh="我的账号" en="My account" />
      <Card
        className="wechat-binding"
        title={<Bi zh="我的微信" en="My WeChat" />}
        style={{ maxWidth: 720, marginBottom: 24 }}
      >
        <QueryView query={status}>
          {(s) => (
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              <Space size={12} wrap>
                <Typography.Text strong>
                  <Bi zh="绑定状态" en="Status" />
                </Typography.Text>
                {s.bound ? (
                  <Tag color="success" className="wechat-binding__bound">
                    已绑定 Bound{s.boundAt ? ` · ${formatChinaTime(s.boundAt)}` : ''}
                  </Tag>
                ) : (
                  <Tag className="wechat-binding__unbound">未绑定 Not bound</Tag>
                )}
              </Space>
              <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                绑定后，用这个微信打开小程序「我的 →
                商家后台」，即可在手机上看今日数据、发货（扫快递单条码）和处理退款，权限与你在控制台的角色相同。
                <br />
                Once bound, that WeChat opens Me → Merchant in the mini-program: today's numbers, shipping (scan the
                parcel's barcode) and refunds, with the same role as here.
              </Typography.Paragraph>

              {live && issued ? (
                <div
                  className="wechat-binding__code"
                  data-qr={issued.pagePath}
                  style={{ display: 'flex', gap: 24, alignItems: 'center' }}
                >
                  <QRCode value={issued.pagePath} size={196} bordered />
                  <Space direction="vertical" size={8}>
                    <Typography.Text type="secondary">
                      <Bi zh="用微信扫一扫，或在小程序绑定页输入" en="Scan in WeChat, or type on the bind page" />
                    </Typography.Text>
                    <Typography.Text
                      className="wechat-binding__digits"
                      copyable={{ text: issued.code }}
                      style={{ fontSize: 36, fontWeight: 600, letterSpacing: 6, fontFamily: 'monospace' }}
                    >
                      {issued.code.slice(0, 4)} {issued.code.slice(4)}
                    </Typography.Text>
                    <Typography.Text className="wechat-binding__countdown">
                      {mmss(remaining)} 后失效 · expires in {mmss(remaining)}（仅可使用一次 · works once）
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      <Bi zh="等待手机绑定…" en="Waiting for the phone…" />
                    </Typography.Text>
                  </Space>
                </div>
              ) : issued ? (
                <Alert
                  type="warning"
                  showIcon
                  className="wechat-binding__expired"
                  message={<Bi zh="绑定码已过期，请重新获取" en="The code has expired; get a new one" />}
                />
              ) : null}

              {issue.isError && <Alert type="error" showIcon message={problemText(issue.error)} />}
              {unbind.isError && <Alert type="error" showIcon message={problemText(unbind.error)} />}

              <Space wrap>
                <Button
                  type={s.bound ? 'default' : 'primary'}
                  className="wechat-binding__issue"
                  loading={issue.isPending}
                  onClick={() => issue.mutate({})}
                >
                  {live
                    ? '换一个绑定码 New code'
                    : s.bound
                      ? '换绑另一个微信 Bind another WeChat'
                      : '获取绑定码 Get a binding code'}
                </Button>
                {s.bound && (
                  <Popconfirm
                    title="解绑这个微信？ Unbind this WeChat?"
                    description="解绑后它不能再打开商家后台 · It can no longer open the merchant pages"
                    okText="解绑 Unbind"
                    cancelText="取消 Cancel"
                    onConfirm={() => unbind.mutate({})}
                  >
                    <Button danger className="wechat-binding__unbind" loading={unbind.isPending}>
                      解绑 Unbind
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            </Space>
          )}
        </QueryView>
      </Card>
      <ChangePasswordCard />
    </>
  );
}
