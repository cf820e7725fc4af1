/**
 * The frame around every page: the menu by task (only what the role may open), and the
 * signed-in staff member with sign-out.
 */
import { Avatar, Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { roleLabel } from '../access';
import { session } from '../api/session';
import { useSession } from '../api/use-session';
import { Bi } from '../components/states';
import { menuGroups, pagesFor, type MenuGroup } from '../pages';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  const current = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const pages = pagesFor(current?.staff.role).filter((p) => p.menu);
  const groups = (Object.keys(menuGroups) as MenuGroup[])
    .map((g) => ({
      type: 'group' as const,
      key: g,
      label: <Bi zh={menuGroups[g].zh} en={menuGroups[g].en} />,
      children: pages
        .filter((p) => p.menu?.group === g)
        .map((p) => ({ key: `/${p.path}`, label: <Bi zh={p.menu?.zh} en={p.menu?.en} /> })),
    }))
    .filter((g) => g.children.length > 0);
  const selected = pages
    .map((p) => `/${p.path}`)
    .filter((k) => location.pathname === k || location.pathname.startsWith(`${k}/`));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '20px 24px 12px' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            商家后台
          </Typography.Title>
          <Typography.Text type="secondary">Merchant console</Typography.Text>
        </div>
        <Menu
          className="console-menu"
          mode="inline"
          style={{ borderInlineEnd: 'none' }}
          selectedKeys={selected}
          items={groups}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            borderBottom: '1px solid #f0f0f0',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            padding: '0 24px',
          }}
        >
          {current && (
            <Space className="console-staff" size={12}>
              <Avatar style={{ background: '#07c160' }}>{current.staff.displayName.slice(0, 1).toUpperCase()}</Avatar>
              <span>{current.staff.displayName}</span>
              <Tag>{roleLabel[current.staff.role]}</Tag>
              <Button className="my-wechat" type="link" onClick={() => navigate('/account')}>
                我的账号 My account
              </Button>
              <Button className="sign-out" onClick={() => session.clear('signed-out')}>
                退出登录 Sign out
              </Button>
            </Space>
          )}
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
