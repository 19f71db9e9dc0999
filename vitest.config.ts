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
          testTimeout: 30_000,
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
          env: { TZ: 'UTC' },
        },
      },
    ],
  },
});
