import { availableParallelism } from 'node:os';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

/** Unit tests of the core in Node; component tests of the renderer in happy-dom. */
export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores, so one file at a time on a 2-core machine.
    // Our slow files mostly wait (child processes, fsync, lock retries, PGlite in its own process):
    // one file more than the cores keeps them busy — the unit project on two cores took 320 s with
    // two files at a time, 255 s with three. `--maxWorkers=1` still wins on the command line.
    maxWorkers: availableParallelism() + 1,
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
          // The unit files run one after another in each worker's process instead of a new process per
          // file: 96 files' imports and process starts cost ~80 s of the run on two cores. They share
          // no module state they change (no mocks); what a file may change in the process (the umask,
          // TZ) is put back before the next one by the setup file.
          isolate: false,
          setupFiles: ['tests/unit/helpers/fresh-process-state.ts'],
          // A folder for the run's empty PGlite cluster, copied into each test's data folder
          // (helpers/pglite-template.ts): creating a cluster is the costliest step of a cloud test.
          globalSetup: ['tests/unit/helpers/pglite-template-setup.ts'],
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
