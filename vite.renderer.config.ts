/**
 * The renderer's Vite config, shared by electron-vite (desktop build, `__CERTDESK_BRIDGE__` false)
 * and the browser build for the test bridge (`vite build -c vite.renderer.config.ts --mode bridge`,
 * output in out/renderer-bridge, `__CERTDESK_BRIDGE__` true).
 */
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export function rendererConfig(mode: string): UserConfig {
  const bridge = mode === 'bridge';
  return {
    root: resolve(import.meta.dirname, 'renderer'),
    base: './',
    plugins: [vue()],
    define: { __CERTDESK_BRIDGE__: JSON.stringify(bridge) },
    build: {
      outDir: resolve(import.meta.dirname, bridge ? 'out/renderer-bridge' : 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  };
}

export default defineConfig(({ mode }) => rendererConfig(mode));
