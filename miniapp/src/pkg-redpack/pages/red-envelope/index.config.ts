export default definePageConfig({
  navigationBarTitleText: '群红包',
  navigationBarBackgroundColor: '#d9412e',
  navigationBarTextStyle: 'white',
  enableShareAppMessage: true,
});
