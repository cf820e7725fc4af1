/**
 * The API contract: every endpoint declared once, with its method, path and zod schemas.
 * The server validates requests and types its handlers from this table; the storefront's
 * client is typed from it. Adding an endpoint = one entry here, one handler, one test.
 */
import { z } from 'zod';
import { endpoint, type Endpoint } from './endpoint';
import { followersEndpoints } from './followers.endpoints';
import { touchpointsEndpoints } from './touchpoints.endpoints';
import { membershipEndpoints } from './membership.endpoints';
import { campaignEndpoints } from './campaigns.endpoints';
import {
  access,
  AuditPage,
  CreateStaffRequest,
  ResetStaffPassword,
  ChangeOwnPassword,
  StaffAccount,
  StaffList,
  StaffMember,
  StaffUpdate,
  BuyerLoginRequest,
  BuyerLoginResponse,
  RefreshRequest,
  SessionTokens,
  StaffLoginRequest,
  StaffLoginResponse,
  Buyer,
} from './auth';
import {
  Category,
  CategoryId,
  CategoryList,
  ProductDetail,
  ProductId,
  ProductListQuery,
  ProductPage,
  SkuId,
} from './catalog';
import {
  AdminProduct,
  AdminProductListQuery,
  AdminProductPage,
  AdminSku,
  CategoryCreate,
  CategoryOrder,
  CategoryUpdate,
  MediaUploaded,
  ProductCreate,
  ProductUpdate,
  SkuPriceChange,
  SkuStockAdjust,
  SkuStockSet,
} from './catalog-admin';
import {
  AddToCartRequest,
  Cart,
  FavouriteList,
  FavouriteState,
  UpdateCartLineRequest,
  AddressInput,
  AddressPatch,
  Address,
  AddressList,
} from './commerce';
import {
  ApproveRefund,
  NotificationLogEntry,
  OrderMoney,
  ReconciliationSummary,
  CheckoutPreviewRequest,
  CreateOrderRequest,
  Order,
  OrderExportQuery,
  OrderListQuery,
  OrderPage,
  Refund,
  RefundList,
  RefundListQuery,
  RefundPage,
  RefundStatus,
  RejectRefund,
  RequestRefund,
  ShipOrderRequest,
} from './orders';
import { CheckoutPrice } from './pricing';
import {
  ClaimableCouponList,
  ClaimCouponRequest,
  ClaimCouponResult,
  BuyerCoupon,
  CouponTemplate,
  CouponTemplateInput,
  CouponTemplateListQuery,
  CouponTemplatePage,
  CouponTemplatePatch,
  StaffIssueCouponRequest,
  WalletPage,
  WalletQuery,
} from './coupons';
import {
  AdminReview,
  AdminReviewPage,
  AdminReviewQuery,
  CreateReview,
  HideReview,
  MyReview,
  MyReviewList,
  ProductReviewPage,
  ProductReviewQuery,
  ReplyToReview,
  UpdateReview,
} from './reviews';
import { ShopProfile, ShopSettings, ShopSettingsPatch } from './shop';
import { CalendarDate } from './schema';
import { DashboardOverview, DashboardRange, DashboardToday } from './dashboard';
import {
  BindWechatRequest,
  MerchantMe,
  MerchantShipQueue,
  MerchantShipQueueQuery,
  WechatBindingCode,
  WechatBindingStatus,
} from './merchant';
import { CredentialCheckResult } from './credentials';
import {
  CreateRedEnvelopePackRequest,
  RedEnvelopeGrabResult,
  RedEnvelopeOpenRequest,
  RedEnvelopePack,
  RedEnvelopePackDetail,
  RedEnvelopePackListQuery,
  RedEnvelopePackPage,
  RedEnvelopeView,
} from './red-envelopes';

export * from './endpoint';

export const contract = {
  listCategories: endpoint({
    method: 'GET',
    path: '/api/categories',
    summary: 'Every category, in the merchant’s order',
    response: CategoryList,
  }),
  listProducts: endpoint({
    method: 'GET',
    path: '/api/products',
    summary: 'Published products, optionally in one category, a page at a time',
    query: ProductListQuery,
    response: ProductPage,
  }),
  getProduct: endpoint({
    method: 'GET',
    path: '/api/products/:id',
    summary: 'One product with its specs and SKUs',
    params: z.object({ id: ProductId }),
    response: ProductDetail,
  }),

  clientConfig: endpoint({
    method: 'GET',
    path: '/api/client-config',
    summary: 'What the storefront needs to know at start-up (e.g. the WeChat sandbox H5 signs in through)',
    response: z.object({
      /** The shop as buyers see it: name, logo, service phone, shipping rule (from the shop settings). */
      shop: ShopProfile,
      /** Outside production, the sandbox that plays WeChat for the H5 build (wx.login, payments). */
      wechatSandboxUrl: z.string().nullable(),
    }),
  }),

  // Buyer sessions ------------------------------------------------------------------
  buyerLogin: endpoint({
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Exchange a wx.login code for a buyer session',
    body: BuyerLoginRequest,
    response: BuyerLoginResponse,
  }),
  refreshSession: endpoint({
    method: 'POST',
    path: '/api/auth/refresh',
    summary: 'Trade a refresh token for new tokens (the old refresh token stops working)',
    body: RefreshRequest,
    response: SessionTokens,
  }),
  me: endpoint({
    method: 'GET',
    path: '/api/me',
    summary: 'The signed-in buyer',
    access: access.buyer,
    response: Buyer,
  }),

  // Cart ----------------------------------------------------------------------------
  getCart: endpoint({
    method: 'GET',
    path: '/api/cart',
    summary: 'The buyer’s cart, re-priced',
    access: access.buyer,
    response: Cart,
  }),
  addToCart: endpoint({
    method: 'POST',
    path: '/api/cart/items',
    summary: 'Add units of a SKU (adds to what is there)',
    access: access.buyer,
    body: AddToCartRequest,
    response: Cart,
  }),
  updateCartLine: endpoint({
    method: 'PATCH',
    path: '/api/cart/items/:skuId',
    summary: 'Change quantity or selection of a cart line',
    access: access.buyer,
    params: z.object({ skuId: SkuId }),
    body: UpdateCartLineRequest,
    response: Cart,
  }),
  removeCartLine: endpoint({
    method: 'DELETE',
    path: '/api/cart/items/:skuId',
    summary: 'Remove a line from the cart',
    access: access.buyer,
    params: z.object({ skuId: SkuId }),
    response: Cart,
  }),

  // Favourites ----------------------------------------------------------------------
  listFavourites: endpoint({
    method: 'GET',
    path: '/api/favourites',
    summary: 'Favourite products, newest first',
    access: access.buyer,
    response: FavouriteList,
  }),
  addFavourite: endpoint({
    method: 'PUT',
    path: '/api/favourites/:productId',
    summary: 'Favourite a product (idempotent)',
    access: access.buyer,
    params: z.object({ productId: ProductId }),
    response: FavouriteState,
  }),
  removeFavourite: endpoint({
    method: 'DELETE',
    path: '/api/favourites/:productId',
    summary: 'Un-favourite a product (idempotent)',
    access: access.buyer,
    params: z.object({ productId: ProductId }),
    response: FavouriteState,
  }),

  // Addresses -----------------------------------------------------------------------
  listAddresses: endpoint({
    method: 'GET',
    path: '/api/addresses',
    summary: 'The buyer’s addresses, default first',
    access: access.buyer,
    response: AddressList,
  }),
  addAddress: endpoint({
    method: 'POST',
    path: '/api/addresses',
    summary: 'Add an address',
    access: access.buyer,
    body: AddressInput,
    response: Address,
  }),
  updateAddress: endpoint({
    method: 'PATCH',
    path: '/api/addresses/:id',
    summary: 'Change an address',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    body: AddressPatch,
    response: Address,
  }),
  removeAddress: endpoint({
    method: 'DELETE',
    path: '/api/addresses/:id',
    summary: 'Delete an address',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: AddressList,
  }),

  // Checkout and orders -------------------------------------------------------------
  previewCheckout: endpoint({
    method: 'POST',
    path: '/api/checkout/preview',
    summary:
      'The checkout priced as placing it would (current prices, the coupon asked for or the best one): every coupon of the buyer judged, with why an inapplicable one does not apply (差 ¥12.00 可用); a coupon asked for that does not apply is a 400 on body.couponId',
    access: access.buyer,
    body: CheckoutPreviewRequest,
    response: CheckoutPrice,
  }),
  createOrder: endpoint({
    method: 'POST',
    path: '/api/orders',
    summary:
      'Place an order (idempotent on clientKey); reserves stock and locks its coupon (couponId, coupon: none, or the best one) in one transaction; a coupon that does not apply is a 400, one already in use a 409, on body.couponId',
    access: access.buyer,
    body: CreateOrderRequest,
    response: Order,
  }),
  listOrders: endpoint({
    method: 'GET',
    path: '/api/orders',
    summary: 'The buyer’s orders, newest first',
    access: access.buyer,
    query: OrderListQuery,
    response: OrderPage,
  }),
  getOrder: endpoint({
    method: 'GET',
    path: '/api/orders/:id',
    summary: 'One of the buyer’s orders',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: Order,
  }),
  cancelOrder: endpoint({
    method: 'POST',
    path: '/api/orders/:id/cancel',
    summary: 'Cancel an unpaid order; its stock returns',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: Order,
  }),
  payOrder: endpoint({
    method: 'POST',
    path: '/api/orders/:id/pay',
    summary: 'Start (or resume) paying an unpaid order: wx.requestPayment parameters, or the sandbox cashier in H5',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: z.object({
      orderId: z.string(),
      prepayId: z.string(),
      requestPayment: z.object({
        appId: z.string(),
        timeStamp: z.string(),
        nonceStr: z.string(),
        package: z.string(),
        signType: z.literal('RSA'),
        paySign: z.string(),
      }),
      cashierUrl: z.string(),
    }),
  }),
  requestRefund: endpoint({
    method: 'POST',
    path: '/api/orders/:id/refunds',
    summary:
      'Ask for money back (售后) on a paid, shipped or completed order: lines and quantities or an amount, a reason, photos (the merchant approves or rejects)',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    body: RequestRefund,
    response: Refund,
  }),
  listOrderRefunds: endpoint({
    method: 'GET',
    path: '/api/orders/:id/refunds',
    summary: 'The refunds of one of the buyer’s orders',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: RefundList,
  }),
  withdrawRefund: endpoint({
    method: 'POST',
    path: '/api/orders/:id/refunds/:refundId/withdraw',
    summary: 'Take back an after-sales request the merchant has not decided yet (409 once decided)',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40), refundId: z.string().min(1).max(40) }),
    response: Refund,
  }),
  listMyRefunds: endpoint({
    method: 'GET',
    path: '/api/refunds',
    summary: 'The buyer’s after-sales requests across orders, newest first (the 售后 tab)',
    access: access.buyer,
    query: RefundListQuery,
    response: RefundPage,
  }),
  uploadBuyerImage: endpoint({
    method: 'POST',
    path: '/api/media',
    summary:
      'A buyer uploads one photo (raw body, image/png, jpeg, webp or gif, bytes checked) for their own after-sales requests and reviews',
    access: access.buyer,
    response: MediaUploaded,
  }),
  createReview: endpoint({
    method: 'POST',
    path: '/api/reviews',
    summary: 'Review one line of a received order (1–5, text, up to 6 photos); one per line',
    access: access.buyer,
    body: CreateReview,
    response: MyReview,
  }),
  updateReview: endpoint({
    method: 'PATCH',
    path: '/api/reviews/:id',
    summary: 'Edit one’s review, once, within 7 days',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    body: UpdateReview,
    response: MyReview,
  }),
  listOrderReviews: endpoint({
    method: 'GET',
    path: '/api/orders/:id/reviews',
    summary: 'The buyer’s reviews of one of their orders’ lines',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: MyReviewList,
  }),
  listProductReviews: endpoint({
    method: 'GET',
    path: '/api/products/:id/reviews',
    summary: 'A product’s rating and its visible reviews, newest first (`photos=1`: only with photos)',
    params: z.object({ id: ProductId }),
    query: ProductReviewQuery,
    response: ProductReviewPage,
  }),
  confirmReceipt: endpoint({
    method: 'POST',
    path: '/api/orders/:id/confirm-receipt',
    summary: 'The buyer confirms a shipped order arrived',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: Order,
  }),

  // Coupons, buyer side (docs/decisions/0024-coupons.md) ------------------------------
  claimCentre: endpoint({
    method: 'GET',
    path: '/api/coupon-centre',
    summary: 'The claim centre (领券中心): published claimable coupons with stock left, and how many of each the buyer holds',
    access: access.buyer,
    response: ClaimableCouponList,
  }),
  productCoupons: endpoint({
    method: 'GET',
    path: '/api/products/:id/coupons',
    summary: 'Claimable coupons that cover this product (whole shop, the product, or its category)',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: ClaimableCouponList,
  }),
  claimCoupon: endpoint({
    method: 'POST',
    path: '/api/coupon-templates/:id/claim',
    summary:
      'Claim one coupon of a published claimable template (idempotent on requestKey); 409 when none is left or the buyer is at the limit',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    body: ClaimCouponRequest,
    response: ClaimCouponResult,
  }),
  myCoupons: endpoint({
    method: 'GET',
    path: '/api/coupons',
    summary: 'The buyer’s wallet (我的优惠券): usable (soonest to expire first), used or expired, with source and validity',
    access: access.buyer,
    query: WalletQuery,
    response: WalletPage,
  }),
  getMyCoupon: endpoint({
    method: 'GET',
    path: '/api/coupons/:id',
    summary: 'One of the buyer’s coupons (another buyer’s answers 404)',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: BuyerCoupon,
  }),

  // Merchant console ----------------------------------------------------------------
  staffLogin: endpoint({
    method: 'POST',
    path: '/api/admin/login',
    summary: 'Staff sign-in',
    body: StaffLoginRequest,
    response: StaffLoginResponse,
  }),
  adminListOrders: endpoint({
    method: 'GET',
    path: '/api/admin/orders',
    summary: 'All orders, newest first',
    access: access.staff('owner', 'clerk'),
    query: OrderListQuery,
    response: OrderPage,
  }),
  exportOrders: endpoint({
    method: 'GET',
    path: '/api/admin/orders/export.csv',
    summary:
      'The orders adminListOrders lists with the same filters, as a CSV file (UTF-8 with BOM, China time, yuan), streamed; audited',
    access: access.staff('owner', 'clerk'),
    query: OrderExportQuery,
    response: z.string(),
    download: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  }),
  adminGetOrder: endpoint({
    method: 'GET',
    path: '/api/admin/orders/:id',
    summary: 'Any order',
    access: access.staff('owner', 'clerk'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: Order,
  }),
  adminOrderMoney: endpoint({
    method: 'GET',
    path: '/api/admin/orders/:id/money',
    summary: 'Payment, refunds and every WeChat Pay notification of one order',
    access: access.staff('owner', 'clerk'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: OrderMoney,
  }),
  adminNotificationLog: endpoint({
    method: 'GET',
    path: '/api/admin/pay-notifications',
    summary: 'The WeChat Pay notification log, newest first (refused ones included, with the reason)',
    access: access.staff('owner'),
    query: z.object({
      outcome: z.string().max(32).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    response: z.object({ items: z.array(NotificationLogEntry) }),
  }),
  adminReconciliation: endpoint({
    method: 'GET',
    path: '/api/admin/reconciliation',
    summary: 'One day: paid in our records vs paid per WeChat Pay, and where they differ',
    access: access.staff('owner'),
    query: z.object({ date: CalendarDate }),
    response: ReconciliationSummary,
  }),
  adminListRefunds: endpoint({
    method: 'GET',
    path: '/api/admin/refunds',
    summary: 'Refunds, newest first, optionally by status (ABNORMAL ones need attention)',
    access: access.staff('owner', 'clerk'),
    query: z.object({ status: RefundStatus.optional() }),
    response: RefundList,
  }),
  approveRefund: endpoint({
    method: 'POST',
    path: '/api/admin/refunds/:id/approve',
    summary: 'Approve a refund: WeChat Pay sends the money back; stock returns as chosen',
    access: access.staff('owner'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: ApproveRefund,
    response: Refund,
  }),
  rejectRefund: endpoint({
    method: 'POST',
    path: '/api/admin/refunds/:id/reject',
    summary: 'Reject a refund request with a reason',
    access: access.staff('owner'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: RejectRefund,
    response: Refund,
  }),
  adminListReviews: endpoint({
    method: 'GET',
    path: '/api/admin/reviews',
    summary: 'Reviews, newest first, hidden ones included (filter by product, hidden)',
    access: access.staff('owner', 'marketer'),
    query: AdminReviewQuery,
    response: AdminReviewPage,
  }),
  replyToReview: endpoint({
    method: 'POST',
    path: '/api/admin/reviews/:id/reply',
    summary: 'The merchant’s reply under a review (replaces an earlier reply; audited)',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: ReplyToReview,
    response: AdminReview,
  }),
  hideReview: endpoint({
    method: 'POST',
    path: '/api/admin/reviews/:id/hide',
    summary: 'Hide a review from the product page and its rating (audited)',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: HideReview,
    response: AdminReview,
  }),
  unhideReview: endpoint({
    method: 'POST',
    path: '/api/admin/reviews/:id/unhide',
    summary: 'Show a hidden review again (audited)',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: AdminReview,
  }),
  createStaff: endpoint({
    method: 'POST',
    path: '/api/admin/staff',
    summary: 'Add a staff member (owner only)',
    access: access.staff('owner'),
    body: CreateStaffRequest,
    response: StaffMember,
  }),
  listStaff: endpoint({
    method: 'GET',
    path: '/api/admin/staff',
    summary: 'Every staff account: role, disabled, sign-in lock, last sign-in (owner only)',
    access: access.staff('owner'),
    response: StaffList,
  }),
  updateStaff: endpoint({
    method: 'PATCH',
    path: '/api/admin/staff/:id',
    summary:
      'Change a member’s role or disable/enable them; ends their sessions; never oneself, never the last enabled owner (owner only; audited)',
    access: access.staff('owner'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: StaffUpdate,
    response: StaffAccount,
  }),
  resetStaffPassword: endpoint({
    method: 'POST',
    path: '/api/admin/staff/:id/password',
    summary: 'Set a member’s new password; ends their sessions and lifts a sign-in lock (owner only; audited)',
    access: access.staff('owner'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: ResetStaffPassword,
    response: StaffAccount,
  }),
  unlockStaff: endpoint({
    method: 'POST',
    path: '/api/admin/staff/:id/unlock',
    summary: 'Lift a staff member’s sign-in lock after repeated wrong passwords (owner only; audited)',
    access: access.staff('owner'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: StaffMember,
  }),
  listAudit: endpoint({
    method: 'GET',
    path: '/api/admin/audit',
    summary: 'Who changed what, newest first (owner only)',
    access: access.staff('owner'),
    query: z.object({
      cursor: z.string().max(40).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
    response: AuditPage,
  }),
  shipOrder: endpoint({
    method: 'POST',
    path: '/api/admin/orders/:id/ship',
    summary: 'Mark a paid order shipped with carrier and tracking number',
    access: access.staff('owner', 'clerk'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: ShipOrderRequest,
    response: Order,
  }),

  // Merchant console: shop settings. Owner only; every change is audited.
  getShopSettings: endpoint({
    method: 'GET',
    path: '/api/admin/shop-settings',
    summary: 'The shop’s name, logo, service phone and shipping rule (owner only)',
    access: access.staff('owner'),
    response: ShopSettings,
  }),
  updateShopSettings: endpoint({
    method: 'PATCH',
    path: '/api/admin/shop-settings',
    summary: 'Change exactly the settings named (`{}` changes nothing); money in integer fen (owner only)',
    access: access.staff('owner'),
    body: ShopSettingsPatch,
    response: ShopSettings,
  }),

  // Merchant console: catalog. Owner and marketer manage it; a clerk may change stock only
  // (docs/decisions/0009-catalog-management-roles.md). Every change is audited.
  adminListProducts: endpoint({
    method: 'GET',
    path: '/api/admin/products',
    summary: 'Every product, published or not, a page at a time (keyword and category filters)',
    access: access.staff('owner', 'marketer', 'clerk'),
    query: AdminProductListQuery,
    response: AdminProductPage,
  }),
  adminGetProduct: endpoint({
    method: 'GET',
    path: '/api/admin/products/:id',
    summary: 'One product, published or not, with its specs and SKUs',
    access: access.staff('owner', 'marketer', 'clerk'),
    params: z.object({ id: ProductId }),
    response: AdminProduct,
  }),
  createProduct: endpoint({
    method: 'POST',
    path: '/api/admin/products',
    summary: 'Create an unpublished product with its specs and SKUs',
    access: access.staff('owner', 'marketer'),
    body: ProductCreate,
    response: AdminProduct,
  }),
  updateProduct: endpoint({
    method: 'PATCH',
    path: '/api/admin/products/:id',
    summary: 'Change a product’s names, texts, category, images, specs or SKU set',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: ProductId }),
    body: ProductUpdate,
    response: AdminProduct,
  }),
  publishProduct: endpoint({
    method: 'POST',
    path: '/api/admin/products/:id/publish',
    summary: 'Show a product to buyers',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: ProductId }),
    response: AdminProduct,
  }),
  unpublishProduct: endpoint({
    method: 'POST',
    path: '/api/admin/products/:id/unpublish',
    summary: 'Hide a product from buyers',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: ProductId }),
    response: AdminProduct,
  }),
  setSkuPrice: endpoint({
    method: 'PUT',
    path: '/api/admin/skus/:skuId/price',
    summary: 'Change a SKU’s price (integer fen)',
    access: access.staff('owner', 'marketer'),
    params: z.object({ skuId: SkuId }),
    body: SkuPriceChange,
    response: AdminSku,
  }),
  setSkuStock: endpoint({
    method: 'PUT',
    path: '/api/admin/skus/:skuId/stock',
    summary: 'Set a SKU’s stock to a counted number of units',
    access: access.staff('owner', 'marketer', 'clerk'),
    params: z.object({ skuId: SkuId }),
    body: SkuStockSet,
    response: AdminSku,
  }),
  adjustSkuStock: endpoint({
    method: 'POST',
    path: '/api/admin/skus/:skuId/stock-adjustments',
    summary: 'Add or take off units; refused (409 OUT_OF_STOCK) if stock would go below zero',
    access: access.staff('owner', 'marketer', 'clerk'),
    params: z.object({ skuId: SkuId }),
    body: SkuStockAdjust,
    response: AdminSku,
  }),
  createCategory: endpoint({
    method: 'POST',
    path: '/api/admin/categories',
    summary: 'Add a category',
    access: access.staff('owner', 'marketer'),
    body: CategoryCreate,
    response: Category,
  }),
  updateCategory: endpoint({
    method: 'PATCH',
    path: '/api/admin/categories/:id',
    summary: 'Rename, re-icon or move a category',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: CategoryId }),
    body: CategoryUpdate,
    response: Category,
  }),
  reorderCategories: endpoint({
    method: 'PUT',
    path: '/api/admin/categories/order',
    summary:
      'Put the shelf in a new order in one change: every category once, first shown first (409 when the list is not the current set)',
    access: access.staff('owner', 'marketer'),
    body: CategoryOrder,
    response: CategoryList,
  }),
  deleteCategory: endpoint({
    method: 'DELETE',
    path: '/api/admin/categories/:id',
    summary: 'Delete an empty category (409 while products are in it)',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: CategoryId }),
    response: CategoryList,
  }),
  uploadImage: endpoint({
    method: 'POST',
    path: '/api/admin/media',
    summary:
      'Upload one image as the raw request body (Content-Type image/png, jpeg, webp or gif; at most MEDIA_MAX_UPLOAD_BYTES); answers its URL',
    access: access.staff('owner', 'marketer'),
    response: MediaUploaded,
  }),

  // Merchant console: coupon templates (owner and marketer; every change audited;
  // docs/decisions/0024-coupons.md).
  adminListCouponTemplates: endpoint({
    method: 'GET',
    path: '/api/admin/coupon-templates',
    summary: 'Coupon templates, newest first, optionally by status, with issued and used counts',
    access: access.staff('owner', 'marketer'),
    query: CouponTemplateListQuery,
    response: CouponTemplatePage,
  }),
  adminGetCouponTemplate: endpoint({
    method: 'GET',
    path: '/api/admin/coupon-templates/:id',
    summary: 'One coupon template',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: CouponTemplate,
  }),
  createCouponTemplate: endpoint({
    method: 'POST',
    path: '/api/admin/coupon-templates',
    summary: 'Create a coupon template as a draft (benefit, scope, validity, stock, per-buyer limit)',
    access: access.staff('owner', 'marketer'),
    body: CouponTemplateInput,
    response: CouponTemplate,
  }),
  updateCouponTemplate: endpoint({
    method: 'PATCH',
    path: '/api/admin/coupon-templates/:id',
    summary:
      'Change exactly the fields named; coupons already issued keep their terms; totalStock may not go below issued (409)',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: CouponTemplatePatch,
    response: CouponTemplate,
  }),
  publishCouponTemplate: endpoint({
    method: 'POST',
    path: '/api/admin/coupon-templates/:id/publish',
    summary: 'Start issuing (a draft, or a stopped template again)',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: CouponTemplate,
  }),
  stopCouponTemplate: endpoint({
    method: 'POST',
    path: '/api/admin/coupon-templates/:id/stop',
    summary: 'Stop issuing; coupons buyers already hold stay usable',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: CouponTemplate,
  }),
  staffIssueCoupon: endpoint({
    method: 'POST',
    path: '/api/admin/coupon-templates/:id/issue',
    summary:
      'Give one coupon of a published template to a buyer (idempotent on requestKey); counts against stock and the per-buyer limit',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: StaffIssueCouponRequest,
    response: BuyerCoupon,
  }),

  // Merchant console: the dashboard, read from daily aggregate rows only
  // (docs/decisions/0021-dashboard-aggregates.md).
  dashboardOverview: endpoint({
    method: 'GET',
    path: '/api/admin/dashboard',
    summary:
      'Today / 7 / 30 days (China time): GMV, paid orders, buyers, average order value, refund rate, new buyers; daily series, orders by status, top products, today’s hourly heat',
    access: access.staff('owner', 'marketer'),
    query: z.object({ range: DashboardRange.default('7d') }),
    response: DashboardOverview,
  }),
  dashboardToday: endpoint({
    method: 'GET',
    path: '/api/admin/dashboard/today',
    summary: 'Today’s numbers (China time) for every staff role, the counter included',
    access: access.staff('owner', 'marketer', 'clerk'),
    response: DashboardToday,
  }),

  // Merchant console: the credential check (owner only; audited). Each configured WeChat
  // credential is tried against WeChat; the answer names what is wrong, never a secret.
  checkCredentials: endpoint({
    method: 'POST',
    path: '/api/admin/credentials/check',
    summary:
      'Try the official account, mini-program and WeChat Pay credentials against WeChat: OK or what is wrong, in words',
    access: access.staff('owner'),
    response: CredentialCheckResult,
  }),

  // A staff member's WeChat identity (docs/decisions/0026-staff-wechat-binding.md): the
  // console issues a one-time code, the mini-program's merchant bind page consumes it.
  getWechatBinding: endpoint({
    method: 'GET',
    path: '/api/admin/me/wechat-binding',
    summary: 'Whether the signed-in staff member’s WeChat is bound',
    access: access.staff('owner', 'marketer', 'clerk'),
    response: WechatBindingStatus,
  }),
  issueWechatBindingCode: endpoint({
    method: 'POST',
    path: '/api/admin/me/wechat-binding',
    summary:
      'A one-time 8-digit code (10 minutes) and the mini-program page that binds with it; an earlier code stops working (audited)',
    access: access.staff('owner', 'marketer', 'clerk'),
    response: WechatBindingCode,
  }),
  changeOwnPassword: endpoint({
    method: 'POST',
    path: '/api/admin/me/password',
    summary:
      'The signed-in member changes their own password: the current one must match (wrong guesses count toward the sign-in lock); their other sign-ins end, this one stays (audited)',
    access: access.staff('owner', 'marketer', 'clerk'),
    body: ChangeOwnPassword,
    response: z.object({ ok: z.literal(true), signedOutElsewhere: z.number().int().nonnegative() }),
  }),
  unbindWechat: endpoint({
    method: 'DELETE',
    path: '/api/admin/me/wechat-binding',
    summary: 'Unbind the signed-in staff member’s WeChat (audited)',
    access: access.staff('owner', 'marketer', 'clerk'),
    response: WechatBindingStatus,
  }),

  // The mini-program's merchant pages (pkg-merchant): the buyer's session, authorised by
  // the staff member bound to that WeChat, with the same roles as the console's endpoints.
  merchantMe: endpoint({
    method: 'GET',
    path: '/api/merchant/me',
    summary: 'Whether this WeChat is bound to an active staff member (and whose): {bound:false} for any other buyer',
    access: access.buyer,
    response: MerchantMe,
  }),
  bindMerchant: endpoint({
    method: 'POST',
    path: '/api/merchant/binding',
    summary: 'Bind this WeChat to the staff member whose one-time code it is (the code works once; audited)',
    access: access.buyer,
    body: BindWechatRequest,
    response: MerchantMe,
  }),
  merchantToday: endpoint({
    method: 'GET',
    path: '/api/merchant/today',
    summary: 'Today’s numbers (as dashboardToday)',
    access: access.boundStaff('owner', 'marketer', 'clerk'),
    response: DashboardToday,
  }),
  merchantShipQueue: endpoint({
    method: 'GET',
    path: '/api/merchant/orders/to-ship',
    summary: 'Paid orders not yet shipped, the longest waiting first',
    access: access.boundStaff('owner', 'clerk'),
    query: MerchantShipQueueQuery,
    response: MerchantShipQueue,
  }),
  merchantShipOrder: endpoint({
    method: 'POST',
    path: '/api/merchant/orders/:id/ship',
    summary: 'Ship a paid order with carrier and tracking number (as shipOrder; audited as the bound staff member)',
    access: access.boundStaff('owner', 'clerk'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: ShipOrderRequest,
    response: Order,
  }),
  merchantRefundRequests: endpoint({
    method: 'GET',
    path: '/api/merchant/refunds',
    summary: 'Refund requests waiting for an answer, newest first (as adminListRefunds with status REQUESTED)',
    access: access.boundStaff('owner', 'clerk'),
    response: RefundList,
  }),
  merchantApproveRefund: endpoint({
    method: 'POST',
    path: '/api/merchant/refunds/:id/approve',
    summary: 'Approve a refund (as approveRefund)',
    access: access.boundStaff('owner'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: ApproveRefund,
    response: Refund,
  }),
  merchantRejectRefund: endpoint({
    method: 'POST',
    path: '/api/merchant/refunds/:id/reject',
    summary: 'Reject a refund request with a reason (as rejectRefund)',
    access: access.boundStaff('owner'),
    params: z.object({ id: z.string().min(1).max(40) }),
    body: RejectRefund,
    response: Refund,
  }),
  // Group red-envelope packs (docs/decisions/0025-red-envelopes.md)
  createRedEnvelopePack: endpoint({
    method: 'POST',
    path: '/api/admin/red-envelopes',
    summary:
      'Create a red-envelope pack: budget split into shares at once (persisted, sum exact), each share a coupon of the design; audited',
    access: access.staff('owner', 'marketer'),
    body: CreateRedEnvelopePackRequest,
    response: RedEnvelopePack,
  }),
  merchantCreateRedEnvelopePack: endpoint({
    method: 'POST',
    path: '/api/merchant/red-envelopes',
    summary: 'Create a red-envelope pack from the merchant pages (as createRedEnvelopePack)',
    access: access.boundStaff('owner', 'marketer'),
    body: CreateRedEnvelopePackRequest,
    response: RedEnvelopePack,
  }),
  adminListRedEnvelopePacks: endpoint({
    method: 'GET',
    path: '/api/admin/red-envelopes',
    summary: 'Red-envelope packs, newest first, with grabbed, orders and GMV',
    access: access.staff('owner', 'marketer'),
    query: RedEnvelopePackListQuery,
    response: RedEnvelopePackPage,
  }),
  adminGetRedEnvelopePack: endpoint({
    method: 'GET',
    path: '/api/admin/red-envelopes/:id',
    summary:
      'One pack with its numbers: funded, grabbed, used, returned, left, orders, GMV, share links and share tree',
    access: access.staff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: RedEnvelopePackDetail,
  }),
  merchantGetRedEnvelopePack: endpoint({
    method: 'GET',
    path: '/api/merchant/red-envelopes/:id',
    summary: 'One pack with its numbers, for the merchant pages (as adminGetRedEnvelopePack)',
    access: access.boundStaff('owner', 'marketer'),
    params: z.object({ id: z.string().min(1).max(40) }),
    response: RedEnvelopePackDetail,
  }),
  getRedEnvelope: endpoint({
    method: 'GET',
    path: '/api/red-envelopes/:id',
    summary:
      'The pack’s page: amounts grabbed, everyone’s grabs (luckiest marked), the buyer’s own grab and coupon, and their state',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    response: RedEnvelopeView,
  }),
  openRedEnvelope: endpoint({
    method: 'POST',
    path: '/api/red-envelopes/:id/open',
    summary:
      'The page opened from a share card: records the share (sharer → group → pack), decrypts the group with the buyer’s session key, answers the page with its state',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    body: RedEnvelopeOpenRequest,
    response: RedEnvelopeView,
  }),
  grabRedEnvelope: endpoint({
    method: 'POST',
    path: '/api/red-envelopes/:id/grab',
    summary:
      'Grab a share (one Redis script: dedupe, group check, pop, record); answers the amount at once, the coupon follows; 429 with Retry-After when too fast',
    access: access.buyer,
    params: z.object({ id: z.string().min(1).max(40) }),
    body: RedEnvelopeOpenRequest,
    response: RedEnvelopeGrabResult,
  }),
  ...membershipEndpoints,
  ...campaignEndpoints,
  ...followersEndpoints,
  ...touchpointsEndpoints,
} as const;

export type Contract = typeof contract;
export type EndpointName = keyof Contract;

/** What a caller passes: params, query and body, each only when the endpoint has any. */
export type RequestOf<E extends Endpoint> =
  z.input<E['params']> extends Record<string, never>
    ? OptionalParts<E>
    : { params: z.input<E['params']> } & OptionalParts<E>;
type OptionalParts<E extends Endpoint> = { query?: z.input<E['query']>; body?: z.input<E['body']> };
export type ResponseOf<E extends Endpoint> = z.infer<E['response']>;

/** `/api/products/:id` + `{ id: 'prod_1' }` → `/api/products/prod_1` (segments URL-encoded). */
export function fillPath(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') throw new Error(`missing path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
}

/** Query object → `?a=1&b=2`, skipping undefined values. */
export function queryString(query: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
