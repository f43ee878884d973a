import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// An integrator's build: @notify/react as published (its dist), nothing of the workspace's sources.
// `npm run dev` proxies /api (the socket included) to a local Notify, as the integrator's reverse proxy would.
export default defineConfig({
  plugins: [react()],
  css: { postcss: { plugins: [] } }, // not the workspace's Tailwind set-up: the page needs none
  server: { proxy: { '/api': { target: process.env.NOTIFY_API ?? 'http://127.0.0.1:8080', ws: true } } },
  build: { outDir: 'dist' },
});
