import { defineConfig } from 'vitest/config';

// The domain is pure: its tests need no infrastructure, so they run without the repo's global setup.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
});
