/**
 * The renderer's Vite config, shared by electron-vite (desktop build, `__CERTDESK_BROWSER_MODE__` false)
 * and the browser build for the browser mode (`vite build -c vite.renderer.config.ts --mode browser`,
 * output in out/renderer-browser, `__CERTDESK_BROWSER_MODE__` true).
 */
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export function rendererConfig(mode: string): UserConfig {
  const browserMode = mode === 'browser';
  return {
    root: resolve(import.meta.dirname, 'renderer'),
    base: './',
    plugins: [vue()],
    define: { __CERTDESK_BROWSER_MODE__: JSON.stringify(browserMode) },
    build: {
      outDir: resolve(import.meta.dirname, browserMode ? 'out/renderer-browser' : 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  };
}

export default defineConfig(({ mode }) => rendererConfig(mode));
