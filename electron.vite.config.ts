import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

/**
 * Desktop build: main (with the CLI as a second entry, runnable by plain Node), the sandboxed
 * preload (CommonJS, as sandboxed preloads must be) and the renderer. The browser mode is not an
 * entry here, so it never reaches the packaged app.
 */
export default defineConfig(({ mode }) => ({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          main: resolve(import.meta.dirname, 'electron/main.ts'),
          cli: resolve(import.meta.dirname, 'desktop/cli/cli.ts'),
          'pfx-worker': resolve(import.meta.dirname, 'packages/core/pfx/pfx-worker.ts'),
        },
        // Chunks sit beside the entries: the pool's worker threads (pfx/worker-threads.ts) find pfx-worker.js next to them.
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Why: a sandboxed preload cannot require() node_modules, so its dependencies are bundled in.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(import.meta.dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: { ...rendererConfig(mode === 'browser' ? 'production' : mode) },
}));
