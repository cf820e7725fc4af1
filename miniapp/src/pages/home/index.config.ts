export default definePageConfig({
  navigationBarTitleText: '茶与点心',
  enablePullDownRefresh: true,
});
