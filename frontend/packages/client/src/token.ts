/**
 * Where the client gets its access token: called with 'connect' before each socket upgrade and REST
 * call, and with 'refresh' when the live socket's token is about to expire (or the app says it
 * changed). Answer a valid token (refreshing it first when needed), or null when signed out.
 */
export type TokenProvider = (reason: 'connect' | 'refresh') => Promise<string | null>;

/** The claims of a JWT's payload, or null when it is not a JWT (the client never verifies one). */
export function claims(token: string | null | undefined): { sub?: string; exp?: number } | null {
  const payload = token?.split('.')[1];
  if (!payload) {
    return null;
  }
  try {
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; exp?: number };
  } catch {
    return null;
  }
}
