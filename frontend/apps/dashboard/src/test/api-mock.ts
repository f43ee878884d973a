export interface Call {
  method: string;
  url: string;
  /** the query string as sent (repeatable parameters serialised by the app) */
  query: string;
  body: unknown;
  headers: Record<string, string>;
}
type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (call: Call) => Reply | Promise<Reply>;

/** Statuses whose responses have no body by definition (a Response refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/**
 * Plays the services for component tests: `routes` maps "METHOD /path" (query string ignored) to a
 * reply; every call is recorded. It stands in for the page's `fetch`, under the app's real REST client
 * (@notify/client's, with its token and 401 handling) and session calls.
 */
export function mockApi(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.href), init);
    const url = new URL(request.url);
    const text = await request.text();
    const call: Call = {
      method: request.method.toUpperCase(),
      url: url.pathname,
      query: url.search.replace(/^\?/, ''),
      body: text ? JSON.parse(text) : undefined,
      headers: Object.fromEntries(request.headers.entries()),
    };
    calls.push(call);
    const route = routes[`${call.method} ${call.url}`];
    const reply: Reply = route === undefined ? { status: 404 } : typeof route === 'function' ? await route(call) : route;
    const empty = reply.body === undefined || NO_BODY.has(reply.status);
    return new Response(empty ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { ...(empty ? { 'content-length': '0' } : { 'content-type': 'application/json' }), ...reply.headers },
    });
  };
  return calls;
}

/** A JWT-shaped token (unsigned: the frontend only reads `exp`) expiring `inSeconds` from now. */
export function fakeJwt(inSeconds: number, sub = 'user1'): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'none' })}.${b64({ sub, exp: Math.floor(Date.now() / 1000) + inSeconds })}.sig`;
}
