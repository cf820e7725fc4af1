/**
 * Coupon templates, newest first, by status: the face (券面, the shared `couponTitle`), where
 * it applies, how long it lasts, issued / used / stock, the per-buyer limit; publish and stop
 * with a confirmation, give one to a buyer. Templates a red-envelope pack made for its shares
 * are marked and link to the pack instead (changing them here would break its grabs).
 */
import { couponTemplateStatusLabel, type CouponTemplate, type CouponTemplateStatus } from '@chatmall/shared';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { CursorPager } from '../../components/cursor-pages';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { useStatusFilter } from '../../components/status-filter';
import { ofTotal, scopeText, validityText } from './marketing-text';
import { IssueDialog, PublishButton, StopButton, statusColor } from './TemplateActions';

type Filter = 'all' | CouponTemplateStatus;
const STATUSES = ['DRAFT', 'PUBLISHED', 'STOPPED'] as const satisfies readonly CouponTemplateStatus[];
const PAGE_SIZE = 20;

export default function CouponTemplateListPage() {
  const navigate = useNavigate();
  const { status, pages, choose } = useStatusFilter(STATUSES);
  const query = useApiQuery('adminListCouponTemplates', {
    query: { status: status === 'all' ? undefined : status, cursor: pages.cursor, limit: PAGE_SIZE },
  });
  const categories = useApiQuery('listCategories', {});
  const categoryNames = new Map((categories.data?.items ?? []).map((c) => [c.id, c.name]));
  const [issuing, setIssuing] = useState<CouponTemplate | null>(null);

  return (
    <>
      <PageHeader
        zh="优惠券"
        en="Coupons"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            className="new-coupon"
            onClick={() => navigate('/marketing/coupons/new')}
          >
            新建优惠券 New coupon
          </Button>
        }
      />
      <Card>
        <FilterTags<Filter>
          className="coupon-status-filter"
          value={status}
          options={[
            { value: 'all', label: '全部 All' },
            ...STATUSES.map((v) => ({
              value: v,
              label: couponTemplateStatusLabel[v],
            })),
          ]}
          onChange={choose}
        />
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
          empty={
            status === 'all' ? (
              <EmptyState
                zh="还没有优惠券"
                en="No coupons yet: create one, then publish it"
                action={
                  <Button type="primary" onClick={() => navigate('/marketing/coupons/new')}>
                    新建优惠券 New coupon
                  </Button>
                }
              />
            ) : (
              <EmptyState zh="没有这个状态的优惠券" en="No coupon in this status" />
            )
          }
        >
          {(data) => (
            <>
              <Table<CouponTemplate>
                className="coupons-table"
                rowKey="id"
                size="middle"
                pagination={false}
                dataSource={data.items}
                columns={[
                  {
                    title: <Bi zh="优惠券" en="Coupon" />,
                    render: (_, t) => {
                      const pack = t.origin;
                      return (
                        <div className="coupon-cell">
                          <Link to={`/marketing/coupons/${t.id}`} className="coupon-link">
                            {t.title}
                          </Link>
                          {pack && (
                            <Tooltip
                              title={`红包「${pack.packTitle}」的券，随红包发放，请在红包里修改 · Made by a red-envelope pack; managed there`}
                            >
                              <Link to={`/marketing/red-envelopes/${pack.packId}`} className="pack-template-link">
                                <Tag color="red" className="pack-template-tag" style={{ marginLeft: 8 }}>
                                  红包券 Red envelope
                                </Tag>
                              </Link>
                            </Tooltip>
                          )}
                          <br />
                          <Typography.Text type="secondary" className="coupon-benefit">
                            {pack ? '面额按抢到的金额 · worth the share grabbed' : t.benefitText}
                          </Typography.Text>
                        </div>
                      );
                    },
                  },
                  {
                    title: <Bi zh="状态" en="Status" />,
                    width: 125,
                    render: (_, t) => (
                      <Tag className="coupon-status" color={statusColor[t.status]}>
                        {couponTemplateStatusLabel[t.status]}
                      </Tag>
                    ),
                  },
                  {
                    title: <Bi zh="范围与有效期" en="Where, when" />,
                    width: 270,
                    render: (_, t) => (
                      <>
                        {scopeText(t.scope, { categories: categoryNames })}
                        <br />
                        <Typography.Text type="secondary">{validityText(t.validity)}</Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="已发 / 总量" en="Issued" />,
                    width: 135,
                    align: 'right',
                    render: (_, t) => (
                      <>
                        <span className="coupon-issued">{ofTotal(t.issued, t.totalStock)}</span>
                        <br />
                        <Typography.Text type="secondary" className="coupon-used">
                          已用 used {t.used.toLocaleString('en-US')}
                        </Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: <Bi zh="限领" en="Limit" />,
                    width: 95,
                    align: 'right',
                    render: (_, t) => `${t.perBuyerLimit} 张/人`,
                  },
                  {
                    title: <Bi zh="操作" en="Actions" />,
                    width: 265,
                    render: (_, t) => {
                      // A pack's own template changes with its pack: no edits here.
                      const pack = t.origin;
                      if (pack)
                        return (
                          <Link to={`/marketing/red-envelopes/${pack.packId}`} className="open-pack">
                            查看红包 Open the pack
                          </Link>
                        );
                      return (
                        <Space size={8} style={{ whiteSpace: 'nowrap' }}>
                          <Link to={`/marketing/coupons/${t.id}`} className="edit-coupon">
                            编辑 Edit
                          </Link>
                          {t.status === 'PUBLISHED' ? (
                            <>
                              <StopButton template={t} size="small" />
                              <Button size="small" className="issue-coupon" onClick={() => setIssuing(t)}>
                                发给买家 Give
                              </Button>
                            </>
                          ) : (
                            <PublishButton template={t} size="small" />
                          )}
                        </Space>
                      );
                    },
                  },
                ]}
              />
              <CursorPager pages={pages} nextCursor={data.nextCursor} />
            </>
          )}
        </QueryView>
      </Card>
      <IssueDialog template={issuing} onClose={() => setIssuing(null)} />
    </>
  );
}
