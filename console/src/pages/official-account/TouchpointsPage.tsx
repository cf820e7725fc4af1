/**
 * 渠道二维码 Touchpoints (O2O): stores, tables, counters and flyers, each with a scene QR and
 * what it brought — scans, new followers, first orders (within 30 days of following) and
 * their GMV — a chart of one touchpoint's last 30 days, the printable files (PNG, an A6 PDF
 * with the shop's and the touchpoint's names, the mini-program code) and the touchpoint's own
 * welcome (optionally with a coupon).
 */
import {
  chinaDate,
  formatChinaTime,
  formatFen,
  TouchpointInput,
  WelcomeInput,
  type TouchpointKind,
} from '@chatmall/shared';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { download } from '../../api/download';
import { useApiMutation, useApiQuery, type Res } from '../../api/hooks';
import { clearErrorsOnEdit, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { cleanReply } from './oa-text';
import { ReplyContentFields } from './ReplyContentFields';
import { TouchpointChart } from './TouchpointChart';

type Tp = Res<'listTouchpoints'>['items'][number];
type Filter = 'all' | TouchpointKind;
const KINDS: TouchpointKind[] = ['store', 'table', 'counter', 'flyer'];
export const kindLabel: Record<TouchpointKind, string> = {
  store: '门店 Store',
  table: '桌台 Table',
  counter: '收银台 Counter',
  flyer: '传单 Flyer',
};
const kindColor: Record<TouchpointKind, string> = { store: 'green', table: 'blue', counter: 'purple', flyer: 'orange' };

export default function TouchpointsPage() {
  const [params, setParams] = useSearchParams();
  const k = params.get('kind');
  const kind: Filter = KINDS.includes(k as TouchpointKind) ? (k as TouchpointKind) : 'all';
  const list = useApiQuery('listTouchpoints', { query: { kind: kind === 'all' ? undefined : kind } });
  const [creating, setCreating] = useState(false);
  const [welcomeOf, setWelcomeOf] = useState<Tp | null>(null);
  const chosenId = params.get('tp') ?? list.data?.items[0]?.id ?? null;
  const chosen = list.data?.items.find((t) => t.id === chosenId) ?? null;

  return (
    <>
      <PageHeader
        zh="渠道二维码"
        en="Touchpoints"
        extra={
          <Button type="primary" icon={<PlusOutlined />} className="new-touchpoint" onClick={() => setCreating(true)}>
            新建渠道 New touchpoint
          </Button>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <FilterTags<Filter>
          className="touchpoint-kind-filter"
          value={kind}
          options={[{ value: 'all', label: '全部 All' }, ...KINDS.map((v) => ({ value: v, label: kindLabel[v] }))]}
          onChange={(v) => setParams(v === 'all' ? {} : { kind: v })}
        />
        <QueryView
          query={list}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState
              zh="还没有渠道：为门店、桌台、收银台或传单生成带参数二维码，扫码关注的粉丝和他们的首单会记在这里"
              en="No touchpoints yet: make a scene QR for a store, table, counter or flyer"
              action={
                <Button type="primary" onClick={() => setCreating(true)}>
                  新建渠道 New touchpoint
                </Button>
              }
            />
          }
        >
          {(d) => (
            <TouchpointTable
              items={d.items}
              chosen={chosenId}
              onChoose={(id) =>
                setParams((p) => {
                  const q = new URLSearchParams(p);
                  q.set('tp', id);
                  return q;
                })
              }
              onWelcome={setWelcomeOf}
            />
          )}
        </QueryView>
      </Card>
      {chosen && <TouchpointDays touchpoint={chosen} />}
      <CreateDialog open={creating} onClose={() => setCreating(false)} />
      <WelcomeDialog touchpoint={welcomeOf} onClose={() => setWelcomeOf(null)} />
    </>
  );
}

function TouchpointTable({
  items,
  chosen,
  onChoose,
  onWelcome,
}: {
  items: Tp[];
  chosen: string | null;
  onChoose: (id: string) => void;
  onWelcome: (t: Tp) => void;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  async function get(what: 'touchpointQrPng' | 'touchpointPdf' | 'touchpointWxacode', t: Tp) {
    setBusy(`${what}:${t.id}`);
    try {
      const name =
        what === 'touchpointWxacode'
          ? await download(what, { params: { id: t.id }, query: {} })
          : await download(what, { params: { id: t.id } });
      message.success(`已下载 ${name} · Downloaded`);
    } catch (err) {
      message.error(problemText(err));
    } finally {
      setBusy(null);
    }
  }
  return (
    <Table<Tp>
      className="touchpoint-table"
      rowKey="id"
      size="middle"
      pagination={false}
      dataSource={items}
      onRow={(t) => ({ onClick: () => onChoose(t.id), style: { cursor: 'pointer' } })}
      rowClassName={(t) => `touchpoint-row touchpoint-row-${t.id}${t.id === chosen ? ' ant-table-row-selected' : ''}`}
      columns={[
        {
          title: <Bi zh="渠道" en="Touchpoint" />,
          render: (_, t) => (
            <>
              <Tag color={kindColor[t.kind]}>{kindLabel[t.kind]}</Tag>
              <Typography.Text strong>{t.name}</Typography.Text>
              {t.store && (
                <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
                  {t.store.address}
                  {t.store.hours ? ` · ${t.store.hours}` : ''}
                </div>
              )}
            </>
          ),
        },
        {
          title: <Bi zh="二维码" en="QR" />,
          width: 150,
          render: (_, t) =>
            t.qrExpiresAt ? (
              <Typography.Text type={Date.parse(t.qrExpiresAt) < Date.now() ? 'danger' : undefined}>
                临时 至 {formatChinaTime(t.qrExpiresAt, 'date')}
              </Typography.Text>
            ) : (
              '永久 Permanent'
            ),
        },
        { title: <Bi zh="扫码" en="Scans" />, width: 90, align: 'right', render: (_, t) => t.stats.scans },
        {
          title: <Bi zh="新粉丝" en="New followers" />,
          width: 110,
          align: 'right',
          render: (_, t) => t.stats.newFollowers,
        },
        {
          title: <Bi zh="首单" en="First orders" />,
          width: 100,
          align: 'right',
          render: (_, t) => t.stats.firstOrders,
        },
        { title: 'GMV', width: 110, align: 'right', render: (_, t) => formatFen(t.stats.gmv) },
        {
          title: <Bi zh="物料与设置" en="Files & welcome" />,
          width: 330,
          render: (_, t) => (
            <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
              <Button
                size="small"
                icon={<DownloadOutlined />}
                className="download-png"
                loading={busy === `touchpointQrPng:${t.id}`}
                onClick={() => void get('touchpointQrPng', t)}
              >
                PNG
              </Button>
              <Button
                size="small"
                icon={<DownloadOutlined />}
                className="download-pdf"
                loading={busy === `touchpointPdf:${t.id}`}
                onClick={() => void get('touchpointPdf', t)}
              >
                A6 PDF
              </Button>
              <Button
                size="small"
                icon={<DownloadOutlined />}
                className="download-wxacode"
                loading={busy === `touchpointWxacode:${t.id}`}
                onClick={() => void get('touchpointWxacode', t)}
              >
                小程序码
              </Button>
              <Button size="small" type="link" className="touchpoint-welcome" onClick={() => onWelcome(t)}>
                关注回复 Welcome
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}

function TouchpointDays({ touchpoint }: { touchpoint: Tp }) {
  const now = Date.now();
  const query = { from: chinaDate(now - 29 * 86_400_000), to: chinaDate(now) };
  const stats = useApiQuery('touchpointStats', { params: { id: touchpoint.id }, query });
  return (
    <Card className="touchpoint-days" title={<Bi zh={`${touchpoint.name} · 近 30 天`} en="Last 30 days" />}>
      <QueryView query={stats}>
        {(s) => (
          <>
            <Row gutter={16} style={{ marginBottom: 16 }}>
              <Col span={6}>
                <Statistic title="扫码 Scans" value={s.totals.scans} />
              </Col>
              <Col span={6}>
                <Statistic title="新粉丝 New followers" value={s.totals.newFollowers} />
              </Col>
              <Col span={6}>
                <Statistic title="首单 First orders" value={s.totals.firstOrders} />
              </Col>
              <Col span={6}>
                <Statistic title="GMV" value={formatFen(s.totals.gmv)} />
              </Col>
            </Row>
            <TouchpointChart stats={s} />
          </>
        )}
      </QueryView>
    </Card>
  );
}

interface CreateValues {
  kind: TouchpointKind;
  name: string;
  qr: 'permanent' | 'temporary';
  expireDays?: number;
  store?: { address?: string; latitude?: number; longitude?: number; hours?: string; phone?: string };
}

function CreateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const [banner, setBanner] = useState<string | null>(null);
  const create = useApiMutation('createTouchpoint', { invalidates: ['listTouchpoints'] });
  const kind = Form.useWatch('kind', form);
  const qr = Form.useWatch('qr', form);

  function close() {
    form.resetFields();
    setBanner(null);
    onClose();
  }

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue(true) as CreateValues;
    const checked = TouchpointInput.safeParse({
      kind: v.kind,
      name: v.name ?? '',
      qr: v.qr,
      ...(v.qr === 'temporary' ? { expireDays: v.expireDays ?? undefined } : {}),
      ...(v.kind === 'store'
        ? {
            store: {
              address: v.store?.address ?? '',
              latitude: v.store?.latitude ?? undefined,
              longitude: v.store?.longitude ?? undefined,
              hours: v.store?.hours ?? '',
              phone: v.store?.phone ?? '',
            },
          }
        : {}),
    });
    if (!checked.success) {
      const rest = showZodErrors(form, checked.error);
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      const t = await create.mutateAsync({ body: checked.data });
      message.success(`已创建 ${t.name} · Created`);
      close();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest === null) setBanner(problemText(err));
      else if (rest.length) setBanner(rest.join('；'));
    }
  }

  return (
    <Modal
      open={open}
      title={<Bi zh="新建渠道" en="New touchpoint" />}
      okText="创建 Create"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'create-touchpoint', loading: create.isPending }}
      onOk={() => void submit()}
      onCancel={close}
      width={620}
      forceRender
    >
      {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      <Form
        form={form}
        layout="vertical"
        className="touchpoint-form"
        initialValues={{ kind: 'table', qr: 'permanent' }}
        onValuesChange={clearErrorsOnEdit(form)}
      >
        <Form.Item name="kind" label={<Bi zh="类型" en="Kind" />}>
          <Radio.Group
            className="touchpoint-kind"
            optionType="button"
            options={KINDS.map((v) => ({ value: v, label: kindLabel[v] }))}
          />
        </Form.Item>
        <Form.Item name="name" label={<Bi zh="名称" en="Name" />} extra="印在物料上 · printed on the card">
          <Input className="touchpoint-name" maxLength={40} placeholder={kind === 'store' ? '静安寺店' : '3 号桌'} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item name="qr" label={<Bi zh="二维码" en="QR code" />}>
              <Radio.Group
                options={[
                  { value: 'permanent', label: '永久 Permanent' },
                  { value: 'temporary', label: '临时 Temporary' },
                ]}
              />
            </Form.Item>
          </Col>
          {qr === 'temporary' && (
            <Col span={10}>
              <Form.Item name="expireDays" label={<Bi zh="有效天数" en="Days (1–30)" />}>
                <InputNumber className="touchpoint-days-input" min={1} max={30} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
        </Row>
        {kind === 'store' && (
          <Card size="small" title={<Bi zh="门店信息" en="Store" />}>
            <Form.Item name={['store', 'address']} label={<Bi zh="地址" en="Address" />}>
              <Input className="store-address" maxLength={200} />
            </Form.Item>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name={['store', 'latitude']} label={<Bi zh="纬度" en="Latitude" />}>
                  <InputNumber className="store-lat" min={-90} max={90} step={0.000001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['store', 'longitude']} label={<Bi zh="经度" en="Longitude" />}>
                  <InputNumber className="store-lng" min={-180} max={180} step={0.000001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name={['store', 'hours']} label={<Bi zh="营业时间" en="Hours" />}>
                  <Input className="store-hours" placeholder="10:00–22:00" maxLength={60} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['store', 'phone']} label={<Bi zh="电话" en="Phone" />}>
                  <Input className="store-phone" maxLength={30} />
                </Form.Item>
              </Col>
            </Row>
          </Card>
        )}
      </Form>
    </Modal>
  );
}

/** The touchpoint's own welcome; without one, its followers get the shop's. */
function WelcomeDialog({ touchpoint, onClose }: { touchpoint: Tp | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reply: Record<string, never>; couponTemplateId?: string | null }>();
  const [banner, setBanner] = useState<string | null>(null);
  const id = touchpoint?.id ?? '';
  const current = useApiQuery('getTouchpointWelcome', { params: { id } }, { enabled: !!touchpoint });
  const coupons = useApiQuery(
    'adminListCouponTemplates',
    { query: { status: 'PUBLISHED', limit: 100 } },
    { enabled: !!touchpoint },
  );
  const save = useApiMutation('setTouchpointWelcome', { invalidates: ['getTouchpointWelcome'] });

  useEffect(() => {
    if (!touchpoint || current.data === undefined) return;
    setBanner(null);
    form.setFieldsValue({
      reply: (current.data?.reply ?? { type: 'text', text: '' }) as unknown as Record<string, never>,
      couponTemplateId: current.data?.couponTemplateId ?? null,
    });
  }, [touchpoint, current.data, form]);

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue(true);
    const checked = WelcomeInput.safeParse({
      reply: cleanReply(v.reply),
      couponTemplateId: v.couponTemplateId ?? null,
    });
    if (!checked.success) {
      const rest = showZodErrors(form, checked.error);
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      await save.mutateAsync({ params: { id }, body: checked.data });
      message.success('关注回复已保存 · Welcome saved');
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest === null) setBanner(problemText(err));
      else if (rest.length) setBanner(rest.join('；'));
    }
  }

  return (
    <Modal
      open={!!touchpoint}
      title={<Bi zh={`关注回复 · ${touchpoint?.name ?? ''}`} en="Welcome from this touchpoint" />}
      okText="保存 Save"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'save-touchpoint-welcome', loading: save.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      width={640}
      forceRender
    >
      <Typography.Paragraph type="secondary">
        从这个渠道扫码关注的粉丝收到它；不设置则收到店铺的关注回复 · Followers from this touchpoint get this; without
        one, the shop’s welcome
      </Typography.Paragraph>
      {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      {current.isError ? (
        <Alert type="error" message={problemText(current.error)} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          className="touchpoint-welcome-form"
          onValuesChange={clearErrorsOnEdit(form)}
        >
          <ReplyContentFields name={['reply']} />
          <Form.Item name="couponTemplateId" label={<Bi zh="附送优惠券" en="With a coupon" />}>
            <Select
              className="touchpoint-welcome-coupon"
              allowClear
              loading={coupons.isPending}
              placeholder="不送券 No coupon"
              options={(coupons.data?.items ?? []).map((c) => ({
                value: c.id,
                label: `${c.title} · ${c.benefitText}`,
              }))}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
