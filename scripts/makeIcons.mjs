#!/usr/bin/env node
// Draws the app and tray icons (assets/icons/*.png) from SVG with Debian's Chromium. Run by hand
// when the design changes; the PNGs are committed (the build needs no browser).
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const bars = (color) => `<g transform="translate(10 4)">
  <rect x="18" y="22" width="52" height="11" rx="5.5" fill="${color}" transform="skewX(-12)"/>
  <rect x="26" y="42" width="44" height="11" rx="5.5" fill="${color}" opacity="0.85" transform="skewX(-12)"/>
  <rect x="34" y="62" width="36" height="11" rx="5.5" fill="${color}" opacity="0.7" transform="skewX(-12)"/></g>`;
// State badges: a shape as well as a colour (never colour alone, DESIGN §10).
const badges = {
  ok: '',
  warning: '<path d="M74 58 L96 96 L52 96 Z" fill="#d99a00" stroke="#fff" stroke-width="4"/><rect x="71" y="70" width="6" height="14" fill="#fff"/><rect x="71" y="87" width="6" height="5" fill="#fff"/>',
  error: '<circle cx="76" cy="78" r="20" fill="#d03030" stroke="#fff" stroke-width="4"/><path d="M67 69 L85 87 M85 69 L67 87" stroke="#fff" stroke-width="6" stroke-linecap="round"/>',
};
const svg = (body, size) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">${body}</svg>`;
const files = {
  'icon.png': [svg(`<rect width="100" height="100" rx="22" fill="#1f5fbf"/>${bars('#ffffff')}`, 512), 512],
  'tray-ok.png': [svg(bars('#2f7de1') + badges.ok, 32), 32],
  'tray-warning.png': [svg(bars('#2f7de1') + badges.warning, 32), 32],
  'tray-error.png': [svg(bars('#2f7de1') + badges.error, 32), 32],
};
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const page = await browser.newPage();
for (const [name, [markup, size]] of Object.entries(files)) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${markup}</body></html>`);
  writeFileSync(`assets/icons/${name}`, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
  // 2x variants for HiDPI trays (Electron picks name@2x.png).
  if (name.startsWith('tray-')) {
    await page.setViewportSize({ width: size * 2, height: size * 2 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${markup.replace(`width="${size}" height="${size}"`, `width="${size * 2}" height="${size * 2}"`)}</body></html>`);
    writeFileSync(`assets/icons/${name.replace('.png', '@2x.png')}`, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size * 2, height: size * 2 } }));
  }
}
await browser.close();
process.stdout.write(`wrote ${Object.keys(files).join(', ')}\n`);
