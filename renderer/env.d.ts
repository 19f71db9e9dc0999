/// <reference types="vite/client" />
import type { CertdeskApi } from '@certdesk/shared/contract';

declare global {
  interface Window {
    /** Built by electron/preload.ts; absent in a browser tab, where the browser mode stands in. */
    certdesk?: CertdeskApi;
  }
  /** True only in the browser-mode build (`vite build --mode browser`); a literal false elsewhere. */
  const __CERTDESK_BROWSER_MODE__: boolean;
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

export {};
