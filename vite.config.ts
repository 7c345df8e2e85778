import { defineConfig } from 'vite';

/** Builds the Lit UI in web/ into static files in dist/web, served by the Hono server at `/`. */
export default defineConfig({
  root: 'web',
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite` for UI work: the API comes from a running server (npm start).
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/files': 'http://127.0.0.1:3000',
    },
  },
});
