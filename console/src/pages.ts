/**
 * The console's pages: path, menu entry, and the endpoints each one uses (which decide who
 * sees it). Plain data (no React), so the menu, the routes (routes.tsx gives each path its
 * component) and the tests that walk every page read one table.
 */
import type { StaffRole } from '@chatmall/shared';
import { mayOpen, type PageAccess } from './access';

export interface ConsolePage {
  path: string;
  /** Menu group and label (Chinese first, English beside); pages without one are reached by link. */
  menu?: { group: MenuGroup; zh: string; en: string };
  access: PageAccess;
  /**
   * What e2e/console-states.test.ts opens and expects of this page besides its loading and
   * error states: `open`, the route to open for a path with a parameter (an id that does not
   * exist: the page must say so); `empty`, the page shows its empty state on a shop with no
   * data; `loadsNothing`, the page asks for nothing when opened (so it has no loading or
   * error state of its own) — say why.
   */
  states?: { open?: string; empty?: true; loadsNothing?: string };
}

export type MenuGroup = 'data' | 'catalog' | 'orders' | 'marketing' | 'members' | 'oa' | 'money' | 'settings';
export const menuGroups: Record<MenuGroup, { zh: string; en: string }> = {
  data: { zh: '数据', en: 'Data' },
  catalog: { zh: '商品', en: 'Catalog' },
  orders: { zh: '订单', en: 'Orders' },
  marketing: { zh: '营销', en: 'Marketing' },
  members: { zh: '会员', en: 'Members' },
  oa: { zh: '公众号', en: 'Official account' },
  money: { zh: '资金', en: 'Money' },
  settings: { zh: '设置', en: 'Settings' },
};

export const consolePages = [
  {
    path: 'dashboard',
    menu: { group: 'data', zh: '经营概况', en: 'Dashboard' },
    access: { any: ['dashboardOverview', 'dashboardToday'] },
    states: { empty: true },
  },
  {
    path: 'catalog/products',
    menu: { group: 'catalog', zh: '商品管理', en: 'Products' },
    access: { all: ['adminListProducts', 'adminGetProduct'] },
    states: { empty: true },
  },
  {
    path: 'catalog/products/new',
    access: { all: ['createProduct', 'uploadImage'] },
  },
  {
    path: 'catalog/products/:id',
    access: { all: ['adminGetProduct', 'updateProduct', 'uploadImage'] },
    states: { open: 'catalog/products/prod_nosuchthing' },
  },
  {
    path: 'catalog/categories',
    menu: { group: 'catalog', zh: '商品分类', en: 'Categories' },
    access: { all: ['createCategory', 'updateCategory', 'deleteCategory', 'reorderCategories'] },
    states: { empty: true },
  },
  {
    path: 'orders',
    menu: { group: 'orders', zh: '订单管理', en: 'Orders' },
    access: { all: ['adminListOrders'] },
    states: { empty: true },
  },
  {
    path: 'orders/:id',
    access: { all: ['adminGetOrder', 'adminOrderMoney'] },
    states: { open: 'orders/ord_nosuchthing' },
  },
  {
    path: 'refunds',
    menu: { group: 'orders', zh: '退款售后', en: 'Refunds' },
    access: { all: ['adminListRefunds'] },
    states: { empty: true },
  },
  {
    path: 'reviews',
    menu: { group: 'orders', zh: '评价管理', en: 'Reviews' },
    access: { all: ['adminListReviews', 'replyToReview', 'hideReview', 'unhideReview'] },
    states: { empty: true },
  },
  {
    path: 'marketing/coupons',
    menu: { group: 'marketing', zh: '优惠券', en: 'Coupons' },
    access: {
      all: ['adminListCouponTemplates', 'publishCouponTemplate', 'stopCouponTemplate', 'adminListRedEnvelopePacks'],
    },
    states: { empty: true },
  },
  {
    path: 'marketing/coupons/new',
    access: { all: ['createCouponTemplate', 'adminListProducts'] },
    states: { loadsNothing: 'a new coupon starts blank; its product and category pickers ask when opened' },
  },
  {
    path: 'marketing/coupons/:id',
    access: { all: ['adminGetCouponTemplate', 'updateCouponTemplate', 'adminListProducts'] },
    states: { open: 'marketing/coupons/cpt_nosuchthing' },
  },
  {
    path: 'marketing/red-envelopes',
    menu: { group: 'marketing', zh: '群红包', en: 'Red envelopes' },
    access: { all: ['adminListRedEnvelopePacks'] },
    states: { empty: true },
  },
  {
    path: 'marketing/red-envelopes/new',
    access: { all: ['createRedEnvelopePack', 'adminListProducts'] },
    states: { loadsNothing: 'the form starts blank; its product picker asks for products when opened' },
  },
  {
    path: 'marketing/red-envelopes/:id',
    access: { all: ['adminGetRedEnvelopePack'] },
    states: { open: 'marketing/red-envelopes/rp_nosuchthing' },
  },
  {
    path: 'official-account/followers',
    menu: { group: 'oa', zh: '粉丝', en: 'Followers' },
    access: {
      all: [
        'listFollowers',
        'listFollowerTags',
        'followerSyncStatus',
        'startFollowerSync',
        'createFollowerTag',
        'renameFollowerTag',
        'tagFollowers',
        'untagFollowers',
      ],
    },
    states: { empty: true },
  },
  {
    path: 'official-account/inbox',
    menu: { group: 'oa', zh: '消息', en: 'Inbox' },
    access: { all: ['inboxThreads', 'inboxConversation', 'replyToFollower'] },
    states: { empty: true },
  },
  {
    path: 'official-account/auto-replies',
    menu: { group: 'oa', zh: '自动回复', en: 'Auto-replies' },
    access: {
      all: [
        'listKeywordRules',
        'createKeywordRule',
        'updateKeywordRule',
        'deleteKeywordRule',
        'autoReplySettings',
        'setWelcome',
        'setDefaultReply',
        'adminListCouponTemplates',
      ],
    },
    states: { empty: true },
  },
  {
    path: 'official-account/menu',
    menu: { group: 'oa', zh: '菜单', en: 'Menu' },
    access: { all: ['getMenu', 'saveMenuDraft', 'publishMenu', 'readBackMenu', 'unpublishMenu'] },
  },
  {
    path: 'official-account/touchpoints',
    menu: { group: 'oa', zh: '渠道二维码', en: 'Touchpoints' },
    access: {
      all: [
        'listTouchpoints',
        'createTouchpoint',
        'touchpointStats',
        'touchpointQrPng',
        'touchpointPdf',
        'touchpointWxacode',
        'getTouchpointWelcome',
        'setTouchpointWelcome',
        'adminListCouponTemplates',
      ],
    },
    states: { empty: true },
  },
  {
    path: 'segments',
    menu: { group: 'oa', zh: '人群', en: 'Segments' },
    access: {
      all: ['listSegments', 'countSegment', 'createSegment', 'updateSegment', 'listFollowerTags', 'listTouchpoints'],
    },
    states: { empty: true },
  },
  {
    path: 'campaigns',
    menu: { group: 'oa', zh: '推送', en: 'Campaigns' },
    access: { all: ['listCampaigns'] },
    states: { empty: true },
  },
  {
    path: 'campaigns/new',
    access: { all: ['createCampaign', 'listSegments', 'listFollowerTags'] },
  },
  {
    path: 'campaigns/:id',
    access: {
      all: [
        'getCampaign',
        'updateCampaign',
        'previewCampaign',
        'testSendCampaign',
        'scheduleCampaign',
        'pauseCampaign',
        'resumeCampaign',
        'cancelCampaign',
        'campaignFunnel',
        'listSegments',
        'listFollowerTags',
      ],
    },
    states: { open: 'campaigns/cmp_nosuchthing' },
  },
  {
    path: 'membership/members',
    menu: { group: 'members', zh: '会员', en: 'Members' },
    access: { all: ['adminListMembers', 'adminMembershipProgramme'] },
    states: { empty: true },
  },
  {
    path: 'membership/members/:id',
    access: { all: ['adminGetMember', 'adminMemberPoints', 'adminMemberWallet'] },
    states: { open: 'membership/members/mbr_nosuchthing' },
  },
  {
    path: 'membership/programme',
    menu: { group: 'members', zh: '会员规则', en: 'Programme' },
    access: { all: ['adminMembershipProgramme', 'saveMembershipProgramme'] },
  },
  {
    path: 'membership/liability',
    menu: { group: 'members', zh: '储值负债', en: 'Stored value' },
    access: { all: ['membershipLiability'] },
  },
  {
    path: 'membership/counter',
    menu: { group: 'members', zh: '门店核销', en: 'Counter' },
    access: { all: ['counterLookup', 'counterPurchase', 'counterPayment'] },
    states: { loadsNothing: 'the counter asks only once a member code is scanned' },
  },
  {
    path: 'money',
    menu: { group: 'money', zh: '资金对账', en: 'Money' },
    access: { all: ['adminReconciliation', 'adminNotificationLog'] },
  },
  {
    path: 'settings',
    menu: { group: 'settings', zh: '店铺设置', en: 'Shop settings' },
    access: { all: ['getShopSettings', 'updateShopSettings'] },
  },
  {
    path: 'credentials',
    menu: { group: 'settings', zh: '凭证检查', en: 'Credentials' },
    access: { all: ['checkCredentials'] },
    states: { loadsNothing: 'the check calls WeChat only when the owner presses its button' },
  },
  {
    path: 'staff',
    menu: { group: 'settings', zh: '员工', en: 'Staff' },
    access: { all: ['listStaff', 'createStaff', 'updateStaff', 'resetStaffPassword', 'unlockStaff'] },
  },
  {
    // Reached from the header (every role binds their own WeChat and changes their own password).
    path: 'account',
    access: { all: ['getWechatBinding', 'issueWechatBindingCode', 'unbindWechat', 'changeOwnPassword'] },
  },
  {
    path: 'audit',
    menu: { group: 'settings', zh: '操作日志', en: 'Audit log' },
    access: { all: ['listAudit'] },
    states: { empty: true },
  },
] as const satisfies readonly ConsolePage[];

/** Every page's path; routes.tsx maps each to its component's chunk. */
export type PagePath = (typeof consolePages)[number]['path'];

export function pagesFor(role: StaffRole | undefined): readonly ConsolePage[] {
  return consolePages.filter((p) => mayOpen(role, p.access));
}
