/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dev server proxies the API (WebSocket included) to the local launch, so the app uses relative
// URLs everywhere, exactly as behind the one-origin proxy and the Kubernetes Ingress.
const api = process.env.NOTIFY_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  // `notify-source`: the workspace's packages (@notify/client) from their TypeScript, no build of them first
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
    conditions: ['notify-source', 'module', 'browser', 'development|production'],
  },
  server: {
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: false },
      '/.well-known': { target: api },
    },
  },
  // the deployable site stays at frontend/dist (the Dockerfile, docs-site/build.mjs, local-infra's
  // one-origin proxy and the e2e runs serve it from there)
  build: { outDir: fileURLToPath(new URL('../../dist', import.meta.url)), emptyOutDir: true, sourcemap: true },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // typing whole forms takes a while on a busy 2-core machine
    testTimeout: 30_000,
    reporters: ['default'],
  },
});
