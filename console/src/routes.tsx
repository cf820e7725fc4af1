/**
 * The console's pages: path, menu entry, and the endpoints each one uses (which decide who
 * sees it). Each page is its own chunk, loaded when first opened.
 */
import type { StaffRole } from '@chatmall/shared';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { mayOpen, type PageAccess } from './access';
import { useSession } from './api/use-session';
import { NoAccess, NotFound } from './components/states';

export interface ConsolePage {
  path: string;
  /** Menu group and label (Chinese first, English beside); pages without one are reached by link. */
  menu?: { group: MenuGroup; zh: string; en: string };
  access: PageAccess;
  component: LazyExoticComponent<ComponentType>;
}

export type MenuGroup = 'data' | 'catalog' | 'orders' | 'marketing' | 'money' | 'settings';
export const menuGroups: Record<MenuGroup, { zh: string; en: string }> = {
  data: { zh: '数据', en: 'Data' },
  catalog: { zh: '商品', en: 'Catalog' },
  orders: { zh: '订单', en: 'Orders' },
  marketing: { zh: '营销', en: 'Marketing' },
  money: { zh: '资金', en: 'Money' },
  settings: { zh: '设置', en: 'Settings' },
};

export const consolePages: ConsolePage[] = [
  {
    path: 'dashboard',
    menu: { group: 'data', zh: '经营概况', en: 'Dashboard' },
    access: { any: ['dashboardOverview', 'dashboardToday'] },
    component: lazy(() => import('./pages/dashboard/DashboardPage')),
  },
  {
    path: 'catalog/products',
    menu: { group: 'catalog', zh: '商品管理', en: 'Products' },
    access: { all: ['adminListProducts', 'adminGetProduct'] },
    component: lazy(() => import('./pages/catalog/ProductListPage')),
  },
  {
    path: 'catalog/products/new',
    access: { all: ['createProduct', 'uploadImage'] },
    component: lazy(() => import('./pages/catalog/ProductEditPage')),
  },
  {
    path: 'catalog/products/:id',
    access: { all: ['adminGetProduct', 'updateProduct', 'uploadImage'] },
    component: lazy(() => import('./pages/catalog/ProductEditPage')),
  },
  {
    path: 'catalog/categories',
    menu: { group: 'catalog', zh: '商品分类', en: 'Categories' },
    access: { all: ['createCategory', 'updateCategory', 'deleteCategory', 'reorderCategories'] },
    component: lazy(() => import('./pages/catalog/CategoriesPage')),
  },
  {
    path: 'orders',
    menu: { group: 'orders', zh: '订单管理', en: 'Orders' },
    access: { all: ['adminListOrders'] },
    component: lazy(() => import('./pages/orders/OrderListPage')),
  },
  {
    path: 'orders/:id',
    access: { all: ['adminGetOrder', 'adminOrderMoney'] },
    component: lazy(() => import('./pages/orders/OrderDetailPage')),
  },
  {
    path: 'refunds',
    menu: { group: 'orders', zh: '退款售后', en: 'Refunds' },
    access: { all: ['adminListRefunds'] },
    component: lazy(() => import('./pages/refunds/RefundQueuePage')),
  },
  {
    path: 'reviews',
    menu: { group: 'orders', zh: '评价管理', en: 'Reviews' },
    access: { all: ['adminListReviews', 'replyToReview', 'hideReview', 'unhideReview'] },
    component: lazy(() => import('./pages/reviews/ReviewsPage')),
  },
  {
    path: 'marketing/coupons',
    menu: { group: 'marketing', zh: '优惠券', en: 'Coupons' },
    access: {
      all: ['adminListCouponTemplates', 'publishCouponTemplate', 'stopCouponTemplate', 'adminListRedEnvelopePacks'],
    },
    component: lazy(() => import('./pages/marketing/CouponTemplateListPage')),
  },
  {
    path: 'marketing/coupons/new',
    access: { all: ['createCouponTemplate', 'adminListProducts'] },
    component: lazy(() => import('./pages/marketing/CouponTemplateEditPage')),
  },
  {
    path: 'marketing/coupons/:id',
    access: { all: ['adminGetCouponTemplate', 'updateCouponTemplate', 'adminListProducts'] },
    component: lazy(() => import('./pages/marketing/CouponTemplateEditPage')),
  },
  {
    path: 'marketing/red-envelopes',
    menu: { group: 'marketing', zh: '群红包', en: 'Red envelopes' },
    access: { all: ['adminListRedEnvelopePacks'] },
    component: lazy(() => import('./pages/marketing/RedEnvelopeListPage')),
  },
  {
    path: 'marketing/red-envelopes/new',
    access: { all: ['createRedEnvelopePack', 'adminListProducts'] },
    component: lazy(() => import('./pages/marketing/RedEnvelopeCreatePage')),
  },
  {
    path: 'marketing/red-envelopes/:id',
    access: { all: ['adminGetRedEnvelopePack'] },
    component: lazy(() => import('./pages/marketing/RedEnvelopeDetailPage')),
  },
  {
    path: 'money',
    menu: { group: 'money', zh: '资金对账', en: 'Money' },
    access: { all: ['adminReconciliation', 'adminNotificationLog'] },
    component: lazy(() => import('./pages/money/MoneyPage')),
  },
  {
    path: 'settings',
    menu: { group: 'settings', zh: '店铺设置', en: 'Shop settings' },
    access: { all: ['getShopSettings', 'updateShopSettings'] },
    component: lazy(() => import('./pages/settings/ShopSettingsPage')),
  },
  {
    path: 'credentials',
    menu: { group: 'settings', zh: '凭证检查', en: 'Credentials' },
    access: { all: ['checkCredentials'] },
    component: lazy(() => import('./pages/settings/CredentialsPage')),
  },
  {
    path: 'staff',
    menu: { group: 'settings', zh: '员工', en: 'Staff' },
    access: { all: ['listStaff', 'createStaff', 'updateStaff', 'resetStaffPassword', 'unlockStaff'] },
    component: lazy(() => import('./pages/staff/StaffPage')),
  },
  {
    // Reached from the staff member's name in the header (every role binds their own WeChat).
    path: 'account',
    access: { all: ['getWechatBinding', 'issueWechatBindingCode', 'unbindWechat'] },
    component: lazy(() => import('./pages/account/AccountPage')),
  },
  {
    path: 'audit',
    menu: { group: 'settings', zh: '操作日志', en: 'Audit log' },
    access: { all: ['listAudit'] },
    component: lazy(() => import('./pages/audit/AuditPage')),
  },
];

export function pagesFor(role: StaffRole | undefined): ConsolePage[] {
  return consolePages.filter((p) => mayOpen(role, p.access));
}

export default function PageRoutes() {
  const role = useSession()?.staff.role;
  const home = pagesFor(role).find((p) => p.menu);
  return (
    <Routes>
      <Route index element={home ? <Navigate to={`/${home.path}`} replace /> : <NoAccess />} />
      {consolePages.map(({ path, access, component: Page }) => (
        <Route key={path} path={path} element={mayOpen(role, access) ? <Page /> : <NoAccess />} />
      ))}
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
