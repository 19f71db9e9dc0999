import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

/** Unit tests of the core in Node; component tests of the renderer in happy-dom. */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Bounds on waiting, not speed targets: on a busy 2-core machine a child process (a server,
          // the CLI) can take many seconds to start. Speed is measured by the bench scripts.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Days are calendar days of the process's zone: the suite pins one, and the tests of other
          // zones say theirs (a developer in Manaus gets the same results as the build machine).
          env: { TZ: 'UTC' },
        },
      },
      {
        plugins: [vue()],
        define: { __CERTDESK_BROWSER_MODE__: 'false' },
        test: {
          name: 'component',
          include: ['tests/component/**/*.test.ts'],
          environment: 'happy-dom',
          // The stores' harness starts the real core in a child process (stores-harness.ts).
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { TZ: 'UTC' },
        },
      },
    ],
  },
});
