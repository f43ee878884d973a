import { ApiError } from '@notify/client';
import type { Violation } from './types';

/** An RFC 9457 problem as the services answer it, or one made up for a failure without a response. */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  violations: Violation[];
}

export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) {
    const body = error.problem as Partial<Problem> | undefined;
    const { status, retryAfter } = error;
    return {
      status,
      title: typeof body?.title === 'string' ? body.title : `Request failed (${status})`,
      detail:
        typeof body?.detail === 'string'
          ? body.detail
          : status === 429 && retryAfter
            ? `Too many attempts: try again in ${retryAfter} s.`
            : undefined,
      violations: Array.isArray(body?.violations) ? body.violations : [],
    };
  }
  if (error instanceof TypeError) {
    // what fetch rejects with when no response came
    return { status: 0, title: 'Cannot reach the server', detail: 'Check your connection and try again.', violations: [] };
  }
  return { status: 0, title: error instanceof Error ? error.message : 'Something went wrong', violations: [] };
}

/** One line for a person: the detail when the server gave one, else the title. */
export function problemMessage(problem: Problem): string {
  return problem.detail ?? problem.title;
}
