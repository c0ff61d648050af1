/* global process, console -- a Node script */
// Renders the brand's SVG icons to the PNGs the web app manifest lists (public/icons/), with the
// Debian Chromium the browser tests use: `node tools/render-icons.mjs` after changing an SVG.
// The PNGs are committed, so neither the build nor a fresh clone needs a browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ICONS = join(import.meta.dirname, '..', 'public', 'icons');
const WANTED = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  for (const { svg, png, size } of WANTED) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const source = readFileSync(join(ICONS, svg), 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${source}</body></html>`);
    await page.locator('svg').screenshot({ path: join(ICONS, png), omitBackground: true });
    await page.close();
    console.log(`public/icons/${png} (${size}x${size})`);
  }
} finally {
  await browser.close();
}
