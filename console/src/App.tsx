/**
 * The console's frame: queries, the Ant Design theme (Chinese locale), and the routes. Only
 * sign-in is in the first bundle; the layout and every page load when first opened.
 */
import { ApiError } from '@chatmall/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { session } from './api/session';
import { useSession } from './api/use-session';
import { Loading } from './components/states';
import { SignInPage } from './pages/sign-in/SignInPage';

const ConsoleLayout = lazy(() => import('./layout/ConsoleLayout'));
const PageRoutes = lazy(() => import('./routes'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or malformed call does not get better by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
  },
});

/** No session: to sign-in, remembering the page unless the staff member signed out by hand. */
function RequireSession({ children }: { children: ReactNode }) {
  const current = useSession();
  const location = useLocation();
  if (current) return children;
  const here = location.pathname + location.search;
  const remember = session.reason() !== 'signed-out' && here !== '/';
  return <Navigate to={remember ? `/sign-in?next=${encodeURIComponent(here)}` : '/sign-in'} replace />;
}

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#07c160', borderRadius: 6 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter basename="/console">
            <Routes>
              <Route path="/sign-in" element={<SignInPage onSignedIn={() => queryClient.clear()} />} />
              <Route
                path="/*"
                element={
                  <RequireSession>
                    <Suspense fallback={<Loading full />}>
                      <ConsoleLayout>
                        <Suspense fallback={<Loading />}>
                          <PageRoutes />
                        </Suspense>
                      </ConsoleLayout>
                    </Suspense>
                  </RequireSession>
                }
              />
            </Routes>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
