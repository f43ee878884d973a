import { ApiError } from '@notify/client';

/** One of a 400 problem's violations: `field` is the property path (`quiet_hours.timezone`, `key`). */
export interface Violation {
  field: string;
  message: string;
}

/** A 400 problem's violations (none for any other failure). */
export function violations(error: unknown): Violation[] {
  const list = error instanceof ApiError ? (error.problem as { violations?: unknown } | null)?.violations : undefined;
  return Array.isArray(list) ? list.filter((v): v is Violation => typeof v?.field === 'string' && typeof v?.message === 'string') : [];
}

/**
 * A failed call in one sentence for the reader: the RFC 9457 problem's `detail` when the service gave one, else its
 * violations, else its title; "cannot reach the server" when no answer came.
 */
export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    const problem = (error.problem ?? {}) as { detail?: unknown; title?: unknown };
    const listed = violations(error).map((v) => `${v.field}: ${v.message}`);
    if (typeof problem.detail === 'string') {
      return problem.detail;
    }
    return listed.length > 0 ? listed.join('; ') : typeof problem.title === 'string' ? problem.title : `Request failed (HTTP ${error.status})`;
  }
  return error instanceof TypeError ? 'Cannot reach the server. Check your connection and try again.' : error instanceof Error ? error.message : String(error);
}
