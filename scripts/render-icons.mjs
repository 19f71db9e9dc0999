// Renders build/icon.svg (the CertDesk mark) to the PNG sizes the installers need:
// build/icon.png (1024, macOS/Windows source for electron-builder) and build/icons/NxN.png (Linux).
//   node scripts/render-icons.mjs
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync('build/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CERTDESK_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
mkdirSync('build/icons', { recursive: true });
for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`)}</body></html>`,
  );
  const target = size === 1024 ? 'build/icon.png' : `build/icons/${size}x${size}.png`;
  await page.screenshot({ path: target, omitBackground: true });
  if (size === 1024) await page.screenshot({ path: 'build/icons/1024x1024.png', omitBackground: true });
}
await browser.close();
console.log('ícones gravados em build/');
