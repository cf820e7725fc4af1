/** 推送 Campaigns: newest first, with channel, state and progress (live while sending). */
import { campaignStatusLabel, formatChinaTime } from '@chatmall/shared';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Progress, Table, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useApiQuery, type Res } from '../../api/hooks';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { statusColor } from './CampaignDetailPage';

type Item = Res<'listCampaigns'>['items'][number];

export default function CampaignListPage() {
  const navigate = useNavigate();
  const list = useApiQuery(
    'listCampaigns',
    {},
    {
      refetchInterval: (q) =>
        q.state.data?.items.some((c) => c.status === 'SENDING' || c.status === 'SCHEDULED') ? 2000 : false,
    },
  );
  return (
    <>
      <PageHeader
        zh="推送"
        en="Campaigns"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            className="new-campaign"
            onClick={() => navigate('/campaigns/new')}
          >
            新建推送 New campaign
          </Button>
        }
      />
      <Card>
        <QueryView
          query={list}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState
              zh="还没有推送：先圈选人群，再写消息、预览、测试并排期发送"
              en="No campaigns yet: pick a segment, write the message, preview, test and schedule"
              action={
                <Button type="primary" onClick={() => navigate('/campaigns/new')}>
                  新建推送 New campaign
                </Button>
              }
            />
          }
        >
          {(d) => (
            <Table<Item>
              className="campaign-table"
              rowKey="id"
              size="middle"
              pagination={false}
              dataSource={d.items}
              rowClassName={(c) => `campaign-row campaign-row-${c.id}`}
              columns={[
                {
                  title: <Bi zh="名称" en="Name" />,
                  render: (_, c) => <Link to={`/campaigns/${c.id}`}>{c.name}</Link>,
                },
                {
                  title: <Bi zh="状态" en="Status" />,
                  width: 150,
                  render: (_, c) => <Tag color={statusColor[c.status]}>{campaignStatusLabel[c.status]}</Tag>,
                },
                {
                  title: <Bi zh="进度" en="Progress" />,
                  width: 260,
                  render: (_, c) => {
                    const n = c.counts;
                    if (!n.targeted) return '—';
                    return (
                      <Progress
                        size="small"
                        percent={Math.floor(((n.targeted - n.pending) / n.targeted) * 100)}
                        format={() => `${n.targeted - n.pending}/${n.targeted}`}
                      />
                    );
                  },
                },
                {
                  title: <Bi zh="送达" en="Delivered" />,
                  width: 100,
                  align: 'right',
                  render: (_, c) => c.counts.delivered,
                },
                {
                  title: <Bi zh="时间" en="When" />,
                  width: 170,
                  render: (_, c) => formatChinaTime(c.startedAt ?? c.scheduledAt ?? c.createdAt),
                },
              ]}
            />
          )}
        </QueryView>
      </Card>
    </>
  );
}
