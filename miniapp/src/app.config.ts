import { routes } from './routes';

export default defineAppConfig({
  // The first page is the one the mini-program opens on.
  pages: [routes.home, routes.product],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '茶与点心',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f6f4ef',
  },
});
