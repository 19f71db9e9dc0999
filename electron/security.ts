/**
 * Applies the security policy to Electron (the checklist of Electron's security guide, as Podman
 * Desktop does): CSP header, no navigation away from the app, no new windows, no permissions,
 * openExternal for allowlisted https only.
 */
import { app, session, shell, type WebContents } from 'electron';
import { contentSecurityPolicy, isAllowedExternalUrl, isAppUrl, isPermissionAllowed, type AppOrigin } from './security-policy';

export function applySessionSecurity(origin: AppOrigin): void {
  const csp = contentSecurityPolicy(origin.devServerUrl);
  // Why a header as well as the meta tag: it also covers responses the meta tag cannot (workers).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionAllowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));

  app.on('web-contents-created', (_event, contents) => guardContents(contents, origin));
}

function guardContents(contents: WebContents, origin: AppOrigin): void {
  // Why: a compromised or confused renderer must not leave the app's own page.
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, origin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, origin)) event.preventDefault();
  });
  // Why: no second renderer with our preload; links go to the browser only when allowlisted.
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
