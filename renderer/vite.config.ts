// The renderer's build: React + Tailwind 4 (CSS-first), emitted to dist/renderer
// for Electron's app:// protocol and the test harness. Relative base so the
// same files work under both origins.
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    // The page runs under a strict CSP (shared/csp.ts): no inline scripts or styles,
    // so nothing may be inlined as a data: script either.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    // The one big chunk is the lazy zxcvbn dictionary, loaded only while choosing a master password.
    chunkSizeWarningLimit: 1400,
  },
});
