export default definePageConfig({
  navigationBarTitleText: '会员码',
  // Dark bar above a white code: the scanner sees the code, not the page.
  navigationBarBackgroundColor: '#3b3427',
  navigationBarTextStyle: 'white',
});
