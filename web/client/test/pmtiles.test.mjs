// The static path of issue 9: `wijkkaart export` writes a PMTiles archive a
// portal can put on any static host. This test exports Utrecht's wijken
// with the real binary, serves the archive as a plain file (HTTP range
// requests, as a static host or CDN answers them) next to a page that
// opens it in MapLibre GL JS through the `pmtiles` protocol (npm pmtiles),
// and checks in headless Chromium that the rendered features carry the
// numbers the server publishes for the same selection in /api/values.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launchBrowser, screenshot } from './chromium.mjs';
import { REPO_ROOT, getJSON, startServer } from './server.mjs';

const CLIENT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const INDICATOR = 'pct_bijstand';
const GROUP = 'marokko';
const GEMEENTE = 'GM0344';
const LAYER = `${INDICATOR}.${GROUP}`;
const EXPORT_TIMEOUT_MS = 240_000;

// The page a portal would host: MapLibre and pmtiles from the npm packages'
// browser builds, one fill layer of the archive, fitted to its bounds.
const PAGE = `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>PMTiles</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/maplibre-gl.css">
<script src="/maplibre-gl.js"></script>
<script src="/pmtiles.js"></script>
<style>html, body, #map { margin: 0; width: 800px; height: 600px; }</style></head>
<body><div id="map"></div><script>
const protocol = new pmtiles.Protocol();
maplibregl.addProtocol('pmtiles', protocol.tile);
const archive = new pmtiles.PMTiles(location.origin + '/archive.pmtiles');
protocol.add(archive);
window.ready = Promise.all([archive.getHeader(), archive.getMetadata()]).then(([header, metadata]) =>
  new Promise((resolve, reject) => {
    const map = new maplibregl.Map({
      container: 'map',
      bounds: [[header.minLon, header.minLat], [header.maxLon, header.maxLat]],
      style: {
        version: 8,
        sources: { archive: { type: 'vector', url: 'pmtiles://' + archive.source.getKey() } },
        layers: [{ id: 'fill', type: 'fill', source: 'archive', 'source-layer': ${JSON.stringify(LAYER)},
          paint: { 'fill-color': ['case', ['==', ['get', 'status'], 'ok'], '#08519c', '#bdbdbd'], 'fill-outline-color': '#000' } }],
      },
    });
    window.map = map;
    map.on('error', (e) => reject(new Error(String((e.error && e.error.message) || e))));
    map.once('idle', () => resolve({ header, layers: metadata.vector_layers.map((l) => l.id) }));
  }));
</script></body></html>`;

/** Files the static server answers besides the page, by URL path. */
function staticFiles(archive) {
  const dist = (pkg, file) => join(CLIENT, 'node_modules', pkg, 'dist', file);
  return {
    '/maplibre-gl.js': [dist('maplibre-gl', 'maplibre-gl.js'), 'text/javascript'],
    '/maplibre-gl.css': [dist('maplibre-gl', 'maplibre-gl.css'), 'text/css'],
    '/pmtiles.js': [dist('pmtiles', 'pmtiles.js'), 'text/javascript'],
    '/archive.pmtiles': [archive, 'application/vnd.pmtiles'],
  };
}

/**
 * A static file server, as a static host is: whole files, or a byte range
 * of one with 206. It counts the archive's requests by status.
 */
async function startStatic(archive) {
  const files = staticFiles(archive);
  const archiveStatuses = [];
  const server = createServer((req, res) => {
    answer(req, res, files).then(
      (status) => req.url.startsWith('/archive.pmtiles') && archiveStatuses.push(status),
      (err) => {
        if (res.headersSent) res.destroy(err);
        else res.writeHead(500).end(String(err));
      },
    );
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, archiveStatuses, close: () => server.close() };
}

/** Answers one request of the static server and returns its status. */
async function answer(req, res, files) {
  const path = new URL(req.url, 'http://localhost').pathname;
  if (path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
    return 200;
  }
  if (!files[path]) {
    res.writeHead(404).end();
    return 404;
  }
  const [file, type] = files[path];
  const data = await readFile(file);
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range) {
    res.writeHead(200, { 'Content-Type': type, 'Accept-Ranges': 'bytes' }).end(data);
    return 200;
  }
  const start = Number(range[1]);
  const end = Math.min(range[2] === '' ? data.length - 1 : Number(range[2]), data.length - 1);
  res.writeHead(206, {
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Content-Range': `bytes ${start}-${end}/${data.length}`,
  });
  res.end(data.subarray(start, end + 1));
  return 206;
}

/** Runs `wijkkaart export` (WIJKKAART_BIN, or go run) and returns its output. */
async function exportArchive(out) {
  const args = ['export', '--indicator', INDICATOR, '--group', GROUP, '--level', 'wijk', '--gemeente', GEMEENTE,
    '--minzoom', '10', '--maxzoom', '12', '--out', out];
  const [cmd, cmdArgs] = process.env.WIJKKAART_BIN
    ? [resolve(process.env.WIJKKAART_BIN), args]
    : ['go', ['run', './cmd/wijkkaart', ...args]];
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, cmdArgs, { cwd: REPO_ROOT, maxBuffer: 16 << 20, timeout: EXPORT_TIMEOUT_MS });
    return stdout + stderr;
  } catch (err) {
    throw new Error(`wijkkaart ${args.join(' ')} failed:\n${err.stderr || err.message}`);
  }
}

describe('PMTiles export in MapLibre', { timeout: 420_000 }, () => {
  let dir;
  let wijkkaart;
  let files;
  let browser;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wijkkaart-pmtiles-'));
    const archive = join(dir, 'utrecht.pmtiles');
    const log = await exportArchive(archive);
    assert.ok((await readFile(archive)).subarray(0, 7).toString() === 'PMTiles', `no PMTiles archive written:\n${log}`);
    wijkkaart = await startServer();
    files = await startStatic(archive);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    files?.close();
    await wijkkaart?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('Utrecht wijken render from the archive with the published numbers', { timeout: 180_000 }, async (t) => {
    const errors = [];
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(`console: ${msg.text()}`));
    page.on('response', (res) => res.status() >= 400 && errors.push(`${res.status()} for ${res.url()}`));
    await page.goto(files.url + '/');
    const { header, layers } = await page.evaluate(() => window.ready);
    assert.deepEqual(layers, [LAYER], 'metadata lists one layer per indicator.group');
    assert.equal(header.minZoom, 10);
    assert.equal(header.maxZoom, 12);

    const rendered = await page.evaluate(() => {
      const out = {};
      for (const f of window.map.queryRenderedFeatures({ layers: ['fill'] })) out[f.properties.code] = f.properties;
      return out;
    });
    t.diagnostic(`screenshot: ${await screenshot(page, 'pmtiles-utrecht-bijstand-marokko')}`);
    await page.close();
    assert.deepEqual(errors, [], 'page errors');

    // The archive was read as a static host serves it: in byte ranges.
    assert.ok(files.archiveStatuses.length > 0 && files.archiveStatuses.every((s) => s === 206), `archive answers: ${files.archiveStatuses}`);

    // Every Utrecht wijk is drawn, with the numbers the server publishes.
    const q = `level=wijk&indicator=${INDICATOR}&group=${GROUP}&gemeente=${GEMEENTE}`;
    const { res, body } = await getJSON(`${wijkkaart.url}/api/values?${q}`);
    assert.equal(res.status, 200, JSON.stringify(body));
    const drawn = Object.keys(rendered).filter((code) => code.startsWith('WK0344')).sort();
    assert.deepEqual(drawn, body.values.map((v) => v.code).sort(), 'rendered Utrecht wijken');
    assert.ok(body.values.some((v) => v.status === 'ok'), 'some wijk has a published value');
    for (const v of body.values) {
      const f = rendered[v.code];
      assert.equal(f.level, 'wijk', v.code);
      assert.equal(f.name, v.name, v.code);
      assert.equal(f.gemeente_code, GEMEENTE, v.code);
      assert.equal(f.status, v.status, v.code);
      // Absent numbers are absent properties, never 0: a suppressed value stays out of the archive too.
      assert.equal(f.value, v.value ?? undefined, `${v.code} value`);
      assert.equal(f.numerator, v.numerator ?? undefined, `${v.code} numerator`);
      assert.equal(f.nl_value, body.nederland.value ?? undefined, `${v.code} Nederland value`);
    }
  });
});
