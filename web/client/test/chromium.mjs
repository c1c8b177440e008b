// Shared helpers of the browser tests: Debian's Chromium driven by
// playwright-core, a page opened on the real server with every error
// collected, rendered features, axe-core checks and screenshots in
// test/artifacts/.
//
// This file has no tests of its own.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Where screenshots and downloads go (gitignored; CI keeps them as artefacts). */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** Starts headless Chromium. */
export async function launchBrowser() {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (set CHROMIUM, or apt-get install chromium)`);
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * Opens a path of the server and waits until the first map has rendered.
 * Page errors, console errors and HTTP errors are pushed onto errors.
 * @param {import('playwright-core').Browser} browser
 * @param {string} base the server's URL
 * @param {string} path
 * @param {string[]} errors
 * @param {{width: number, height: number}} [viewport]
 * @param {(page: import('playwright-core').Page) => void} [setup] called before the page is opened, e.g. to watch its requests
 */
export async function openPage(browser, base, path, errors, viewport = { width: 1280, height: 860 }, setup = () => {}) {
  const page = await browser.newPage({ viewport, locale: 'nl-NL', acceptDownloads: true });
  setup(page);
  page.on('pageerror', (err) => errors.push(`${path}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${path}: console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`${path}: ${res.status()} for ${res.url()}`);
  });
  await page.goto(base + path);
  await page.waitForFunction(() => !!window.wijkkaart, null, { timeout: 20_000 });
  await page.evaluate(() => window.wijkkaart.ready);
  return page;
}

/**
 * The distinct features of a layer rendered in the viewport, by code.
 * @param {import('playwright-core').Page} page
 */
export function renderedFeatures(page, layer = 'wijkkaart-fill') {
  return page.evaluate((layer) => {
    const out = {};
    for (const f of window.wijkkaart.map.queryRenderedFeatures({ layers: [layer] })) {
      out[f.properties.code] = { ...f.properties, id: f.id };
    }
    return out;
  }, layer);
}

/**
 * A point of a rendered area whose code matches re, in page pixels, searched
 * from the middle of the map outwards.
 * @param {import('playwright-core').Page} page
 * @param {string} pattern a RegExp source
 */
export function findArea(page, pattern) {
  return page.evaluate((pattern) => {
    const re = new RegExp(pattern);
    const map = window.wijkkaart.map;
    const box = map.getCanvas().getBoundingClientRect();
    for (let dy = 0; dy < box.height / 2 - 20; dy += 17) {
      for (let dx = 0; dx < box.width / 2 - 20; dx += 17) {
        for (const [x, y] of [
          [box.width / 2 + dx, box.height / 2 + dy],
          [box.width / 2 - dx, box.height / 2 - dy],
        ]) {
          const f = map.queryRenderedFeatures([x, y], { layers: ['wijkkaart-fill'] })[0];
          if (f && re.test(f.properties.code)) return { x: box.left + x, y: box.top + y, name: f.properties.name, code: f.properties.code };
        }
      }
    }
    return null;
  }, pattern);
}

/**
 * Asserts that axe-core finds no serious or critical violation on the page.
 * @param {import('playwright-core').Page} page
 * @param {string} view names the view in the failure message
 */
export async function assertAccessible(page, view) {
  // Legacy mode runs axe in the page itself: pages from browser.newPage() cannot open the blank page axe's default mode needs.
  const results = await new AxeBuilder({ page }).setLegacyMode().withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`),
    [],
    `axe on ${view}`,
  );
}

/**
 * Saves a screenshot in test/artifacts and returns its path.
 * @param {import('playwright-core').Page} page
 * @param {string} name without extension
 */
export async function screenshot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  console.log(`screenshot: ${path}`);
  return path;
}
