export default definePageConfig({
  // The shop's name comes from its settings at run time (Taro.setNavigationBarTitle).
  navigationBarTitleText: '',
  enablePullDownRefresh: true,
});
