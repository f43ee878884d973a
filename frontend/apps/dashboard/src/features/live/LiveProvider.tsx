import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import * as React from 'react';
import { toast } from '@/components/ui/toast';
import { LiveSocket, socketUrl, type ConnectionStatus, type LiveEvent } from '@notify/client';
import { load, refresh, REFRESH_MARGIN_MS, subscribe, validToken } from '@/features/auth/session';
import { markClicked } from '@/features/notifications/api';
import { applyToInbox, reloadInbox } from '@/features/notifications/cache';
import { typeIcon } from '@/features/notifications/presentation';
import { subscribersKey, TOPICS_KEY } from '@/features/topics/key';

export interface Live {
  status: ConnectionStatus;
  noteSeq: (seq: number) => void;
  /** the user opened this notification's link: over the socket when it is open, else over REST */
  clicked: (id: string) => void;
}

/** A click over REST; quiet when it fails (the user followed the link either way). */
const clickedOverRest = (id: string) => void markClicked(id).catch(() => undefined);

export const LiveContext = React.createContext<Live>({ status: 'offline', noteSeq: () => undefined, clicked: clickedOverRest });

export function useLive(): Live {
  return React.useContext(LiveContext);
}

/**
 * What each server event does to the app: the caches every view reads (through @notify/client's applyLiveEvent), and
 * toasts (none for a `silent` notification, pushed during the user's quiet hours: it still lands in the inbox and counts).
 */
export function handleLiveEvent(qc: QueryClient, event: LiveEvent): void {
  if (event.type === 'notification' && !event.payload.read && !event.silent) { // silent: the user's quiet hours
    const n = event.payload;
    const Icon = typeIcon(n.type);
    const urgent = n.priority === 'urgent';
    toast({
      title: urgent ? `Urgent: ${n.title}` : event.resurfaced ? `Back: ${n.title}` : (n.title ?? 'New notification'),
      description: n.message,
      variant: urgent ? 'urgent' : n.priority === 'high' ? 'high' : 'default',
      duration: urgent ? Infinity : 6000, // urgent stays until dismissed
      icon: <Icon className="mt-0.5 h-5 w-5 shrink-0" aria-hidden />,
    });
  } else if (event.type === 'preferences_updated') {
    qc.setQueryData(['preferences'], event.preferences);
  } else if (event.type === 'subscription_changed') {
    // followed or unfollowed in another tab or device (or by an admin): the Topics page's lists as the server has them
    void qc.invalidateQueries({ queryKey: TOPICS_KEY });
    void qc.invalidateQueries({ queryKey: subscribersKey(event.topic) });
  }
  switch (applyToInbox(qc, event)) {
    case 'reload':
      reloadInbox(qc);
      return;
    case 'token':
      // an admin changed this user's company or roles: a token that says so (handed to the socket by the
      // session listener below), then what the app shows by it
      void refresh(load()?.accessToken)
        .catch(() => undefined)
        .finally(() => {
          void qc.invalidateQueries({ queryKey: ['me'] });
          reloadInbox(qc);
        });
      return;
  }
}

/**
 * Holds the socket while signed in. Every tab has its own, and the tabs share what their sockets
 * receive (BroadcastChannel `notify-live`), so a tab whose socket is down still follows the others.
 */
export function LiveProvider({ children }: { children: React.ReactNode }) {
  const qc = useQueryClient();
  const [status, setStatus] = React.useState<ConnectionStatus>('connecting');
  const socketRef = React.useRef<LiveSocket | null>(null);

  React.useEffect(() => {
    const socket = new LiveSocket({
      url: socketUrl(),
      token: validToken,
      // well inside the session's own refresh margin, so that validToken refreshes
      refreshLeadMs: REFRESH_MARGIN_MS / 2,
      tabs: 'notify-live',
      onEvent: (event) => handleLiveEvent(qc, event),
      onStatus: setStatus,
      onClickUnsent: clickedOverRest,
    });
    socketRef.current = socket;
    socket.start();
    // a token refreshed elsewhere (a new company or role after identity_changed) goes to the socket at once
    let lastToken: string | undefined;
    const unsubscribe = subscribe((session) => {
      if (session && session.accessToken !== lastToken) {
        lastToken = session.accessToken;
        void socket.refreshToken();
      }
    });
    return () => {
      unsubscribe();
      socket.stop();
      socketRef.current = null;
    };
  }, [qc]);

  const noteSeq = React.useCallback((seq: number) => socketRef.current?.noteSeq(seq), []);
  const clicked = React.useCallback((id: string) => {
    if (!socketRef.current?.clicked(id)) {
      clickedOverRest(id);
    }
  }, []);
  const value = React.useMemo(() => ({ status, noteSeq, clicked }), [status, noteSeq, clicked]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}
