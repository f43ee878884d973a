import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from '@/components/Layout';
import { Toaster } from '@/components/ui/toast';
import { ComposePage } from '@/features/admin/ComposePage';
import { AuthProvider, useAuth } from '@/features/auth/AuthProvider';
import { LoginPage } from '@/features/auth/LoginPage';
import { LiveProvider } from '@/features/live/LiveProvider';
import { DashboardPage } from '@/features/notifications/DashboardPage';
import { PreferencesPage } from '@/features/preferences/PreferencesPage';
import { TopicsPage } from '@/features/topics/TopicsPage';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // the socket keeps the caches current; refetching on focus would only repeat it
      queries: { staleTime: 60_000, refetchOnWindowFocus: false, retry: 1 },
    },
  });
}

function Routed() {
  const { session, restoring, isAdmin, me } = useAuth();
  if (restoring) {
    return <p role="status" className="p-6 text-sm text-muted-foreground">Signing in…</p>;
  }
  if (!session) {
    return <LoginPage />;
  }
  return (
    <LiveProvider>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<DashboardPage />} />
          <Route path="preferences" element={<PreferencesPage />} />
          <Route path="topics" element={<TopicsPage />} />
          {/* who may send is known once /me answered: a reload of /admin waits for it rather than leaving */}
          <Route
            path="admin"
            element={
              isAdmin ? (
                <ComposePage />
              ) : me ? (
                <Navigate to="/" replace />
              ) : (
                <p role="status" className="text-sm text-muted-foreground">
                  Loading…
                </p>
              )
            }
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </LiveProvider>
  );
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <Routed />
        <Toaster />
      </AuthProvider>
    </QueryClientProvider>
  );
}
