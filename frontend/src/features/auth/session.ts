import axios from 'axios';
import type { LoginRequest, LogoutRequest, RefreshRequest, TokenResponse } from '@/api/types';

/**
 * The signed-in session, shared by every tab of this browser through localStorage (so it survives a
 * reload and a new tab starts signed in).
 *
 * Refresh tokens are single use and replaying a rotated one revokes the whole session, so at most
 * one refresh may be in flight across ALL tabs: the Web Locks API serialises them, and a tab that
 * gets the lock after another tab rotated simply adopts the stored result instead of refreshing
 * again. Other tabs learn about new tokens (and logout) from the `storage` event.
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** epoch ms when the access token expires */
  expiresAt: number;
}

const KEY = 'notify.session';
const LOCK = 'notify.session.refresh';
/** refresh this long before expiry so that a request (or the socket) never carries an expired token */
export const REFRESH_MARGIN_MS = 60_000;

export const authHttp = axios.create({ headers: { 'content-type': 'application/json' } });
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let inFlight: Promise<Session> | null = null;

export function load(): Session | null {
  try {
    const value = localStorage.getItem(KEY);
    if (!value) {
      return null;
    }
    const parsed = JSON.parse(value) as Partial<Session>;
    if (typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string' && typeof parsed.expiresAt === 'number') {
      return parsed as Session;
    }
  } catch {
    // unreadable: treated as signed out
  }
  return null;
}

function store(session: Session | null): void {
  if (session) {
    localStorage.setItem(KEY, JSON.stringify(session));
  } else {
    localStorage.removeItem(KEY);
  }
  listeners.forEach((l) => l(session));
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY || event.key === null) {
      const session = load();
      listeners.forEach((l) => l(session));
    }
  });
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
  if (!response.access_token || !response.refresh_token) {
    throw new Error('The sign-in answer had no tokens');
  }
  const expiresAt =
    tokenExpiry(response.access_token) ?? Date.now() + (response.expires_in ?? 300) * 1000;
  return { accessToken: response.access_token, refreshToken: response.refresh_token, expiresAt };
}

export async function login(username: string, password: string): Promise<Session> {
  const body: LoginRequest = { username, password };
  const { data } = await authHttp.post<TokenResponse>('/api/auth/login', body);
  const session = fromResponse(data);
  store(session);
  return session;
}

export async function logout(): Promise<void> {
  const session = load();
  store(null);
  if (session) {
    const body: LogoutRequest = { refresh_token: session.refreshToken };
    await authHttp.post('/api/auth/logout', body).catch(() => undefined);
  }
}

function withLock<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(LOCK, work);
  }
  return work();
}

/**
 * A fresh session. `stale` is the access token the caller found wanting (rejected or near expiry):
 * when the stored one is already different and good, another tab has refreshed meanwhile.
 */
export function refresh(stale?: string): Promise<Session> {
  if (!inFlight) {
    inFlight = withLock(async () => {
      const current = load();
      if (!current) {
        throw new Error('Signed out');
      }
      const rotatedElsewhere = stale !== undefined && current.accessToken !== stale;
      if (rotatedElsewhere && current.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
        listeners.forEach((l) => l(current));
        return current;
      }
      try {
        const body: RefreshRequest = { refresh_token: current.refreshToken };
        const { data } = await authHttp.post<TokenResponse>('/api/auth/refresh', body);
        const next = fromResponse(data);
        store(next);
        return next;
      } catch (error) {
        if (axios.isAxiosError(error) && error.response && error.response.status < 500) {
          store(null); // the session is gone (expired, revoked, logged out elsewhere)
        }
        throw error;
      }
    }).finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}

/** An access token good for at least the refresh margin, refreshing first when needed. */
export async function validToken(): Promise<string | null> {
  const current = load();
  if (!current) {
    return null;
  }
  if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
    return current.accessToken;
  }
  return (await refresh(current.accessToken)).accessToken;
}
