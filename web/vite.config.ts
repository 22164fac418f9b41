import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app. `npm start` builds it into web/dist and the Kring server serves it;
// `npm run dev:web` serves it with hot reload and sends /api to a Kring server on port 3000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
