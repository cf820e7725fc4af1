export default definePageConfig({
  navigationBarTitleText: '我的',
  navigationBarBackgroundColor: '#5b7a3a',
  navigationBarTextStyle: 'white',
});
