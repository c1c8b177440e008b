// The background map's style combined with the server's (src/basemap.js),
// without a browser: which layers come first, what is dropped, what is made
// see-through, which font the names take, and how relative URLs resolve.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { absolutized, BASEMAP_FILL_OPACITY, withBasemap } from '../src/basemap.js';

/** A server style as /styles/wijk.json writes it, cut down to what matters here. */
const OWN = {
  version: 8,
  glyphs: 'http://wk.test/fonts/{fontstack}/{range}.pbf',
  sources: { wijkkaart: { type: 'vector', url: 'http://wk.test/tiles/wijk.json' }, 'wijkkaart-labels': { type: 'geojson', data: 'http://wk.test/api/labels?level=wijk' } },
  layers: [
    { id: 'wijkkaart-background', type: 'background', paint: { 'background-color': '#e8edf1' } },
    { id: 'wijkkaart-fill', type: 'fill', source: 'wijkkaart', 'source-layer': 'wijk', paint: { 'fill-color': '#000', 'fill-opacity': ['case', ['!=', ['get', 'gemeente_code'], 'GM0344'], 0.45, 0.85] } },
    { id: 'wijkkaart-outline', type: 'line', source: 'wijkkaart', 'source-layer': 'wijk', paint: { 'line-width': 0.5 } },
    { id: 'wijkkaart-label', type: 'symbol', source: 'wijkkaart-labels', layout: { 'text-field': ['get', 'name'], 'text-font': ['Go Regular'] }, paint: {} },
  ],
};

const BRT = {
  version: 8,
  glyphs: 'https://api.example.nl/fonts/{fontstack}/{range}.pbf',
  sprite: 'https://api.example.nl/sprites/brt',
  sources: { brt: { type: 'vector', tiles: ['https://api.example.nl/tiles/{z}/{y}/{x}.pbf'] } },
  layers: [
    { id: 'brt-land', type: 'background', paint: { 'background-color': '#f4f1ea' } },
    { id: 'brt-places', type: 'symbol', source: 'brt', 'source-layer': 'places', layout: { 'text-field': ['get', 'name'], 'text-font': ['Noto Sans Regular'] } },
  ],
};

describe('a background map under the choropleth', () => {
  test('without one, the server style is shown as it is', () => {
    assert.equal(withBasemap(OWN, null), OWN);
  });

  test('its layers first, then the choropleth without its background, fills see-through', () => {
    const s = withBasemap(OWN, BRT);
    assert.deepEqual(s.layers.map((l) => l.id), ['brt-land', 'brt-places', 'wijkkaart-fill', 'wijkkaart-outline', 'wijkkaart-label']);
    assert.deepEqual(Object.keys(s.sources), ['brt', 'wijkkaart', 'wijkkaart-labels']);
    const round = (v) => Math.round(v * 100) / 100;
    assert.deepEqual(s.layers[2].paint['fill-opacity'], ['case', ['!=', ['get', 'gemeente_code'], 'GM0344'], round(0.45 * BASEMAP_FILL_OPACITY), round(0.85 * BASEMAP_FILL_OPACITY)]);
    assert.equal(s.sprite, BRT.sprite);
  });

  test("one glyphs URL: the background map's, and the names take its font", () => {
    const s = withBasemap(OWN, BRT);
    assert.equal(s.glyphs, BRT.glyphs);
    assert.deepEqual(s.layers.at(-1).layout['text-font'], ['Noto Sans Regular']);
    assert.deepEqual(OWN.layers.at(-1).layout['text-font'], ['Go Regular'], 'the server style is not changed');
  });

  test('a background map with glyphs but no font of its own: no names', () => {
    const s = withBasemap(OWN, { ...BRT, layers: [BRT.layers[0]] });
    assert.ok(!s.layers.some((l) => l.id === 'wijkkaart-label'));
  });

  test('a background map without glyphs keeps the server glyphs and font', () => {
    const s = withBasemap(OWN, { version: 8, sources: {}, layers: [BRT.layers[0]] });
    assert.equal(s.glyphs, OWN.glyphs);
    assert.deepEqual(s.layers.at(-1).layout['text-font'], ['Go Regular']);
  });

  test('relative URLs resolve against the style, keeping template braces', () => {
    const s = absolutized(
      { version: 8, glyphs: 'fonts/{fontstack}/{range}.pbf', sprite: '/sprites/brt', sources: { brt: { type: 'vector', tiles: ['tiles/{z}/{y}/{x}.pbf'] }, t: { type: 'vector', url: 'https://other.example/t.json' } }, layers: [] },
      'https://api.example.nl/styles/brt/style.json',
    );
    assert.equal(s.glyphs, 'https://api.example.nl/styles/brt/fonts/{fontstack}/{range}.pbf');
    assert.equal(s.sprite, 'https://api.example.nl/sprites/brt');
    assert.deepEqual(s.sources.brt.tiles, ['https://api.example.nl/styles/brt/tiles/{z}/{y}/{x}.pbf']);
    assert.equal(s.sources.t.url, 'https://other.example/t.json');
  });
});
