/**
 * The console's routes, one per page of the table in pages.ts; each page is its own chunk,
 * loaded when first opened.
 */
import { lazy, type ComponentType } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { mayOpen } from './access';
import { useSession } from './api/use-session';
import { NoAccess, NotFound } from './components/states';
import { consolePages, pagesFor, type PagePath } from './pages';

/** Each page's chunk: one entry per path of the table (the type refuses a missing or extra one). */
const chunks: Record<PagePath, () => Promise<{ default: ComponentType }>> = {
  dashboard: () => import('./pages/dashboard/DashboardPage'),
  'catalog/products': () => import('./pages/catalog/ProductListPage'),
  'catalog/products/new': () => import('./pages/catalog/ProductEditPage'),
  'catalog/products/:id': () => import('./pages/catalog/ProductEditPage'),
  'catalog/categories': () => import('./pages/catalog/CategoriesPage'),
  orders: () => import('./pages/orders/OrderListPage'),
  'orders/:id': () => import('./pages/orders/OrderDetailPage'),
  refunds: () => import('./pages/refunds/RefundQueuePage'),
  reviews: () => import('./pages/reviews/ReviewsPage'),
  'marketing/coupons': () => import('./pages/marketing/CouponTemplateListPage'),
  'marketing/coupons/new': () => import('./pages/marketing/CouponTemplateEditPage'),
  'marketing/coupons/:id': () => import('./pages/marketing/CouponTemplateEditPage'),
  'marketing/red-envelopes': () => import('./pages/marketing/RedEnvelopeListPage'),
  'marketing/red-envelopes/new': () => import('./pages/marketing/RedEnvelopeCreatePage'),
  'marketing/red-envelopes/:id': () => import('./pages/marketing/RedEnvelopeDetailPage'),
  'official-account/followers': () => import('./pages/official-account/FollowersPage'),
  'official-account/inbox': () => import('./pages/official-account/InboxPage'),
  'official-account/auto-replies': () => import('./pages/official-account/AutoRepliesPage'),
  'official-account/menu': () => import('./pages/official-account/MenuPage'),
  'official-account/touchpoints': () => import('./pages/official-account/TouchpointsPage'),
  segments: () => import('./pages/campaigns/SegmentsPage'),
  campaigns: () => import('./pages/campaigns/CampaignListPage'),
  'campaigns/new': () => import('./pages/campaigns/CampaignNewPage'),
  'campaigns/:id': () => import('./pages/campaigns/CampaignDetailPage'),
  'membership/members': () => import('./pages/membership/MemberListPage'),
  'membership/members/:id': () => import('./pages/membership/MemberDetailPage'),
  'membership/programme': () => import('./pages/membership/ProgrammePage'),
  'membership/liability': () => import('./pages/membership/LiabilityPage'),
  'membership/counter': () => import('./pages/membership/CounterPage'),
  money: () => import('./pages/money/MoneyPage'),
  settings: () => import('./pages/settings/ShopSettingsPage'),
  credentials: () => import('./pages/settings/CredentialsPage'),
  staff: () => import('./pages/staff/StaffPage'),
  account: () => import('./pages/account/AccountPage'),
  audit: () => import('./pages/audit/AuditPage'),
};
const components = new Map(Object.entries(chunks).map(([path, load]) => [path, lazy(load)]));

export default function PageRoutes() {
  const role = useSession()?.staff.role;
  const home = pagesFor(role).find((p) => p.menu);
  return (
    <Routes>
      <Route index element={home ? <Navigate to={`/${home.path}`} replace /> : <NoAccess />} />
      {consolePages.map(({ path, access }) => {
        const Page = components.get(path)!;
        return <Route key={path} path={path} element={mayOpen(role, access) ? <Page /> : <NoAccess />} />;
      })}
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
