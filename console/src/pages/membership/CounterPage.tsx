/**
 * 门店核销 The counter (clerk, owner): the code field takes a scanner's keyboard input (24
 * digits and Enter) or typing; the member shows, then the clerk records an offline purchase
 * (the amount earns points and growth) or takes the amount from the member's balance. Each
 * sale has its own request id, so pressing again after a lost answer records it once. A
 * refused code (forged, expired, already used) is explained on the field.
 */
import {
  ApiError,
  CounterLookupRequest,
  ErrorCode,
  formatFen,
  type CounterMember,
  type CounterResult,
} from '@chatmall/shared';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag, Typography, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useApiMutation } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { Bi, PageHeader } from '../../components/states';
import { inYuan, yuanToFen } from '../marketing/marketing-text';
import { requestKey } from './membership-text';

interface CounterValues {
  code: string;
  amount: string;
}

type Sale = { kind: 'purchase' | 'payment'; result: CounterResult };

export default function CounterPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<CounterValues>();
  const codeInput = useRef<InputRef>(null);
  const [member, setMember] = useState<CounterMember | null>(null);
  const [saleId, setSaleId] = useState(() => requestKey('sale'));
  const [last, setLast] = useState<Sale | null>(null);
  const lookup = useApiMutation('counterLookup');
  const purchase = useApiMutation('counterPurchase', {
    invalidates: ['adminGetMember', 'adminMemberPoints', 'adminListMembers'],
  });
  const payment = useApiMutation('counterPayment', {
    invalidates: ['adminGetMember', 'adminMemberWallet', 'adminListMembers'],
  });

  useEffect(() => codeInput.current?.focus(), []);

  function fieldError(name: keyof CounterValues, text: string) {
    form.setFields([{ name, errors: [text] }]);
  }

  /** The server's refusal on the field it names; anything else as a toast. */
  function showRefusal(err: unknown) {
    if (err instanceof ApiError && err.code === ErrorCode.VALIDATION_FAILED && err.fields.length) {
      for (const f of err.fields) {
        const name = f.path.replace(/^body\./, '');
        if (name === 'code' || name === 'amount') fieldError(name, fieldText(inYuan(f.message)));
        else message.error(`${name}: ${fieldText(f.message)}`);
      }
      return;
    }
    if (err instanceof ApiError && err.code === ErrorCode.INSUFFICIENT_BALANCE) {
      fieldError('amount', `余额不足 · The member's balance does not cover this (${err.message})`);
      return;
    }
    message.error(problemText(err));
  }

  async function read() {
    setLast(null);
    setMember(null);
    const parsed = CounterLookupRequest.safeParse({ code: (form.getFieldValue('code') as string | undefined) ?? '' });
    if (!parsed.success) return fieldError('code', '不是会员码，请扫描会员中心的码 · not a member code (24 digits)');
    form.setFieldValue('code', parsed.data.code);
    try {
      setMember(await lookup.mutateAsync({ body: parsed.data }));
      setSaleId(requestKey('sale'));
    } catch (err) {
      showRefusal(err);
    }
  }

  async function record(kind: Sale['kind']) {
    const v = form.getFieldsValue(true) as CounterValues;
    const amount = yuanToFen(v.amount);
    if (amount === null) return fieldError('amount', '请填写金额（元） · enter the amount in yuan');
    if (Number.isNaN(amount) || amount < 1)
      return fieldError('amount', '请填写金额（元），如 88 或 9.90 · an amount in yuan');
    const body = { code: v.code.trim(), amount, requestId: saleId };
    try {
      const result = await (kind === 'purchase' ? purchase : payment).mutateAsync({ body });
      setLast({ kind, result });
      setMember(null);
      form.resetFields();
      codeInput.current?.focus();
    } catch (err) {
      showRefusal(err);
    }
  }

  const busy = purchase.isPending || payment.isPending;
  return (
    <>
      <PageHeader zh="门店核销" en="Counter" />
      <Card style={{ maxWidth: 760 }}>
        <Form form={form} layout="vertical" className="counter-form" initialValues={{ code: '', amount: '' }}>
          <Form.Item
            name="code"
            label={<Bi zh="会员码" en="Member code" />}
            extra="用扫码枪扫描顾客会员中心里的码，或手动输入码下的数字后按回车 · Scan the code in the member centre, or type its digits and press Enter"
          >
            <Input.Search
              ref={codeInput}
              className="counter-code"
              size="large"
              inputMode="numeric"
              autoComplete="off"
              placeholder="扫描或输入会员码 · Scan or type the code"
              enterButton="查询 Look up"
              loading={lookup.isPending}
              onChange={() => form.setFields([{ name: 'code', errors: [] }])}
              onSearch={() => void read()}
            />
          </Form.Item>
          {member && (
            <Card size="small" className="counter-member" style={{ marginBottom: 16, background: '#fffbe6' }}>
              <Descriptions column={3} size="small">
                <Descriptions.Item label="会员 Member">
                  <span className="counter-member-name">{member.name ?? member.phone}</span>
                </Descriptions.Item>
                <Descriptions.Item label="等级 Level">
                  <Tag color="gold">{member.level}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label="会员号 No.">{member.memberNo}</Descriptions.Item>
                <Descriptions.Item label="手机 Phone">{member.phone}</Descriptions.Item>
                <Descriptions.Item label="积分 Points">{member.points}</Descriptions.Item>
                <Descriptions.Item label="余额 Balance">
                  <span className="counter-member-balance">{formatFen(member.balance)}</span>
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
          <Form.Item name="amount" label={<Bi zh="金额（元）" en="Amount, ¥" />}>
            <Input
              className="counter-amount"
              size="large"
              prefix="¥"
              inputMode="decimal"
              style={{ maxWidth: 280 }}
              disabled={!member}
              onChange={() => form.setFields([{ name: 'amount', errors: [] }])}
              onPressEnter={() => void record('purchase')}
            />
          </Form.Item>
          <Space>
            <Button
              type="primary"
              size="large"
              className="counter-purchase"
              disabled={!member}
              loading={purchase.isPending}
              onClick={() => void record('purchase')}
            >
              记录消费（积分） Record purchase
            </Button>
            <Button
              size="large"
              className="counter-payment"
              disabled={!member || busy}
              loading={payment.isPending}
              onClick={() => void record('payment')}
            >
              余额付款 Pay from balance
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            会员码 60 秒内有效且只能用一次；过期或已用的码请让顾客刷新 · A code lasts 60 s and works once; ask the
            member to refresh an expired or used one.
          </Typography.Paragraph>
        </Form>
      </Card>
      {last && (
        <Alert
          className={`counter-done counter-done-${last.kind}`}
          type="success"
          showIcon
          style={{ maxWidth: 760, marginTop: 16 }}
          message={
            last.kind === 'purchase'
              ? `已记录：${last.result.member.name ?? last.result.member.phone} 获得 ${last.result.pointsEarned} 积分，现有 ${last.result.member.points} · Recorded: +${last.result.pointsEarned} points`
              : `已从余额扣款 ${formatFen(last.result.paid)}，余额 ${formatFen(last.result.member.balance)} · Paid from the balance`
          }
          description={
            last.result.replayed ? '这笔已记录过，未重复记账 · Already recorded; not counted twice' : undefined
          }
        />
      )}
    </>
  );
}
