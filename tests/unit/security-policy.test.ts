import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAllowedExternalUrl,
  isAppUrl,
  isPermissionAllowed,
  isTrustedSender,
} from '../../electron/security-policy';
import { APP_PAGE_URL } from '../../electron/app-protocol';

const packaged = { appUrl: APP_PAGE_URL, devServerUrl: null };
const dev = { appUrl: APP_PAGE_URL, devServerUrl: 'http://localhost:5173' };

describe('sender check', () => {
  it('accepts only the app page in its main frame', () => {
    expect(APP_PAGE_URL).toBe('app://certdesk/index.html');
    expect(isTrustedSender(`${APP_PAGE_URL}#/inspecionar`, true, packaged)).toBe(true);
    expect(isTrustedSender(APP_PAGE_URL, false, packaged)).toBe(false); // an iframe
    expect(isTrustedSender('file:///tmp/evil.html', true, packaged)).toBe(false);
    // The page the app used to load from: file: is never the app now, whatever file it names.
    expect(isTrustedSender('file:///opt/CertDesk/resources/app.asar/out/renderer/index.html', true, packaged)).toBe(false);
    expect(isTrustedSender('https://example.com/', true, packaged)).toBe(false);
    expect(isTrustedSender(undefined, true, packaged)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/#/x', true, dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', true, dev)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', true, packaged)).toBe(false);
  });
  it('navigation stays on the app page of the app scheme', () => {
    expect(isAppUrl('app://certdesk/index.html#/historico', packaged)).toBe(true);
    expect(isAppUrl('not a url', packaged)).toBe(false);
    expect(isAppUrl('https://www.gov.br/', packaged)).toBe(false);
    for (const other of [
      'app://certdesk/other.html', // another file of the same origin
      'app://certdesk/assets/index.js',
      'app://certdesk/', // the root is not the page
      'app://certdesk/index.html?x=1',
      'app://evil/index.html', // another host of the same scheme
      'app://certdesk.evil/index.html',
      'app://user@certdesk/index.html',
      'app://certdesk:8080/index.html',
      'other://certdesk/index.html',
      'https://certdesk/index.html',
      'file:///index.html',
    ]) {
      expect(isAppUrl(other, packaged), other).toBe(false);
    }
    expect(isAppUrl('http://localhost:5173/', packaged)).toBe(false); // dev server only in dev
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true);
  });
});

describe('openExternal allowlist', () => {
  it('opens allowlisted https hosts only', () => {
    expect(isAllowedExternalUrl('https://www.iti.gov.br/icp-brasil')).toBe(true);
    expect(isAllowedExternalUrl('http://www.iti.gov.br/')).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('https://user@www.gov.br/')).toBe(false);
  });
});

describe('permissions and CSP', () => {
  it('grants nothing but sanitized clipboard writes', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(isPermissionAllowed(p)).toBe(false);
    }
  });
  it('has no inline or remote scripts in production', () => {
    const csp = contentSecurityPolicy(null);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self';");
    // 'self' is app://certdesk in the app; nothing names file: or another scheme.
    expect(csp).not.toMatch(/file:|app:|http/);
    expect(contentSecurityPolicy('http://localhost:5173')).toContain('ws://localhost:5173');
  });
});
