import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAllowedExternalUrl,
  isAppUrl,
  isPermissionAllowed,
  isTrustedSender,
} from '../../electron/security-policy';

const packaged = { fileUrl: 'file:///opt/CertDesk/resources/app.asar/out/renderer/index.html', devServerUrl: null };
const dev = { fileUrl: null, devServerUrl: 'http://localhost:5173' };

describe('sender check', () => {
  it('accepts only the app page in its main frame', () => {
    expect(isTrustedSender(`${packaged.fileUrl}#/inspecionar`, true, packaged)).toBe(true);
    expect(isTrustedSender(packaged.fileUrl, false, packaged)).toBe(false); // an iframe
    expect(isTrustedSender('file:///tmp/evil.html', true, packaged)).toBe(false);
    expect(isTrustedSender('https://example.com/', true, packaged)).toBe(false);
    expect(isTrustedSender(undefined, true, packaged)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/#/x', true, dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', true, dev)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', true, packaged)).toBe(false);
  });
  it('navigation stays on the app', () => {
    expect(isAppUrl('not a url', packaged)).toBe(false);
    expect(isAppUrl('https://www.gov.br/', packaged)).toBe(false);
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
    expect(contentSecurityPolicy('http://localhost:5173')).toContain('ws://localhost:5173');
  });
});
