export default definePageConfig({
  navigationBarTitleText: '发红包',
  enableShareAppMessage: true,
});
