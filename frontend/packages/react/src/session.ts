import { ApiError, createRestClient, type TokenProvider } from '@notify/client';

/** refresh this long before expiry, so that no call carries an expired token */
const MARGIN_MS = 60_000;

/**
 * The dashboard's browser session as a token provider: the access token in memory only, a fresh one from
 * the HttpOnly session cookie auth-service set at sign-in (`POST /api/auth/session/refresh`, with the
 * `X-Notify-Csrf` header a cross-origin page cannot send). Refreshes are serialised across tabs (Web
 * Locks): the refresh token is single use. Answers null when there is no session.
 */
export function cookieSession(baseUrl = ''): TokenProvider {
  let current: { token: string; expiresAt: number } | null = null;
  let inFlight: Promise<string | null> | null = null;
  const calls = createRestClient({ baseUrl, token: async () => null }).session;
  const refresh = async (): Promise<string | null> => {
    const body = await calls.refresh().catch((error: unknown) => {
      if (error instanceof ApiError) {
        return null; // no session (none, expired, revoked)
      }
      throw error;
    });
    if (!body) {
      current = null;
      return null;
    }
    current = body.access_token ? { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 300) * 1000 } : null;
    return current?.token ?? null;
  };
  return (reason) => {
    if (reason === 'connect' && current && current.expiresAt - Date.now() > MARGIN_MS) {
      return Promise.resolve(current.token);
    }
    inFlight ??= (typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request('notify.session.refresh', refresh) : refresh()).finally(
      () => (inFlight = null),
    );
    return inFlight;
  };
}
