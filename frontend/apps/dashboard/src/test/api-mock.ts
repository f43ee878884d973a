import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { AxiosError } from 'axios';
import { http } from '@/api/http';
import { authHttp } from '@/features/auth/session';

export interface Call {
  method: string;
  url: string;
  /** the query string as sent (repeatable parameters serialised by the app) */
  query: string;
  body: unknown;
  headers: Record<string, unknown>;
}
type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (call: Call) => Reply | Promise<Reply>;

/**
 * Plays the services for component tests: `routes` maps "METHOD /path" (query string ignored) to a
 * reply; every call is recorded. Goes through the app's real axios instances and interceptors.
 */
export function mockApi(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const url = (config.url ?? '').split('?')[0] as string;
    const call: Call = {
      method: (config.method ?? 'get').toUpperCase(),
      url,
      query: http.getUri(config).split('?')[1] ?? '',
      body: typeof config.data === 'string' && config.data ? JSON.parse(config.data) : config.data,
      headers: config.headers.toJSON() as Record<string, unknown>,
    };
    calls.push(call);
    const route = routes[`${call.method} ${url}`];
    const reply: Reply = route === undefined ? { status: 404 } : typeof route === 'function' ? await route(call) : route;
    const response: AxiosResponse = {
      data: reply.body,
      status: reply.status,
      statusText: String(reply.status),
      headers: reply.headers ?? {},
      config,
    };
    if (reply.status >= 400) {
      throw new AxiosError(`HTTP ${reply.status}`, undefined, config, undefined, response);
    }
    return response;
  };
  http.defaults.adapter = adapter;
  authHttp.defaults.adapter = adapter;
  return calls;
}

/** A JWT-shaped token (unsigned: the frontend only reads `exp`) expiring `inSeconds` from now. */
export function fakeJwt(inSeconds: number, sub = 'user1'): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'none' })}.${b64({ sub, exp: Math.floor(Date.now() / 1000) + inSeconds })}.sig`;
}
