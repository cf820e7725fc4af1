/**
 * Staff (owner): who works in the shop, their role and status (启用 / 停用 / 锁定), last
 * sign-in; add a member, change a role, disable or enable (confirmed), reset a password,
 * lift a sign-in lock. A change to someone ends their sessions at once (the server does it);
 * the owner's own row offers no disable or demotion, and the server refuses both anyway.
 */
import { formatChinaTime, type StaffAccount, type StaffRole } from '@chatmall/shared';
import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Dropdown, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { roleLabel } from '../../access';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useSession } from '../../api/use-session';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { AddStaffDialog } from './AddStaffDialog';
import { ResetPasswordDialog } from './ResetPasswordDialog';
import { roleColor, staffProblemText, statusLabel, statusOf } from './staff-text';

const ROLES: StaffRole[] = ['owner', 'marketer', 'clerk'];

export default function StaffPage() {
  const query = useApiQuery('listStaff', {});
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<StaffAccount | null>(null);
  return (
    <>
      <PageHeader
        zh="员工"
        en="Staff"
        extra={
          <Button type="primary" icon={<PlusOutlined />} className="add-staff" onClick={() => setAdding(true)}>
            添加员工 Add staff
          </Button>
        }
      />
      <Card>
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState
              zh="还没有员工，添加一位店员开始吧"
              en="No staff yet: add a clerk to get started"
              action={
                <Button type="primary" onClick={() => setAdding(true)}>
                  添加员工 Add staff
                </Button>
              }
            />
          }
        >
          {(data) => <StaffTable items={data.items} onReset={setResetting} />}
        </QueryView>
      </Card>
      <AddStaffDialog open={adding} onClose={() => setAdding(false)} />
      <ResetPasswordDialog target={resetting} onClose={() => setResetting(null)} />
    </>
  );
}

function StaffTable({ items, onReset }: { items: StaffAccount[]; onReset: (s: StaffAccount) => void }) {
  const { message, modal } = App.useApp();
  const me = useSession()?.staff.id;
  const update = useApiMutation('updateStaff', { invalidates: ['listStaff', 'listAudit'] });
  const unlock = useApiMutation('unlockStaff', { invalidates: ['listStaff', 'listAudit'] });

  async function run(done: string, call: () => Promise<unknown>) {
    try {
      await call();
      message.success(done);
    } catch (err) {
      message.error(staffProblemText(err));
    }
  }

  function changeRole(s: StaffAccount, role: StaffRole) {
    modal.confirm({
      title: `把 ${s.displayName} 改为${roleLabel[role]}？`,
      content: '对方需要重新登录后按新角色使用 · They sign in again and work with the new role',
      okText: '确定 Change',
      cancelText: '取消 Cancel',
      okButtonProps: { className: 'confirm-role' },
      onOk: () => run('角色已更改 · Role changed', () => update.mutateAsync({ params: { id: s.id }, body: { role } })),
    });
  }

  return (
    <Table<StaffAccount>
      className="staff-table"
      rowKey="id"
      size="middle"
      pagination={false}
      dataSource={items}
      rowClassName={(s) => `staff-row staff-row-${s.username}`}
      columns={[
        {
          title: <Bi zh="员工" en="Staff member" />,
          width: 150,
          render: (_, s) => (
            <>
              <Typography.Text strong>{s.displayName}</Typography.Text>
              {s.id === me && (
                <Tag style={{ marginLeft: 8 }} bordered={false}>
                  我 Me
                </Tag>
              )}
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {s.username}
              </Typography.Text>
            </>
          ),
        },
        {
          title: <Bi zh="角色" en="Role" />,
          width: 130,
          render: (_, s) => (
            <Tag className="staff-role" color={roleColor[s.role]}>
              {roleLabel[s.role]}
            </Tag>
          ),
        },
        {
          title: <Bi zh="状态" en="Status" />,
          width: 150,
          render: (_, s) => {
            const st = statusOf(s);
            const l = statusLabel[st];
            return (
              <>
                <Tag className={`staff-status staff-status-${st}`} color={l.color}>
                  {l.zh} {l.en}
                </Tag>
                {st === 'locked' && s.lockedUntil && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      至 until {formatChinaTime(s.lockedUntil).slice(11)}
                    </Typography.Text>
                  </div>
                )}
              </>
            );
          },
        },
        {
          title: <Bi zh="最近登录" en="Last sign-in" />,
          width: 150,
          render: (_, s) =>
            s.lastSignInAt ? (
              formatChinaTime(s.lastSignInAt)
            ) : (
              <Typography.Text type="secondary">从未登录 Never</Typography.Text>
            ),
        },
        {
          title: <Bi zh="添加时间" en="Added" />,
          width: 120,
          render: (_, s) => formatChinaTime(s.createdAt, 'date'),
        },
        {
          title: <Bi zh="微信" en="WeChat" />,
          width: 105,
          render: (_, s) =>
            s.wechatBound ? (
              <Tag className="staff-wechat-bound" color="success">
                已绑定 Bound
              </Tag>
            ) : (
              <Typography.Text type="secondary" className="staff-wechat-unbound">
                未绑定 None
              </Typography.Text>
            ),
        },
        {
          title: <Bi zh="操作" en="Actions" />,
          render: (_, s) => {
            const self = s.id === me;
            const locked = statusOf(s) === 'locked';
            return (
              <Space size={4} wrap>
                <Tooltip title={self ? '不能更改自己的角色 · Not your own role' : undefined}>
                  <Dropdown
                    disabled={self}
                    trigger={['click']}
                    menu={{
                      items: ROLES.filter((r) => r !== s.role).map((r) => ({ key: r, label: roleLabel[r] })),
                      onClick: ({ key }) => changeRole(s, key as StaffRole),
                    }}
                  >
                    <Button size="small" type="link" className="change-role" disabled={self}>
                      改角色 Role <DownOutlined />
                    </Button>
                  </Dropdown>
                </Tooltip>
                {s.disabled ? (
                  <Popconfirm
                    title={`启用 ${s.displayName}？`}
                    description="对方可以重新登录 · They can sign in again"
                    okText="启用 Enable"
                    cancelText="取消 Cancel"
                    okButtonProps={{ className: 'confirm-enable' }}
                    onConfirm={() =>
                      run('已启用 · Enabled', () =>
                        update.mutateAsync({ params: { id: s.id }, body: { disabled: false } }),
                      )
                    }
                  >
                    <Button size="small" type="link" className="enable-staff">
                      启用 Enable
                    </Button>
                  </Popconfirm>
                ) : (
                  <Tooltip title={self ? '不能停用自己 · Not your own account' : undefined}>
                    <Popconfirm
                      disabled={self}
                      title={`停用 ${s.displayName}？`}
                      description="对方会立即退出登录，且不能再登录 · Signed out at once, cannot sign in"
                      okText="停用 Disable"
                      okButtonProps={{ danger: true, className: 'confirm-disable' }}
                      cancelText="取消 Cancel"
                      onConfirm={() =>
                        run('已停用 · Disabled', () =>
                          update.mutateAsync({ params: { id: s.id }, body: { disabled: true } }),
                        )
                      }
                    >
                      <Button size="small" type="link" danger className="disable-staff" disabled={self}>
                        停用 Disable
                      </Button>
                    </Popconfirm>
                  </Tooltip>
                )}
                <Button size="small" type="link" className="reset-password" onClick={() => onReset(s)}>
                  重置密码 Reset password
                </Button>
                {locked && (
                  <Button
                    size="small"
                    type="link"
                    className="unlock-staff"
                    loading={unlock.isPending && unlock.variables?.params.id === s.id}
                    onClick={() => void run('已解锁 · Unlocked', () => unlock.mutateAsync({ params: { id: s.id } }))}
                  >
                    解锁 Unlock
                  </Button>
                )}
              </Space>
            );
          },
        },
      ]}
    />
  );
}
