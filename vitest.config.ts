import { defineConfig } from 'vitest/config';

// One run for the whole repo: real infrastructure is resolved once (packages/testkit/src/global-setup.ts)
// and every test file isolates itself with its own schemas, topics and key prefix.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'services/*/{src,test}/**/*.test.ts',
    ],
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    // Tests run the local demo's credentials (HUB_DEMO: demo court key, agency secrets, seals) unless they set
    // their own; those that test the refusal to start without credentials pass an environment without it.
    env: { HUB_DEMO: '1' },
    pool: 'forks',
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
