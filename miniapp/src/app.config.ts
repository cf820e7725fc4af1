import { mainPages, subpackagePages, tabs } from './routes';

export default defineAppConfig({
  // The first page is the one the mini-program opens on.
  pages: mainPages(),
  subPackages: subpackagePages(),
  // 门店 Stores sorts by distance: WeChat refuses wx.getLocation unless it is declared here.
  requiredPrivateInfos: ['getLocation'],
  permission: { 'scope.userLocation': { desc: '用于按距离显示附近门店' } },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    // Each page names itself; the home page shows the shop's name from its settings.
    navigationBarTitleText: '',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f6f4ef',
  },
  tabBar: {
    color: '#9a968c',
    selectedColor: '#5b7a3a',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    // Icons are drawn by scripts/tab-icons.mjs (81×81 PNG; the tab bar needs local images).
    list: tabs.map((t) => ({
      pagePath: t.route,
      text: t.text,
      iconPath: `assets/tab/${t.icon}.png`,
      selectedIconPath: `assets/tab/${t.icon}-active.png`,
    })),
  },
});
