/**
 * 会员规则 The programme (owner): levels with their threshold (cumulative spend in yuan, or
 * growth) and benefits, how points are earned, what they are worth and how much of an order
 * they may pay, when they expire, and the top-up tiers (pay ¥100 get ¥110). Checked with the
 * contract's schema before sending; the server's 400 fields land on the same inputs.
 */
import { ApiError, ErrorCode, formatChinaTime, type Programme } from '@chatmall/shared';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Radio, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, problemText } from '../../api/messages';
import { Bi, PageHeader, QueryView } from '../../components/states';
import { serverPath, showProblems } from '../marketing/form-problems';
import { inYuan } from '../marketing/marketing-text';
import { blankLevel, formValues, settingsOf, type ProgrammeFormValues } from './programme-form';

export default function ProgrammePage() {
  const query = useApiQuery('adminMembershipProgramme', {});
  return (
    <QueryView query={query}>
      {(programme) => <ProgrammeEditor key={programme.version ?? 'defaults'} programme={programme} />}
    </QueryView>
  );
}

function ProgrammeEditor({ programme }: { programme: Programme }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ProgrammeFormValues>();
  const [initial] = useState(() => formValues(programme.settings));
  const [banner, setBanner] = useState<string[]>([]);
  const basis = Form.useWatch('levelBasis', form) ?? initial.levelBasis;
  const save = useApiMutation('saveMembershipProgramme', {
    invalidates: ['adminMembershipProgramme', 'membershipProgramme'],
  });

  async function submit() {
    setBanner([]);
    const { settings, problems } = settingsOf(form.getFieldsValue(true) as ProgrammeFormValues);
    if (!settings)
      return setBanner(
        showProblems(
          form,
          problems.map((p) => ({ ...p, message: inYuan(p.message) })),
        ),
      );
    try {
      await save.mutateAsync({ body: settings });
      message.success('会员规则已保存 · Programme saved');
    } catch (err) {
      if (err instanceof ApiError && err.code === ErrorCode.VALIDATION_FAILED && err.fields.length)
        setBanner(
          showProblems(
            form,
            err.fields.map((f) => ({ path: serverPath(f.path), message: inYuan(f.message) })),
          ),
        );
      else message.error(problemText(err));
    }
  }

  return (
    <>
      <PageHeader
        zh="会员规则"
        en="Membership programme"
        extra={
          <Space>
            <Typography.Text type="secondary" className="programme-version">
              {programme.updatedAt
                ? `第 ${programme.version} 版 · 保存于 ${formatChinaTime(programme.updatedAt)}`
                : '尚未保存，显示默认规则 · Defaults until first saved'}
            </Typography.Text>
            <Button type="primary" className="save-programme" loading={save.isPending} onClick={() => void submit()}>
              保存 Save
            </Button>
          </Space>
        }
      />
      {banner.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="programme-banner"
          style={{ marginBottom: 16 }}
          message={banner.join('；')}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        className="programme-form"
        initialValues={initial}
        onValuesChange={clearErrorsOnEdit(form)}
      >
        <Card title={<Bi zh="会员卡" en="The card" />} style={{ marginBottom: 16 }}>
          <Space align="start" wrap size={32}>
            <Form.Item
              name="enabled"
              valuePropName="checked"
              label={<Bi zh="开放入会" en="Open for joining" />}
              extra="关闭后无法新入会，已有会员保留积分和余额 · Off: nobody joins; members keep what they hold"
              style={{ width: 360 }}
            >
              <Switch className="field-enabled" checkedChildren="开放" unCheckedChildren="关闭" />
            </Form.Item>
            <Form.Item name="levelBasis" label={<Bi zh="等级依据" en="Levels grow with" />}>
              <Radio.Group className="field-level-basis">
                <Radio.Button value="spend">累计消费 Spend</Radio.Button>
                <Radio.Button value="growth">成长值 Growth (1 / 元)</Radio.Button>
              </Radio.Group>
            </Form.Item>
          </Space>
        </Card>

        <Card title={<Bi zh="会员等级" en="Levels" />} style={{ marginBottom: 16 }} className="levels-card">
          <Form.List name="levels">
            {(fields, { add, remove }) => (
              <>
                <div className="levels-head" style={{ display: 'flex', gap: 12, fontWeight: 500, marginBottom: 8 }}>
                  <span style={{ width: 160 }}>等级名称 Name</span>
                  <span style={{ width: 180 }}>
                    {basis === 'spend' ? '累计消费达（元） Spend from, ¥' : '成长值达 Growth from'}
                  </span>
                  <span style={{ width: 140 }}>折扣 Off, %</span>
                  <span style={{ width: 150 }}>积分倍数 Points, %</span>
                  <span style={{ width: 120 }}>包邮 Free ship</span>
                </div>
                {fields.map((f, i) => (
                  <div
                    key={f.key}
                    className={`level-row level-row-${i}`}
                    style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}
                  >
                    <Form.Item name={[f.name, 'name']} style={{ width: 160 }}>
                      <Input className="field-level-name" maxLength={20} placeholder="金卡" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'threshold']} style={{ width: 180 }}>
                      <Input
                        className="field-level-threshold"
                        prefix={basis === 'spend' ? '¥' : undefined}
                        disabled={i === 0}
                        placeholder={i === 0 ? '0' : basis === 'spend' ? '1000' : '1000'}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'discountPercent']} style={{ width: 140 }}>
                      <InputNumber className="field-level-discount" min={0} max={90} precision={0} addonAfter="% off" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'pointsMultiplierPercent']} style={{ width: 150 }}>
                      <InputNumber
                        className="field-level-multiplier"
                        min={100}
                        max={1000}
                        precision={0}
                        addonAfter="%"
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'freeShipping']} valuePropName="checked" style={{ width: 120 }}>
                      <Switch className="field-level-free-shipping" size="small" />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      disabled={fields.length <= 1}
                      aria-label="删除等级 Remove level"
                      onClick={() => remove(f.name)}
                    />
                  </div>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  className="add-level"
                  disabled={fields.length >= 10}
                  onClick={() => {
                    const levels = (form.getFieldValue('levels') ?? []) as ProgrammeFormValues['levels'];
                    add(blankLevel(levels[levels.length - 1]));
                  }}
                >
                  添加等级 Add level
                </Button>
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  第一级从 0 开始，之后每级门槛须高于上一级；折扣 5 即 95 折，积分倍数 150 即 1.5 倍 · The first level
                  starts at 0; each next threshold is higher. 5% off is 95折; 150% earns 1.5×.
                </Typography.Paragraph>
              </>
            )}
          </Form.List>
        </Card>

        <Card title={<Bi zh="积分" en="Points" />} style={{ marginBottom: 16 }}>
          <Space align="start" wrap size={24}>
            <Form.Item
              name={['earning', 'pointsPerYuan']}
              label={<Bi zh="每消费 1 元得积分" en="Points per ¥1 paid" />}
            >
              <InputNumber className="field-points-per-yuan" min={0} max={100} precision={0} />
            </Form.Item>
            <Form.Item name={['earning', 'when']} label={<Bi zh="何时到账" en="Credited when" />}>
              <Radio.Group className="field-earning-when">
                <Radio.Button value="paid">支付后 Paid</Radio.Button>
                <Radio.Button value="completed">订单完成后 Completed</Radio.Button>
              </Radio.Group>
            </Form.Item>
          </Space>
          <Space align="start" wrap size={12}>
            <Form.Item name={['pointsRule', 'points']} label={<Bi zh="积分抵现" en="Points worth" />}>
              <InputNumber className="field-rule-points" min={1} max={100000} precision={0} addonAfter="积分 pts" />
            </Form.Item>
            <span style={{ lineHeight: '32px', marginTop: 30 }}>=</span>
            <Form.Item name={['pointsRule', 'fen']} label=" ">
              <Input className="field-rule-yuan" prefix="¥" style={{ width: 140 }} />
            </Form.Item>
            <Form.Item
              name={['pointsRule', 'maxSharePercent']}
              label={<Bi zh="每单最多抵扣" en="At most, of goods" />}
              style={{ marginLeft: 24 }}
            >
              <InputNumber className="field-rule-cap" min={0} max={100} precision={0} addonAfter="%" />
            </Form.Item>
          </Space>
          <Form.Item
            name={['expiry', 'kind']}
            label={<Bi zh="积分有效期" en="Points expire" />}
            style={{ marginBottom: 0 }}
          >
            <Radio.Group className="field-expiry">
              <Radio.Button value="never">永久有效 Never</Radio.Button>
              <Radio.Button value="end_of_next_year">次年年底过期 End of the next year</Radio.Button>
            </Radio.Group>
          </Form.Item>
        </Card>

        <Card title={<Bi zh="储值充值档位" en="Top-up tiers" />} className="tiers-card">
          <Form.List name="topUpTiers">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="start" className={`tier-row tier-row-${i}`}>
                    <Form.Item name={[f.name, 'pay']} label={i === 0 ? <Bi zh="充值（元）" en="Pay, ¥" /> : undefined}>
                      <Input className="field-tier-pay" prefix="充 ¥" style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'bonus']}
                      label={i === 0 ? <Bi zh="赠送（元）" en="Bonus, ¥" /> : undefined}
                    >
                      <Input className="field-tier-bonus" prefix="送 ¥" style={{ width: 180 }} />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      style={{ marginTop: i === 0 ? 30 : 0 }}
                      aria-label="删除档位 Remove tier"
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                ))}
                <div>
                  <Button
                    icon={<PlusOutlined />}
                    className="add-tier"
                    disabled={fields.length >= 8}
                    onClick={() => add({ pay: '', bonus: '' })}
                  >
                    添加档位 Add tier
                  </Button>
                </div>
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  赠送金额单独记账，退款时只退本金并收回赠送 · The bonus is kept apart: a refund returns the principal
                  and removes the bonus.
                </Typography.Paragraph>
              </>
            )}
          </Form.List>
        </Card>
      </Form>
    </>
  );
}
