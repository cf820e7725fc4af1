/**
 * 储值负债 What the shop owes its members: stored value from the ledger, principal (money
 * received) and bonus (given) apart, beside the members' cached balances (they must agree);
 * top-ups received and refunded; points outstanding and what they are worth.
 */
import { formatChinaTime, formatFen } from '@chatmall/shared';
import { Alert, Card, Col, Descriptions, Row, Statistic } from 'antd';
import { useApiQuery } from '../../api/hooks';
import { Bi, PageHeader, QueryView } from '../../components/states';

export default function LiabilityPage() {
  const query = useApiQuery('membershipLiability', {});
  return (
    <>
      <PageHeader zh="储值负债" en="Stored-value liability" />
      <QueryView query={query}>
        {(r) => {
          const agrees =
            r.ledger.principal === r.cached.principal &&
            r.ledger.bonus === r.cached.bonus &&
            r.ledger.total === r.cached.total;
          return (
            <>
              <Row gutter={16}>
                <Col span={8}>
                  <Card>
                    <Statistic
                      title={<Bi zh="储值负债合计" en="Owed in total" />}
                      value={formatFen(r.ledger.total)}
                      className="liability-total"
                    />
                  </Card>
                </Col>
                <Col span={8}>
                  <Card>
                    <Statistic
                      title={<Bi zh="本金（已收款）" en="Principal (money received)" />}
                      value={formatFen(r.ledger.principal)}
                      className="liability-principal"
                    />
                  </Card>
                </Col>
                <Col span={8}>
                  <Card>
                    <Statistic
                      title={<Bi zh="赠送金额" en="Bonus (given)" />}
                      value={formatFen(r.ledger.bonus)}
                      className="liability-bonus"
                    />
                  </Card>
                </Col>
              </Row>
              <Alert
                className={`liability-check ${agrees ? 'liability-agrees' : 'liability-differs'}`}
                style={{ marginTop: 16 }}
                type={agrees ? 'success' : 'error'}
                showIcon
                message={
                  agrees
                    ? `流水合计与 ${r.members} 位会员的余额一致 · The ledger agrees with ${r.members} members' balances`
                    : `流水合计与会员余额不一致：余额合计 ${formatFen(r.cached.total)}（本金 ${formatFen(r.cached.principal)}，赠送 ${formatFen(r.cached.bonus)}） · The ledger and the balances differ`
                }
              />
              <Card style={{ marginTop: 16 }}>
                <Descriptions column={2} size="small">
                  <Descriptions.Item label="累计充值到账 Topped up">{formatFen(r.toppedUp)}</Descriptions.Item>
                  <Descriptions.Item label="累计充值退款 Refunded">{formatFen(r.refunded)}</Descriptions.Item>
                  <Descriptions.Item label="未使用积分 Points outstanding">
                    <span className="liability-points">{r.points.outstanding}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label="积分价值 Worth">{formatFen(r.points.worth)}</Descriptions.Item>
                  <Descriptions.Item label="会员数 Members">{r.members}</Descriptions.Item>
                  <Descriptions.Item label="统计时间 As of">{formatChinaTime(r.at, 'second')}</Descriptions.Item>
                </Descriptions>
              </Card>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
