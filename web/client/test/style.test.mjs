// Validates the server's MapLibre styles (and the styles package's golden
// files) with MapLibre's own style-spec validator, and checks TileJSON 3.0.0
// and the CORS headers a portal or GIS needs to load them.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { REPO_ROOT, getJSON, startServer } from './server.mjs';

const GOLDEN_DIR = join(REPO_ROOT, 'styles', 'testdata');
const LAYERS = ['wijkkaart-fill', 'wijkkaart-outline', 'wijkkaart-suppressed', 'wijkkaart-selected'];
const ORIGIN = 'https://portal.gemeente.example';

function assertValid(style, what) {
  const errors = validateStyleMin(style);
  assert.deepEqual(
    errors.map((e) => e.message),
    [],
    `${what}: MapLibre style-spec validation errors`,
  );
}

function assertCORS(res, what) {
  const allow = res.headers.get('access-control-allow-origin');
  assert.ok(allow === '*' || allow === ORIGIN, `${what}: Access-Control-Allow-Origin is ${allow}`);
}

function legendOf(style) {
  return style.metadata?.['wijkkaart:legend'];
}

/** A legend field that is an object with an id, or a plain id. */
const idOf = (x) => (x && typeof x === 'object' ? x.id : x);

/** The provenances a legend lists: {sources: [...]} or a plain list. */
const sourcesOf = (p) => (Array.isArray(p) ? p : p?.sources ?? []);

describe('MapLibre styles and TileJSON', { timeout: 180_000 }, () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.stop());

  const get = (path) => getJSON(server.url + path, { headers: { Origin: ORIGIN } });

  test('the choropleth style of Utrecht is a valid MapLibre style with the wijkkaart layers and legend', async () => {
    const path = '/styles/wijk.json?indicator=pct_bijstand&group=totaal&gemeente=GM0344';
    const { res, body: style } = await get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(style).slice(0, 300)}`);
    assertCORS(res, path);
    assertValid(style, path);
    assert.equal(style.version, 8);
    const src = style.sources?.wijkkaart;
    assert.equal(src?.type, 'vector', 'source wijkkaart is a vector source');
    assert.ok(src.url || src.tiles, 'source wijkkaart has a TileJSON url or tiles');
    const ids = style.layers.map((l) => l.id);
    for (const id of LAYERS) {
      assert.ok(ids.includes(id), `layer ${id} in ${ids}`);
      const layer = style.layers.find((l) => l.id === id);
      assert.equal(layer.source, 'wijkkaart', `${id} source`);
      assert.equal(layer['source-layer'], 'wijk', `${id} source-layer`);
    }
    const legend = legendOf(style);
    assert.ok(legend, 'style.metadata["wijkkaart:legend"]');
    assert.equal(idOf(legend.indicator), 'pct_bijstand');
    assert.equal(idOf(legend.group), 'totaal');
    assert.equal(legend.kind, 'diverging', 'an evaluative indicator has a diverging legend');
    assert.ok(Array.isArray(legend.classes) && legend.classes.length >= 2, 'legend classes');
    for (const c of legend.classes) assert.match(String(c.color), /^(#[0-9a-f]{3,8}|rgba?\(.*\))$/i, `class colour ${c.color}`);
    assert.ok(Array.isArray(legend.specials), 'legend specials');
    assert.ok(sourcesOf(legend.provenance).length > 0, 'legend provenance');
    assert.ok(legend.specials.some((s) => s.status === 'outside'), 'with a gemeente chosen, the legend lists the areas outside it');

    // The style's TileJSON resolves and its tiles answer, as MapLibre would load them.
    if (src.url) {
      const tj = await get(new URL(src.url, `${server.url}/`).pathname + new URL(src.url, `${server.url}/`).search);
      assert.equal(tj.res.status, 200, `source url ${src.url}`);
      assert.ok(tj.body.tiles?.length > 0, 'TileJSON of the style source has tiles');
    }
  });

  test('a descriptive indicator gets a valid style with a sequential legend', async () => {
    const path = '/styles/wijk.json?indicator=inwoners&group=totaal';
    const { res, body: style } = await get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(style).slice(0, 300)}`);
    assertValid(style, path);
    assert.equal(legendOf(style)?.kind, 'sequential');
  });

  test('the gemeente-level style is valid and uses source-layer gemeente', async () => {
    const path = '/styles/gemeente.json?indicator=pct_bijstand&group=marokko';
    const { res, body: style } = await get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(style).slice(0, 300)}`);
    assertValid(style, path);
    assert.equal(style.layers.find((l) => l.id === 'wijkkaart-fill')?.['source-layer'], 'gemeente');
  });

  test('an unknown indicator in a style request is a 4xx with a JSON error', async () => {
    const { res, body } = await get('/styles/wijk.json?indicator=nope&group=totaal');
    assert.ok(res.status === 400 || res.status === 404, `status ${res.status}`);
    assert.match(String(body?.error), /nope|indicator/i);
  });

  test('every golden style in styles/testdata is valid', async () => {
    const files = (await readdir(GOLDEN_DIR).catch(() => [])).filter((f) => f.endsWith('.style.json'));
    assert.ok(files.length > 0, `no *.style.json golden files in ${GOLDEN_DIR}`);
    for (const f of files) {
      const style = JSON.parse(await readFile(join(GOLDEN_DIR, f), 'utf8'));
      assertValid(style, f);
    }
  });

  test('TileJSON 3.0.0 describes the tiles', async () => {
    const path = '/tiles/wijk.json?indicator=pct_bijstand';
    const { res, body: tj } = await get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(tj).slice(0, 300)}`);
    assertCORS(res, path);
    assert.equal(tj.tilejson, '3.0.0');
    assert.ok(Array.isArray(tj.tiles) && tj.tiles.length > 0, 'tiles');
    const tmpl = tj.tiles[0];
    assert.match(tmpl, /\{z\}\/\{x\}\/\{y\}/, 'tiles template has {z}/{x}/{y}');
    assert.match(tmpl, /[?&]indicator=pct_bijstand(&|$)/, 'tiles template keeps the query');
    assert.ok(Array.isArray(tj.vector_layers) && tj.vector_layers.length > 0, 'vector_layers');
    const vl = tj.vector_layers.find((l) => l.id === 'wijk');
    assert.ok(vl, 'vector layer wijk');
    for (const f of ['code', 'name', 'status', 'value']) assert.ok(f in (vl.fields ?? {}), `field ${f} documented`);
    assert.equal(tj.bounds?.length, 4, 'bounds');
    const [w, s, e, n] = tj.bounds;
    assert.ok(w < e && s < n && w > 2 && e < 8 && s > 50 && n < 54, `bounds ${tj.bounds} lie around the Netherlands`);
    assert.ok(Number.isInteger(tj.minzoom) && Number.isInteger(tj.maxzoom) && tj.minzoom <= tj.maxzoom && tj.maxzoom <= 22, `zooms ${tj.minzoom}..${tj.maxzoom}`);
    assert.match(String(tj.attribution), /CBS/);

    // The template yields a tile with CORS, for a portal on another origin.
    const tileURL = new URL(tmpl.replace('{z}', '12').replace('{x}', '2106').replace('{y}', '1351'), `${server.url}/`);
    const tile = await fetch(`${server.url}${tileURL.pathname}${tileURL.search}`, { headers: { Origin: ORIGIN } });
    assert.equal(tile.status, 200, `tile from template: ${tileURL}`);
    assertCORS(tile, 'tile');
  });
});
