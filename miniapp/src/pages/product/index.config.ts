export default definePageConfig({
  navigationBarTitleText: '商品详情',
  // Required for useShareAppMessage: the share menu stays off otherwise.
  enableShareAppMessage: true,
});
