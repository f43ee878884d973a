import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { adopt } from '@/features/auth/session';

afterEach(() => {
  cleanup();
  adopt(null); // the session lives in memory (features/auth/session.ts): sign out between tests
  localStorage.clear();
  sessionStorage.clear();
});

// what jsdom lacks and Radix primitives use
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
Element.prototype.hasPointerCapture ??= () => false;
Element.prototype.releasePointerCapture ??= () => undefined;
Element.prototype.scrollIntoView ??= () => undefined;
