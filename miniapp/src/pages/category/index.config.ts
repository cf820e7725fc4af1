export default definePageConfig({
  navigationBarTitleText: '分类',
  // The two columns scroll on their own.
  disableScroll: true,
});
