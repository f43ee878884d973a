import type { QuietHours, TokenProvider } from '@notify/client';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { cookieSession } from './session';
import { NotifyStore, type NotifyState, type NotifyStoreOptions } from './store';

const NotifyContext = createContext<NotifyStore | null>(null);

export interface NotifyProviderProps extends Omit<NotifyStoreOptions, 'token'> {
  /**
   * Your app's tokens: asked with 'connect' before each call and socket upgrade, with 'refresh' when one
   * expires or is refused. Or 'cookie' for the dashboard's session cookie (same site as Notify only).
   */
  token: TokenProvider | 'cookie';
  children?: ReactNode;
}

/**
 * Holds one user's live socket and inbox state for the components and hooks below it. Mount it once a
 * user is signed in (its key, or unmounting it, ends the socket); the token provider is read once.
 */
export function NotifyProvider({ children, token, ...options }: NotifyProviderProps) {
  const [store] = useState(() => new NotifyStore({ ...options, token: token === 'cookie' ? cookieSession(options.baseUrl) : token }));
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  return <NotifyContext.Provider value={store}>{children}</NotifyContext.Provider>;
}

/** The provider's store (its REST client is `.api`), for what the hooks below don't cover. */
export function useNotifyStore(): NotifyStore {
  const store = useContext(NotifyContext);
  if (!store) {
    throw new Error('@notify/react: wrap your components in <NotifyProvider>');
  }
  return store;
}

/** A slice of the provider's state, live (for hooks built on the store). */
export function useNotifyState<T>(select: (state: NotifyState) => T): T {
  const store = useNotifyStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

/** The newest notifications, live, and what a user does with them. */
export function useNotifications() {
  const store = useNotifyStore();
  const items = useNotifyState((s) => s.items);
  const loaded = useNotifyState((s) => s.loaded);
  const error = useNotifyState((s) => s.error);
  return {
    items,
    loaded,
    error,
    markRead: (id: string) => store.markRead(id),
    markAllRead: () => store.markAllRead(),
    remove: (id: string) => store.remove(id),
    archive: (id: string) => store.archive(id),
    /** out of the list and the counts until `until`, then back unread */
    snooze: (id: string, until: Date) => store.snooze(id, until),
    /** everything shown is seen (a bell opened): the unseen count drops to 0, the unread ones stay unread */
    markSeen: () => store.markSeen(),
    clicked: (id: string) => store.clicked(id),
    /** one of its action buttons pressed: resolves once the server recorded it, rejects (an ApiError) when it did not */
    completeAction: (id: string, actionId: string) => store.completeAction(id, actionId),
    reload: () => store.reload(),
  };
}

/** Unread notifications (the types switched off excluded), live. */
export function useUnreadCount(): number {
  return useNotifyState((s) => s.unread);
}

/** Unread notifications the user has not seen yet (a bell's badge: opening the bell marks them seen), live. */
export function useUnseenCount(): number {
  return useNotifyState((s) => s.unseen);
}

/** The live socket: connecting, connected, reconnecting or offline. */
export function useConnection() {
  return useNotifyState((s) => s.status);
}

/** The user's notification types switched on or off and their quiet hours (loaded on first use), and saving them. */
export function usePreferences() {
  const store = useNotifyStore();
  const preferences = useNotifyState((s) => s.preferences);
  useEffect(() => {
    if (!store.getState().preferences) {
      void store.loadPreferences();
    }
  }, [store]);
  return {
    preferences,
    save: (next: NonNullable<NotifyState['preferences']>) => store.savePreferences(next),
    /** quiet hours on or changed (the types keep their settings); rejects with the ApiError when refused */
    saveQuietHours: (quietHours: QuietHours) => store.saveQuietHours(quietHours),
    /** quiet hours off; rejects with the ApiError when it failed */
    clearQuietHours: () => store.clearQuietHours(),
  };
}
