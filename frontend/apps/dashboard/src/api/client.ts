import { createRestClient } from '@notify/client';
import { load, refresh, validToken } from '@/features/auth/session';

/**
 * The one REST client of the app: @notify/client's, typed from the services' OpenAPI documents. On this
 * page's origin: the same origin serves the app and the API (the local one-origin proxy, the Kubernetes
 * Ingress, the Vite dev proxy). A call that answers 401 (a token revoked or expired between the check and
 * the call) refreshes the session once and is retried once.
 */
export const api = createRestClient({
  baseUrl: location.origin,
  token: async (reason) => {
    if (reason === 'connect') {
      return validToken();
    }
    const current = load();
    return current ? (await refresh(current.accessToken)).accessToken : null;
  },
});
