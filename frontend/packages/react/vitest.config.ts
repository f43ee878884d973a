import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `notify-source`: @notify/client from its TypeScript, no build of it first; `node`, not `browser`: the tests' servers use ws
  resolve: { conditions: ['notify-source', 'module', 'node', 'development|production'] },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
  },
});
