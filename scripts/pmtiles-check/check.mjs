// Serves index.html and a PMTiles archive (with HTTP range requests, as a
// static host does), opens the page in headless Chromium and checks that
// MapLibre renders features of the layer from the archive through the
// pmtiles protocol. Run by scripts/pmtiles-check.sh.
//
//   node check.mjs ARCHIVE.pmtiles LAYER
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [archive, layer] = process.argv.slice(2);
const types = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  const file = path === '/' ? 'index.html' : path === '/archive.pmtiles' ? archive : '.' + path;
  let data;
  try {
    data = readFileSync(file);
  } catch {
    res.writeHead(404);
    res.end();
    return;
  }
  const range = req.headers.range && /bytes=(\d+)-(\d+)/.exec(req.headers.range);
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]), data.length - 1);
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${data.length}`, 'Content-Length': end - start + 1 });
    res.end(data.subarray(start, end + 1));
    return;
  }
  res.writeHead(200, { 'Content-Type': types[file.split('.').pop()] || 'application/octet-stream' });
  res.end(data);
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.on('listening', resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/?layer=${encodeURIComponent(layer)}`);
  await page.waitForFunction(() => window.idle || window.mapError, null, { timeout: 90_000 });
  const result = await page.evaluate(() => {
    const features = window.map.queryRenderedFeatures({ layers: ['fill'] });
    return {
      error: window.mapError,
      features: features.length,
      areas: new Set(features.map((f) => f.properties.code)).size,
      withValue: features.filter((f) => f.properties.value !== undefined).length,
    };
  });
  console.log(`${layer}: ${result.features} features rendered, ${result.areas} areas, ${result.withValue} with a value`);
  if (result.error || result.areas === 0) {
    console.error('pmtiles check failed:', result.error || 'no features rendered');
    failed = true;
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
