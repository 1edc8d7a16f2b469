import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; integration tests spawn real processes (kinesalite, the CLI) and run
// one file at a time on this 2-core machine (DESIGN §6). Nothing reaches beyond loopback.
const env = { AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          env,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
