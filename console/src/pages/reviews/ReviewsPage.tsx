/**
 * 评价管理 Reviews: every review, newest first, hidden ones included, filtered by stars, photos
 * and visibility (kept in the URL); photos as thumbnails that open a preview; the merchant's
 * reply written or edited in a dialog; hide with a reason (audited) or show again.
 */
import { HideReview, REVIEW_REPLY_MAX, ReplyToReview, formatChinaTime, type AdminReview } from '@chatmall/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Image,
  Input,
  Modal,
  Rate,
  Space,
  Table,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import { useQueries } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { api } from '../../api/client';
import { apiKey, useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { CursorPager, useCursorPages } from '../../components/cursor-pages';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';

const PAGE_SIZE = 20;
const RATINGS = ['ALL', '5', '4', '3', '2', '1'] as const;
const PHOTOS = ['ALL', '1', '0'] as const;
const VISIBILITY = ['ALL', '0', '1'] as const;
const pick = <T extends string>(options: readonly T[], v: string | null): T =>
  options.includes(v as T) ? (v as T) : options[0];

/** Product names for the ids on a page (one cached lookup per product). */
function useProductNames(ids: string[]): Map<string, string> {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: apiKey('adminGetProduct', { params: { id } }),
      queryFn: () => api.adminGetProduct({ params: { id } }),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  return new Map(ids.flatMap((id, i) => (results[i].data ? [[id, results[i].data.name] as const] : [])));
}

export default function ReviewsPage() {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const rating = pick(RATINGS, params.get('rating'));
  const photos = pick(PHOTOS, params.get('photos'));
  const hidden = pick(VISIBILITY, params.get('hidden'));
  const query = useApiQuery('adminListReviews', {
    query: {
      rating: rating === 'ALL' ? undefined : rating,
      photos: photos === 'ALL' ? undefined : photos,
      hidden: hidden === 'ALL' ? undefined : hidden,
      cursor: pages.cursor,
      limit: PAGE_SIZE,
    },
  });
  const productIds = [...new Set(query.data?.items.map((r) => r.productId) ?? [])];
  const names = useProductNames(productIds);
  const [replying, setReplying] = useState<AdminReview | null>(null);
  const [hiding, setHiding] = useState<AdminReview | null>(null);
  const { message } = App.useApp();
  const unhide = useApiMutation('unhideReview', { invalidates: ['adminListReviews'] });

  const filter = (key: string, v: string) => {
    pages.reset();
    setParams((p) => {
      const q = new URLSearchParams(p);
      q.delete('cursor');
      if (v === 'ALL') q.delete(key);
      else q.set(key, v);
      return q;
    });
  };
  const filtered = rating !== 'ALL' || photos !== 'ALL' || hidden !== 'ALL';

  return (
    <>
      <PageHeader zh="评价管理" en="Reviews" />
      <Card>
        <Space direction="vertical" size={0} style={{ width: '100%' }}>
          <FilterRow label="评分 Stars">
            <FilterTags
              className="review-rating-filter"
              value={rating}
              options={RATINGS.map((r) => ({ value: r, label: r === 'ALL' ? '全部 All' : `${r} 星 ${r}★` }))}
              onChange={(v) => filter('rating', v)}
            />
          </FilterRow>
          <FilterRow label="图片 Photos">
            <FilterTags
              className="review-photos-filter"
              value={photos}
              options={[
                { value: 'ALL', label: '全部 All' },
                { value: '1', label: '有图 With photos' },
                { value: '0', label: '无图 Without photos' },
              ]}
              onChange={(v) => filter('photos', v)}
            />
          </FilterRow>
          <FilterRow label="状态 Shown">
            <FilterTags
              className="review-hidden-filter"
              value={hidden}
              options={[
                { value: 'ALL', label: '全部 All' },
                { value: '0', label: '展示中 Shown' },
                { value: '1', label: '已隐藏 Hidden' },
              ]}
              onChange={(v) => filter('hidden', v)}
            />
          </FilterRow>
        </Space>
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
          empty={
            <EmptyState
              zh={filtered ? '没有符合条件的评价' : '还没有评价'}
              en={filtered ? 'No review matches these filters' : 'No reviews yet: buyers review what they received'}
            />
          }
        >
          {(data) => (
            <>
              <Table
                className="reviews-table"
                rowKey="id"
                size="middle"
                pagination={false}
                dataSource={data.items}
                rowClassName={(r) => (r.hidden ? 'review-row review-hidden' : 'review-row')}
                columns={[
                  {
                    title: <Bi zh="商品 · 规格" en="Product · spec" />,
                    width: 200,
                    render: (_, r) => (
                      <>
                        <Typography.Text strong>{names.get(r.productId) ?? r.productId}</Typography.Text>
                        <br />
                        <Typography.Text type="secondary">{r.spec || '—'}</Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="评价" en="Review" />,
                    render: (_, r) => (
                      <div className="review-body">
                        <Space size={8}>
                          <Rate disabled value={r.rating} style={{ fontSize: 14 }} />
                          <Typography.Text type="secondary">
                            {r.displayName} · {formatChinaTime(r.createdAt)}
                            {r.edited ? ' · 已修改 edited' : ''}
                          </Typography.Text>
                        </Space>
                        <Typography.Paragraph style={{ margin: '6px 0' }} ellipsis={{ rows: 3, expandable: true }}>
                          {r.content || <Typography.Text type="secondary">（未写文字 No text）</Typography.Text>}
                        </Typography.Paragraph>
                        {r.photos.length > 0 && (
                          <Image.PreviewGroup>
                            <Space size={6} wrap className="review-photos">
                              {r.photos.map((src) => (
                                <Image
                                  key={src}
                                  src={src}
                                  width={56}
                                  height={56}
                                  style={{ objectFit: 'cover', borderRadius: 4 }}
                                  alt="买家图片 Buyer photo"
                                />
                              ))}
                            </Space>
                          </Image.PreviewGroup>
                        )}
                        {r.reply && (
                          <div
                            className="review-reply"
                            style={{ background: '#f6f7f9', borderRadius: 6, padding: '6px 10px', marginTop: 8 }}
                          >
                            <Typography.Text type="secondary">
                              商家回复 Our reply{r.repliedAt ? ` · ${formatChinaTime(r.repliedAt)}` : ''}：
                            </Typography.Text>
                            {r.reply}
                          </div>
                        )}
                      </div>
                    ),
                  },
                  {
                    title: <Bi zh="订单" en="Order" />,
                    width: 110,
                    render: (_, r) => <Link to={`/orders/${r.orderId}`}>查看 View</Link>,
                  },
                  {
                    title: <Bi zh="状态" en="Shown" />,
                    width: 140,
                    render: (_, r) =>
                      r.hidden ? (
                        <>
                          <Tag color="default">已隐藏 Hidden</Tag>
                          {r.hiddenAt && (
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {formatChinaTime(r.hiddenAt)}
                            </Typography.Text>
                          )}
                        </>
                      ) : (
                        <Tag color="success">展示中 Shown</Tag>
                      ),
                  },
                  {
                    title: <Bi zh="操作" en="Actions" />,
                    width: 190,
                    render: (_, r) => (
                      <Space wrap>
                        <Button size="small" className="reply-review" onClick={() => setReplying(r)}>
                          {r.reply ? '修改回复 Edit reply' : '回复 Reply'}
                        </Button>
                        {r.hidden ? (
                          <Button
                            key="show"
                            size="small"
                            className="unhide-review"
                            loading={unhide.isPending && unhide.variables?.params.id === r.id}
                            onClick={() =>
                              unhide.mutate(
                                { params: { id: r.id } },
                                {
                                  onSuccess: () => void message.success('已恢复展示 · Shown again'),
                                  onError: (e) => void message.error(problemText(e)),
                                },
                              )
                            }
                          >
                            显示 Show
                          </Button>
                        ) : (
                          <Button key="hide" size="small" danger className="hide-review" onClick={() => setHiding(r)}>
                            隐藏 Hide
                          </Button>
                        )}
                      </Space>
                    ),
                  },
                ]}
              />
              <CursorPager pages={pages} nextCursor={data.nextCursor} />
            </>
          )}
        </QueryView>
      </Card>
      {replying && <ReplyDialog review={replying} onClose={() => setReplying(null)} />}
      {hiding && <HideDialog review={hiding} onClose={() => setHiding(null)} />}
    </>
  );
}

function FilterRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 12, alignItems: 'baseline' }}>
      <Typography.Text type="secondary" style={{ width: 96, flex: 'none' }}>
        {label}
      </Typography.Text>
      {children}
    </div>
  );
}

/**
 * A review dialog's submit: the form is checked against `schema` first (its problems on their
 * fields, nothing sent), then `send`; the server's field errors go on the fields, anything else
 * in `error` above the form. On success: `done` as a message, and the dialog closes.
 */
function useReviewDialogSubmit<B>(o: {
  form: FormInstance;
  schema: z.ZodType<B>;
  values: () => unknown;
  send: (body: B) => Promise<unknown>;
  done: string;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    setError(null);
    const body = o.schema.safeParse(o.values());
    if (!body.success) {
      showZodErrors(o.form, body.error);
      return;
    }
    try {
      await o.send(body.data);
      message.success(o.done);
      o.onClose();
    } catch (err) {
      const rest = showServerErrors(o.form, err);
      if (rest === null) setError(problemText(err));
    }
  }

  return { error, submit };
}

function ReplyDialog({ review, onClose }: { review: AdminReview; onClose: () => void }) {
  const [form] = Form.useForm<{ reply: string }>();
  const reply = useApiMutation('replyToReview', { invalidates: ['adminListReviews'] });
  const { error, submit } = useReviewDialogSubmit({
    form,
    schema: ReplyToReview,
    values: () => ({ reply: form.getFieldValue('reply') ?? '' }),
    send: (body) => reply.mutateAsync({ params: { id: review.id }, body }),
    done: '回复已保存 · Reply saved',
    onClose,
  });

  return (
    <Modal
      open
      title={<Bi zh={review.reply ? '修改回复' : '回复评价'} en={review.reply ? 'Edit the reply' : 'Reply'} />}
      okText="保存 Save"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'confirm-reply', loading: reply.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">
        <Rate disabled value={review.rating} style={{ fontSize: 12 }} /> {review.content}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ reply: review.reply ?? '' }}
        onValuesChange={clearErrorsOnEdit(form)}
      >
        <Form.Item name="reply" label="回复内容 Reply (shown under the review on the product page)">
          <Input.TextArea rows={4} maxLength={REVIEW_REPLY_MAX} showCount className="reply-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function HideDialog({ review, onClose }: { review: AdminReview; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const hide = useApiMutation('hideReview', { invalidates: ['adminListReviews'] });
  const { error, submit } = useReviewDialogSubmit({
    form,
    schema: HideReview,
    values: () => ({ reason: form.getFieldValue('reason') ?? '' }),
    send: (body) => hide.mutateAsync({ params: { id: review.id }, body }),
    done: '已隐藏 · Hidden',
    onClose,
  });

  return (
    <Modal
      open
      title={<Bi zh="隐藏评价" en="Hide the review" />}
      okText="隐藏 Hide"
      cancelText="取消 Cancel"
      okButtonProps={{ danger: true, className: 'confirm-hide', loading: hide.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph>
        隐藏后，商品页不再展示这条评价，也不计入评分；可随时恢复。操作会记入操作日志。
        <br />
        <Typography.Text type="secondary">
          Hidden reviews leave the product page and its rating until shown again. The change is audited.
        </Typography.Text>
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onValuesChange={clearErrorsOnEdit(form)}>
        <Form.Item name="reason" label="原因 Reason (kept in the audit log)">
          <Input
            maxLength={80}
            showCount
            className="hide-reason"
            placeholder="如：广告、无关内容 e.g. spam, off-topic"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
