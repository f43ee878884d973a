import axios, { type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import { load, refresh, validToken } from '@/features/auth/session';
import type { Body, Ok, PathsWith } from './types';

/**
 * The one HTTP client of the app. Relative URLs only: the same origin serves the app and the API
 * (the local one-origin proxy, the Kubernetes Ingress, the Vite dev proxy).
 */
export const http = axios.create({ headers: { accept: 'application/json' } });

http.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
  const token = await validToken();
  if (token) {
    config.headers.set('authorization', `Bearer ${token}`);
  }
  return config;
});

http.interceptors.response.use(undefined, async (error: unknown) => {
  // a token revoked or expired between the check and the call: refresh once, then retry once
  if (axios.isAxiosError(error) && error.response?.status === 401 && error.config) {
    const config = error.config as AxiosRequestConfig & { retried?: boolean };
    const current = load();
    if (!config.retried && current) {
      config.retried = true;
      await refresh(current.accessToken);
      return http.request(config);
    }
  }
  throw error;
});

type Params = Record<string, string | number | boolean | string[] | undefined>;

function expand(path: string, pathParams?: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParams?.[name] ?? ''));
}

/** Repeatable query parameters as the services expect them: `type=a&type=b`. */
function serialize(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) {
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      search.append(key, String(v));
    }
  }
  return search.toString();
}

/** A GET of a path the services declare, answering the type their OpenAPI document declares. */
export async function get<P extends PathsWith<'get'>>(
  path: P,
  options: { params?: Params; path?: Record<string, string> } = {},
): Promise<Ok<P, 'get'>> {
  const { data } = await http.get<Ok<P, 'get'>>(expand(path, options.path), {
    params: options.params,
    paramsSerializer: { serialize },
  });
  return data;
}

export async function post<P extends PathsWith<'post'>>(
  path: P,
  body?: Body<P, 'post'>,
  options: { params?: Params; path?: Record<string, string> } = {},
): Promise<Ok<P, 'post'>> {
  const { data } = await http.post<Ok<P, 'post'>>(expand(path, options.path), body, {
    params: options.params,
    paramsSerializer: { serialize },
  });
  return data;
}

export async function put<P extends PathsWith<'put'>>(path: P, body: Body<P, 'put'>): Promise<Ok<P, 'put'>> {
  const { data } = await http.put<Ok<P, 'put'>>(path, body);
  return data;
}

export async function del<P extends PathsWith<'delete'>>(path: P, pathParams: Record<string, string>): Promise<void> {
  await http.delete(expand(path, pathParams));
}
