/**
 * One campaign: while a draft, its composer beside the phone-frame preview (the message as
 * the follower sees it, its recipients now, quiet hours and approval), a test send to a staff
 * member's openid, and the schedule (now or at a time); then its state — awaiting the owner's
 * approval, scheduled, sending with a live progress bar, paused with the reason and when it
 * continues — with pause / resume / cancel, skipped recipients by reason, and the funnel
 * targeted → sent → delivered → clicked → ordered → GMV.
 */
import {
  ApiError,
  campaignPauseReasonLabel,
  campaignStatusLabel,
  ErrorCode,
  formatChinaTime,
  recipientReasonLabel,
  TestSendRequest,
  type Campaign,
  type CampaignStatus,
} from '@chatmall/shared';
import { SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Progress,
  Radio,
  Row,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router';
import { mayCall } from '../../access';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { useSession } from '../../api/use-session';
import { Bi, PageHeader, QueryView } from '../../components/states';
import { IncomingBubble, PhoneFrame } from '../official-account/PhoneFrame';
import {
  CampaignComposer,
  channelLabel,
  checkComposer,
  initialValues,
  serverOntoComposer,
  type ComposerValues,
} from './CampaignComposer';
import { FunnelChart } from './FunnelChart';

export const statusColor: Record<CampaignStatus, string> = {
  DRAFT: 'default',
  AWAITING_APPROVAL: 'gold',
  SCHEDULED: 'blue',
  SENDING: 'processing',
  PAUSED: 'orange',
  DONE: 'success',
  CANCELLED: 'default',
};
const LIVE: CampaignStatus[] = ['SCHEDULED', 'SENDING', 'PAUSED'];
/**
 * Sending, awaiting the owner (who approves elsewhere), or finished a moment ago (delivery
 * receipts and clicks keep coming after the last send): the page follows it.
 */
const stillMoving = (c: Campaign) =>
  LIVE.includes(c.status) ||
  c.status === 'AWAITING_APPROVAL' ||
  (!!c.finishedAt && Date.now() - Date.parse(c.finishedAt) < 120_000);

export default function CampaignDetailPage() {
  const { id = '' } = useParams();
  const campaign = useApiQuery(
    'getCampaign',
    { params: { id } },
    { refetchInterval: (q) => (q.state.data && stillMoving(q.state.data) ? 1000 : false) },
  );
  return <QueryView query={campaign}>{(c) => <CampaignView c={c} />}</QueryView>;
}

function CampaignView({ c }: { c: Campaign }) {
  const editable = c.status === 'DRAFT' || c.status === 'AWAITING_APPROVAL';
  return (
    <>
      <PageHeader
        zh={c.name}
        en={`${channelLabel[c.content.channel].zh} ${channelLabel[c.content.channel].en}`}
        extra={<Actions c={c} />}
      />
      <StateBanner c={c} />
      {!editable && <ProgressCard c={c} />}
      <Row gutter={16}>
        <Col span={14}>
          {editable ? <EditCard c={c} /> : <SummaryCard c={c} />}
          {c.status !== 'DRAFT' && c.status !== 'AWAITING_APPROVAL' && <FunnelCard c={c} />}
        </Col>
        <Col span={10}>
          <PreviewCard c={c} />
          <TestSendCard c={c} />
          {c.status === 'DRAFT' && <ScheduleCard c={c} />}
        </Col>
      </Row>
    </>
  );
}

function StateBanner({ c }: { c: Campaign }) {
  const role = useSession()?.staff.role;
  if (c.status === 'AWAITING_APPROVAL')
    return (
      <Alert
        className="campaign-awaiting"
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        message={
          mayCall(role, 'approveCampaign')
            ? '收件人超过审批门槛，请审批后发送 · Above the approval threshold: approve to send'
            : '收件人超过审批门槛，等待店主审批 · Above the approval threshold: waiting for the owner'
        }
      />
    );
  if (c.status === 'PAUSED' && c.pauseReason)
    return (
      <Alert
        className="campaign-paused"
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        message={campaignPauseReasonLabel[c.pauseReason]}
        description={c.resumeAt ? `将于 ${formatChinaTime(c.resumeAt)} 自动继续 · resumes by itself then` : undefined}
      />
    );
  return null;
}

function Actions({ c }: { c: Campaign }) {
  const { message } = App.useApp();
  const role = useSession()?.staff.role;
  const opts = { invalidates: ['getCampaign', 'listCampaigns', 'campaignFunnel'] as const };
  const approve = useApiMutation('approveCampaign', { invalidates: [...opts.invalidates] });
  const pause = useApiMutation('pauseCampaign', { invalidates: [...opts.invalidates] });
  const resume = useApiMutation('resumeCampaign', { invalidates: [...opts.invalidates] });
  const cancel = useApiMutation('cancelCampaign', { invalidates: [...opts.invalidates] });
  const run = (p: Promise<unknown>, done: string) =>
    p.then(() => message.success(done)).catch((err: unknown) => message.error(problemText(err)));
  const params = { params: { id: c.id } };
  return (
    <Space>
      <Tag
        className={`campaign-status campaign-status-${c.status}`}
        color={statusColor[c.status]}
        style={{ fontSize: 14, padding: '2px 10px' }}
      >
        {campaignStatusLabel[c.status]}
      </Tag>
      {c.status === 'AWAITING_APPROVAL' && mayCall(role, 'approveCampaign') && (
        <Button
          type="primary"
          className="approve-campaign"
          loading={approve.isPending}
          onClick={() => void run(approve.mutateAsync(params), '已审批 · Approved')}
        >
          审批通过 Approve
        </Button>
      )}
      {(c.status === 'SENDING' || c.status === 'SCHEDULED') && (
        <Button
          className="pause-campaign"
          loading={pause.isPending}
          onClick={() => void run(pause.mutateAsync(params), '已暂停 · Paused')}
        >
          暂停 Pause
        </Button>
      )}
      {c.status === 'PAUSED' && (
        <Button
          type="primary"
          className="resume-campaign"
          loading={resume.isPending}
          onClick={() => void run(resume.mutateAsync(params), '已继续 · Resumed')}
        >
          继续 Resume
        </Button>
      )}
      {c.status !== 'DONE' && c.status !== 'CANCELLED' && c.status !== 'DRAFT' && (
        <Popconfirm
          title="取消这次推送？"
          description="未发送的收件人不再发送 · Recipients not yet sent are skipped"
          okText="取消推送 Cancel it"
          cancelText="不 Keep"
          okButtonProps={{ danger: true, className: 'confirm-cancel-campaign' }}
          onConfirm={() => run(cancel.mutateAsync(params), '已取消 · Cancelled')}
        >
          <Button danger className="cancel-campaign" loading={cancel.isPending}>
            取消 Cancel
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

function ProgressCard({ c }: { c: Campaign }) {
  const n = c.counts;
  const done = n.targeted - n.pending;
  const percent = n.targeted ? Math.floor((done / n.targeted) * 100) : c.status === 'DONE' ? 100 : 0;
  const reasons = Object.entries(n.reasons).filter(([, v]) => v > 0);
  return (
    <Card className="campaign-progress" style={{ marginBottom: 16 }}>
      <Progress
        className={`campaign-progress-bar${c.status === 'DONE' ? ' is-done' : ''}`}
        percent={percent}
        status={
          c.status === 'SENDING'
            ? 'active'
            : c.status === 'PAUSED' || c.status === 'CANCELLED'
              ? 'normal'
              : c.status === 'DONE'
                ? 'success'
                : 'normal'
        }
        format={() => `${done} / ${n.targeted}`}
      />
      <Row gutter={16} style={{ marginTop: 12 }}>
        <Col span={4}>
          <Statistic title="目标 Targeted" value={n.targeted} />
        </Col>
        <Col span={4}>
          <Statistic title="待发 Pending" value={n.pending} />
        </Col>
        <Col span={4}>
          <Statistic title="已发送待回执 Sent, no receipt yet" value={n.sent} />
        </Col>
        <Col span={4}>
          <Statistic title="已送达 Delivered" value={n.delivered} />
        </Col>
        <Col span={4}>
          <Statistic title="失败 Failed" value={n.failed} />
        </Col>
        <Col span={4}>
          <Statistic title="跳过 Skipped" value={n.skipped} />
        </Col>
      </Row>
      {reasons.length > 0 && (
        <div className="campaign-reasons" style={{ marginTop: 12 }}>
          {reasons.map(([k, v]) => (
            <Tag key={k} color="orange">
              {recipientReasonLabel[k] ?? k}：{v}
            </Tag>
          ))}
        </div>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {c.scheduledAt && `排期 Scheduled ${formatChinaTime(c.scheduledAt)} · `}
        {c.startedAt && `开始 Started ${formatChinaTime(c.startedAt, 'second')} · `}
        {c.finishedAt && `完成 Finished ${formatChinaTime(c.finishedAt, 'second')}`}
        {c.approvedBy && ` · 审批人 Approved by ${c.approvedBy}`}
      </Typography.Text>
    </Card>
  );
}

function EditCard({ c }: { c: Campaign }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ComposerValues>();
  const [banner, setBanner] = useState<string | null>(null);
  const update = useApiMutation('updateCampaign', { invalidates: ['getCampaign', 'previewCampaign', 'listCampaigns'] });
  async function save() {
    setBanner(null);
    const { input, rest } = checkComposer(form);
    if (!input) {
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      await update.mutateAsync({ params: { id: c.id }, body: input });
      message.success('已保存 · Saved');
    } catch (err) {
      const rest2 = serverOntoComposer(form, err);
      setBanner(rest2 === null ? problemText(err) : rest2.join('；') || null);
    }
  }
  return (
    <Card
      title={<Bi zh="内容与人群" en="Content and audience" />}
      className="campaign-edit"
      style={{ marginBottom: 16 }}
      extra={
        <Button className="update-campaign" loading={update.isPending} onClick={() => void save()}>
          保存修改 Save
        </Button>
      }
    >
      <CampaignComposer form={form} banner={banner} initial={initialValues(c)} />
    </Card>
  );
}

function SummaryCard({ c }: { c: Campaign }) {
  const tags = useApiQuery('listFollowerTags', {});
  const segments = useApiQuery('listSegments', {});
  const a = c.audience;
  const audience =
    a.kind === 'all'
      ? '全部粉丝 All followers'
      : a.kind === 'tag'
        ? `标签 ${tags.data?.items.find((t) => t.id === a.tagId)?.name ?? a.tagId}`
        : `人群 ${segments.data?.items.find((s) => s.id === a.segmentId)?.name ?? a.segmentId}`;
  return (
    <Card title={<Bi zh="内容与人群" en="Content and audience" />} style={{ marginBottom: 16 }}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label="渠道 Channel">
          {channelLabel[c.content.channel].zh} {channelLabel[c.content.channel].en}
        </Descriptions.Item>
        <Descriptions.Item label="发给 Audience">{audience}</Descriptions.Item>
        {'page' in c.content && c.content.page && (
          <Descriptions.Item label="页面 Page">{c.content.page}</Descriptions.Item>
        )}
        <Descriptions.Item label="创建 Created">{formatChinaTime(c.createdAt)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function FunnelCard({ c }: { c: Campaign }) {
  const funnel = useApiQuery(
    'campaignFunnel',
    { params: { id: c.id } },
    { refetchInterval: stillMoving(c) ? 2000 : false },
  );
  return (
    <Card title={<Bi zh="转化漏斗" en="Funnel" />} className="campaign-funnel-card" style={{ marginBottom: 16 }}>
      <QueryView query={funnel}>{(f) => <FunnelChart funnel={f} />}</QueryView>
    </Card>
  );
}

function PreviewCard({ c }: { c: Campaign }) {
  const preview = useApiQuery('previewCampaign', { params: { id: c.id } });
  return (
    <Card title={<Bi zh="预览" en="Preview" />} className="campaign-preview" style={{ marginBottom: 16 }}>
      <QueryView query={preview}>
        {(p) => (
          <>
            <PhoneFrame
              title={p.channel === 'template' || p.channel === 'subscribe' ? '服务通知' : '公众号 Official account'}
            >
              <IncomingBubble style={{ maxWidth: 230 }}>
                <div className="preview-title" style={{ fontWeight: 600, marginBottom: 6 }}>
                  {p.title}
                </div>
                {p.lines.map((l, i) => (
                  <div key={i} className="preview-line" style={{ color: '#595959' }}>
                    {l}
                  </div>
                ))}
                {p.page && (
                  <div
                    style={{
                      borderTop: '1px solid #f0f0f0',
                      marginTop: 8,
                      paddingTop: 6,
                      fontSize: 12,
                      color: '#576b95',
                    }}
                  >
                    进入小程序查看 › <span style={{ color: '#bfbfbf' }}>{p.page}</span>
                  </div>
                )}
              </IncomingBubble>
            </PhoneFrame>
            <Space direction="vertical" style={{ marginTop: 12, width: '100%' }}>
              <Typography.Text className="preview-recipients">
                现在发送将发给 <b>{p.recipients}</b> 人 · {p.recipients} recipients now
              </Typography.Text>
              {p.quietHours && (
                <Alert
                  type="info"
                  showIcon
                  message="现在是 22:00–08:00 免打扰时段：除服务通知外，08:00 后开始发送 · Quiet hours: sends start at 08:00 unless a service notice"
                />
              )}
              {p.approvalNeeded && (
                <Alert
                  type="warning"
                  showIcon
                  message="收件人超过审批门槛，排期后需店主审批 · Needs the owner's approval"
                />
              )}
            </Space>
          </>
        )}
      </QueryView>
    </Card>
  );
}

function TestSendCard({ c }: { c: Campaign }) {
  const [openid, setOpenid] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const send = useApiMutation('testSendCampaign');
  async function go() {
    const checked = TestSendRequest.safeParse({ openid: openid.trim() });
    if (!checked.success) {
      setResult({ ok: false, text: fieldText(checked.error.issues[0].message) });
      return;
    }
    try {
      const r = await send.mutateAsync({ params: { id: c.id }, body: checked.data });
      setResult(
        r.ok
          ? { ok: true, text: '已发送到该员工的微信 · Sent to the staff member' }
          : { ok: false, text: `微信拒绝 ${r.errcode ?? ''} · ${r.reason ?? ''}` },
      );
    } catch (err) {
      setResult({
        ok: false,
        text: err instanceof ApiError && err.code === ErrorCode.CONFLICT ? err.message : problemText(err),
      });
    }
  }
  return (
    <Card title={<Bi zh="测试发送" en="Test send" />} className="campaign-test-send" style={{ marginBottom: 16 }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          className="test-openid"
          placeholder="员工在公众号的 openid · a staff member's openid"
          value={openid}
          onChange={(e) => {
            setOpenid(e.target.value);
            setResult(null);
          }}
        />
        <Button icon={<SendOutlined />} className="test-send" loading={send.isPending} onClick={() => void go()}>
          发送 Send
        </Button>
      </Space.Compact>
      {result && (
        <Alert
          className={`test-send-result test-send-${result.ok ? 'ok' : 'refused'}`}
          style={{ marginTop: 8 }}
          type={result.ok ? 'success' : 'error'}
          showIcon
          message={result.text}
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        测试发送不计入推送 · not counted in the campaign
      </Typography.Text>
    </Card>
  );
}

function ScheduleCard({ c }: { c: Campaign }) {
  const { message } = App.useApp();
  const [when, setWhen] = useState<'now' | 'at'>('now');
  const [at, setAt] = useState<Dayjs | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const schedule = useApiMutation('scheduleCampaign', { invalidates: ['getCampaign', 'listCampaigns'] });
  async function go() {
    setProblem(null);
    if (when === 'at' && !at) {
      setProblem('请选择发送时间 · Choose a time');
      return;
    }
    try {
      const r = await schedule.mutateAsync({
        params: { id: c.id },
        body: when === 'at' && at ? { at: at.toDate().toISOString() } : {},
      });
      message.success(r.status === 'AWAITING_APPROVAL' ? '已提交审批 · Sent for approval' : '已排期 · Scheduled');
    } catch (err) {
      setProblem(err instanceof ApiError && err.code === ErrorCode.CONFLICT ? err.message : problemText(err));
    }
  }
  return (
    <Card title={<Bi zh="发送" en="Schedule" />} className="campaign-schedule">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={when}
          onChange={(e) => setWhen(e.target.value as 'now' | 'at')}
          options={[
            { value: 'now', label: '立即发送 Now' },
            { value: 'at', label: '定时发送 At a time' },
          ]}
        />
        {when === 'at' && (
          <DatePicker
            className="schedule-at"
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={at}
            onChange={setAt}
            disabledDate={(d) => d.isBefore(new Date(), 'day')}
          />
        )}
        {problem && <Alert type="error" showIcon message={problem} />}
        <Popconfirm
          title="确认发送？"
          description="发送后内容不能再修改 · The content is fixed once scheduled"
          okText="确认 Confirm"
          cancelText="取消 Cancel"
          okButtonProps={{ className: 'confirm-schedule' }}
          onConfirm={() => go()}
        >
          <Button type="primary" className="schedule-campaign" loading={schedule.isPending}>
            {when === 'now' ? '立即发送 Send now' : '定时发送 Schedule'}
          </Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}
