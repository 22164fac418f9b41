import { defineConfig } from 'vitest/config';

// Server unit and integration tests; the database engine is chosen by KRING_TEST_DB (scripts/test.ts).
export default defineConfig({
  root: '.',
  test: {
    include: ['server/**/*.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
