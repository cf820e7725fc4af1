export default definePageConfig({
  navigationBarTitleText: '会员码',
  // The clerk's scanner reads the screen better at full brightness; WeChat keeps it on.
  navigationBarBackgroundColor: '#3b3427',
  navigationBarTextStyle: 'white',
});
