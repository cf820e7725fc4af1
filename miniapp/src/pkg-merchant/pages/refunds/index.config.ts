export default definePageConfig({
  navigationBarTitleText: '退款申请',
  enablePullDownRefresh: true,
});
