/**
 * One member: level and the way to the next, points, balance (principal and bonus), spend,
 * and both ledgers; the owner adjusts points with a required reason (audited, the request
 * key makes a double click one change) and refunds a top-up (principal back through WeChat
 * Pay, its bonus removed).
 */
import { formatChinaTime, formatFen, PointsAdjustmentRequest, type Member, type TopUp } from '@chatmall/shared';
import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Progress,
  Row,
  Statistic,
  Table,
  Tabs,
  Tag,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { mayCall } from '../../access';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { useSession } from '../../api/use-session';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { PointsLedger, WalletLedger } from './LedgerTables';
import { basisAmount, basisLabel, requestKey, topUpStatusLabel } from './membership-text';

export default function MemberDetailPage() {
  const { id = '' } = useParams();
  const query = useApiQuery('adminGetMember', { params: { id } });
  const role = useSession()?.staff.role;
  return (
    <>
      <PageHeader
        zh="会员详情"
        en="Member"
        extra={
          <Link to="/membership/members">
            <Button icon={<ArrowLeftOutlined />}>返回列表 Back</Button>
          </Link>
        }
      />
      <QueryView query={query}>
        {(m) => (
          <>
            <MemberSummary m={m} />
            {mayCall(role, 'adjustMemberPoints') && <AdjustPoints member={m} />}
            <Card style={{ marginTop: 16 }}>
              <Tabs
                className="member-tabs"
                items={[
                  { key: 'points', label: '积分明细 Points', children: <PointsLedger memberId={m.id} /> },
                  { key: 'wallet', label: '储值明细 Stored value', children: <WalletLedger memberId={m.id} /> },
                  ...(mayCall(role, 'adminMemberTopUps')
                    ? [{ key: 'top-ups', label: '充值记录 Top-ups', children: <TopUps memberId={m.id} /> }]
                    : []),
                ]}
              />
            </Card>
          </>
        )}
      </QueryView>
    </>
  );
}

function MemberSummary({ m }: { m: Member }) {
  const next = m.nextLevel;
  const have = m.levelBasis === 'spend' ? m.spendTotal : m.growth;
  const percent = next
    ? Math.min(100, Math.floor(((have - m.level.threshold) / (next.threshold - m.level.threshold)) * 100))
    : 100;
  return (
    <Card className="member-summary">
      <Row gutter={24}>
        <Col span={10}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label="姓名 Name">{m.name ?? '未填 —'}</Descriptions.Item>
            <Descriptions.Item label="手机 Phone">
              <span className="member-phone">{m.phone}</span>
            </Descriptions.Item>
            <Descriptions.Item label="会员号 No.">{m.memberNo}</Descriptions.Item>
            <Descriptions.Item label="入会 Joined">{formatChinaTime(m.joinedAt)}</Descriptions.Item>
            <Descriptions.Item label="微信会员卡 Card">
              {m.card.status === 'ACTIVE'
                ? '已领取 In card pack'
                : m.card.status === 'REMOVED'
                  ? '已删除 Removed'
                  : '未领取 None'}
            </Descriptions.Item>
          </Descriptions>
        </Col>
        <Col span={14}>
          <div style={{ marginBottom: 12 }}>
            <Tag color="gold" className="member-level" style={{ fontSize: 16, padding: '4px 12px' }}>
              {m.level.name}
            </Tag>
            {m.level.discountPercent > 0 && (
              <Tag>
                {100 - m.level.discountPercent} 折 · {m.level.discountPercent}% off
              </Tag>
            )}
            {m.level.pointsMultiplierPercent > 100 && <Tag>积分 ×{m.level.pointsMultiplierPercent / 100}</Tag>}
            {m.level.freeShipping && <Tag>包邮 Free shipping</Tag>}
          </div>
          <div className="member-progress">
            {next ? (
              <>
                距 {next.name} 还差 {basisAmount(m.levelBasis, next.missing)} · {basisLabel[m.levelBasis]} to{' '}
                {next.name}
                <Progress percent={percent} strokeColor="#d4a017" />
              </>
            ) : (
              <>已是最高等级 · Top level</>
            )}
          </div>
          <Row gutter={16} style={{ marginTop: 8 }}>
            <Col span={6}>
              <Statistic title="积分 Points" value={m.points} className="stat-points" />
            </Col>
            <Col span={6}>
              <Statistic title="余额 Balance" value={formatFen(m.balance.total)} className="stat-balance" />
            </Col>
            <Col span={6}>
              <Statistic
                title="本金 / 赠送"
                value={`${formatFen(m.balance.principal)} / ${formatFen(m.balance.bonus)}`}
                valueStyle={{ fontSize: 16 }}
              />
            </Col>
            <Col span={6}>
              <Statistic title="累计消费 Spend" value={formatFen(m.spendTotal)} valueStyle={{ fontSize: 16 }} />
            </Col>
          </Row>
        </Col>
      </Row>
    </Card>
  );
}

interface AdjustValues {
  delta: number | null;
  reason: string;
}

function AdjustPoints({ member }: { member: Member }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AdjustValues>();
  // One key per adjustment: a retry after a lost answer is the same adjustment.
  const [key, setKey] = useState(() => requestKey('adj'));
  const [banner, setBanner] = useState<string[]>([]);
  const adjust = useApiMutation('adjustMemberPoints', {
    invalidates: ['adminGetMember', 'adminMemberPoints', 'adminListMembers', 'membershipLiability'],
  });

  async function submit() {
    setBanner([]);
    const v = form.getFieldsValue(true) as AdjustValues;
    const parsed = PointsAdjustmentRequest.safeParse({
      delta: v.delta ?? undefined,
      reason: v.reason ?? '',
      requestKey: key,
    });
    if (!parsed.success) return setBanner(showZodErrors(form, parsed.error));
    try {
      const entry = await adjust.mutateAsync({ params: { id: member.id }, body: parsed.data });
      message.success(
        `积分已调整 ${entry.delta > 0 ? '+' : ''}${entry.delta}，现有 ${entry.balanceAfter} · Points adjusted`,
      );
      form.resetFields();
      setKey(requestKey('adj'));
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest) setBanner(rest);
      else message.error(problemText(err));
    }
  }

  return (
    <Card title={<Bi zh="调整积分" en="Adjust points" />} style={{ marginTop: 16 }} className="adjust-points">
      {banner.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={banner.join('；')} />}
      <Form
        form={form}
        layout="inline"
        className="adjust-form"
        initialValues={{ delta: null, reason: '' }}
        onValuesChange={clearErrorsOnEdit(form)}
        onFinish={() => void submit()}
      >
        <Form.Item name="delta" label={<Bi zh="积分" en="Points" />} extra="正数增加，负数扣减 · + adds, − takes">
          <InputNumber className="field-delta" precision={0} placeholder="+100 / -50" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="reason" label={<Bi zh="原因（必填）" en="Reason" />} style={{ flex: 1, minWidth: 320 }}>
          <Input className="field-reason" maxLength={100} placeholder="例如：线下活动补发 · e.g. event make-up" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" className="adjust-submit" loading={adjust.isPending}>
            确认调整 Adjust
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function TopUps({ memberId }: { memberId: string }) {
  const { message } = App.useApp();
  const query = useApiQuery('adminMemberTopUps', { params: { id: memberId } });
  const refund = useApiMutation('refundTopUp', {
    invalidates: ['adminMemberTopUps', 'adminGetMember', 'adminMemberWallet', 'membershipLiability'],
  });
  return (
    <QueryView
      query={query}
      isEmpty={(d) => d.items.length === 0}
      empty={<EmptyState zh="还没有充值" en="No top-ups yet" />}
    >
      {(data) => (
        <Table<TopUp>
          className="top-ups"
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={data.items}
          columns={[
            { title: <Bi zh="时间" en="When" />, width: 150, render: (_, t) => formatChinaTime(t.createdAt) },
            { title: <Bi zh="商户单号" en="Out trade no." />, render: (_, t) => t.outTradeNo },
            { title: <Bi zh="充值" en="Paid" />, width: 110, align: 'right', render: (_, t) => formatFen(t.pay) },
            { title: <Bi zh="赠送" en="Bonus" />, width: 110, align: 'right', render: (_, t) => formatFen(t.bonus) },
            { title: <Bi zh="状态" en="Status" />, width: 140, render: (_, t) => topUpStatusLabel[t.status] },
            {
              title: '',
              width: 130,
              render: (_, t) =>
                t.status === 'PAID' && (
                  <Popconfirm
                    title={`退还本金 ${formatFen(t.pay)}，收回赠送 ${formatFen(t.bonus)}？`}
                    description="Refund the principal through WeChat Pay and remove the bonus"
                    okText="退款 Refund"
                    cancelText="取消"
                    onConfirm={async () => {
                      try {
                        await refund.mutateAsync({ params: { id: t.id } });
                        message.success('已提交退款 · Refund started');
                      } catch (err) {
                        message.error(problemText(err));
                      }
                    }}
                  >
                    <Button size="small" danger className="refund-top-up">
                      退款 Refund
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
    </QueryView>
  );
}
