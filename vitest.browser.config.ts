import { defineConfig } from 'vitest/config';

// Browser tests: a real Kring server on the demo region and Debian's Chromium driven by playwright-core.
export default defineConfig({
  root: '.',
  test: {
    include: ['web/test/**/*.test.ts'],
    globalSetup: ['web/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
