import { useQuery, useQueryClient } from '@tanstack/react-query';
import * as React from 'react';
import { api } from '@/api/client';
import type { Me } from '@/api/types';
import { load, login as signIn, logout as signOut, REFRESH_MARGIN_MS, restore, subscribe, validToken, type Session } from './session';

interface AuthState {
  session: Session | null;
  /** true while a reload or a new tab restores its session from the cookie (neither signed in nor out yet) */
  restoring: boolean;
  me: Me | undefined;
  isAdmin: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = React.createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: React.ReactNode }) {
  const [session, setSession] = React.useState<Session | null>(load);
  const [restoring, setRestoring] = React.useState(() => load() === null);
  const queryClient = useQueryClient();
  const signedIn = session !== null;

  React.useEffect(() => subscribe(setSession), []);

  // a reload or a new tab: the access token is only ever in memory, the session cookie brings it back
  React.useEffect(() => {
    if (load() !== null) {
      return;
    }
    let live = true;
    void restore().finally(() => live && setRestoring(false));
    return () => {
      live = false;
    };
  }, []);

  React.useEffect(() => {
    if (!signedIn) {
      queryClient.clear(); // nothing of the previous user stays in memory
    }
  }, [signedIn, queryClient]);

  // refresh ahead of expiry even when the page is idle, so the socket keeps its token: just inside
  // the refresh margin (where validToken refreshes), with jitter to spread the tabs (the lock in
  // session.refresh lets only one of them rotate anyway)
  const expiresAt = session?.expiresAt;
  React.useEffect(() => {
    if (expiresAt === undefined) {
      return;
    }
    const due = Math.max(0, expiresAt - Date.now() - REFRESH_MARGIN_MS + 1000 + Math.random() * 10_000);
    const timer = setTimeout(() => void validToken().catch(() => undefined), due);
    return () => clearTimeout(timer);
  }, [expiresAt]);

  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => api.me(),
    enabled: signedIn,
    staleTime: 5 * 60_000,
  });

  const value = React.useMemo<AuthState>(
    () => ({
      session,
      restoring: restoring && session === null,
      me: me.data,
      isAdmin: me.data?.roles?.includes('admin') ?? false,
      login: async (username, password) => {
        await signIn(username, password);
      },
      logout: signOut,
    }),
    [session, restoring, me.data],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = React.useContext(AuthContext);
  if (!value) {
    throw new Error('useAuth outside AuthProvider');
  }
  return value;
}
