import { ApiError, createRestClient, type LoginRequest } from '@notify/client';
import type { TokenResponse } from '@/api/types';

/**
 * The signed-in session, as a browser should hold it: the access token in this tab's memory only, the refresh
 * token in an HttpOnly, Secure, SameSite=Strict cookie that auth-service sets on `/api/auth/session` and no
 * script can read (an injected one included). A reload or a new tab restores its access token from the cookie
 * (`restore`); nothing of the session is in localStorage.
 *
 * Refresh tokens are single use and replaying a rotated one revokes the whole session. All tabs share the one
 * cookie, so at most one refresh may be in flight across ALL tabs: the Web Locks API serialises them (each then
 * sends the cookie the previous one left). Tabs tell each other about a sign-in and a sign-out on a
 * BroadcastChannel (only that it happened: no token crosses it).
 */
export interface Session {
  accessToken: string;
  /** epoch ms when the access token expires */
  expiresAt: number;
}

const LOCK = 'notify.session.refresh';
const CHANNEL = 'notify.session';
/** refresh this long before expiry so that a request (or the socket) never carries an expired token */
export const REFRESH_MARGIN_MS = 60_000;
/**
 * The session's cookie calls, @notify/client's: no bearer token (they are how one is had), the cookie, and the
 * X-Notify-Csrf header auth-service refuses them without (a cross-origin page cannot send it: CORS preflight).
 */
const cookieCalls = createRestClient({ baseUrl: location.origin, token: async () => null }).session;
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let current: Session | null = null;
let inFlight: Promise<Session> | null = null;

type Announcement = { type: 'signed-in' | 'signed-out' };
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
channel?.addEventListener('message', (event: MessageEvent<Announcement>) => {
  if (event.data?.type === 'signed-out') {
    adopt(null);
  } else if (event.data?.type === 'signed-in' && current === null) {
    void restore(); // this tab's own access token, from the cookie the other tab's sign-in set
  }
});

/** This tab's session, or null when signed out (or not restored yet). */
export function load(): Session | null {
  return current;
}

/** Makes `session` this tab's session and tells the listeners (tests sign in with it too). */
export function adopt(session: Session | null): void {
  current = session;
  listeners.forEach((l) => l(session));
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The `exp` claim of a JWT in epoch ms, or null when it cannot be read. */
export function tokenExpiry(jwt: string): number | null {
  try {
    const payload = jwt.split('.')[1];
    if (!payload) {
      return null;
    }
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}

function fromResponse(response: TokenResponse): Session {
  if (!response.access_token) {
    throw new Error('The sign-in answer had no access token');
  }
  const expiresAt = tokenExpiry(response.access_token) ?? Date.now() + (response.expires_in ?? 300) * 1000;
  return { accessToken: response.access_token, expiresAt };
}

export async function login(username: string, password: string): Promise<Session> {
  const body: LoginRequest = { username, password };
  const session = fromResponse(await cookieCalls.login(body));
  adopt(session);
  channel?.postMessage({ type: 'signed-in' } satisfies Announcement);
  return session;
}

export async function logout(): Promise<void> {
  adopt(null);
  channel?.postMessage({ type: 'signed-out' } satisfies Announcement);
  await cookieCalls.logout().catch(() => undefined);
}

function withLock<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(LOCK, work);
  }
  return work();
}

/**
 * A fresh access token from the session cookie (rotating it). `stale` is the access token the caller found
 * wanting (rejected or near expiry): when this tab holds a different, good one by the time the lock is taken,
 * that one is answered instead of rotating again.
 */
export function refresh(stale?: string): Promise<Session> {
  if (!inFlight) {
    inFlight = withLock(async () => {
      const held = current;
      if (held && stale !== undefined && held.accessToken !== stale && held.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
        return held;
      }
      try {
        const next = fromResponse(await cookieCalls.refresh());
        adopt(next);
        return next;
      } catch (error) {
        if (error instanceof ApiError && error.status < 500) {
          adopt(null); // the session is gone (expired, revoked, signed out in another tab)
        }
        throw error;
      }
    }).finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}

/** At start-up (a reload, a new tab): this tab's access token from the session cookie, or null when signed out. */
export async function restore(): Promise<Session | null> {
  try {
    return await refresh();
  } catch {
    return null;
  }
}

/** An access token good for at least the refresh margin, refreshing first when needed. */
export async function validToken(): Promise<string | null> {
  const held = current;
  if (!held) {
    return null;
  }
  if (held.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
    return held.accessToken;
  }
  return (await refresh(held.accessToken)).accessToken;
}
