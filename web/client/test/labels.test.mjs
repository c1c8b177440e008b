// Reading the map (issue 12, story 5) in headless Chromium against the real
// server: area names drawn with glyphs the server serves itself, at the zooms
// where they fit; by default no request leaves the server's origin; with
// --basemap-style the choropleth is drawn over a background map whose origin
// the page's CSP allows. axe-core on each view.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { assertAccessible, launchBrowser, openPage, renderedFeatures, screenshot } from './chromium.mjs';
import { STORE, startServer } from './server.mjs';

const UTRECHT = '/?gemeente=GM0344&indicator=pct_bijstand&group=marokko';
const Z12 = '&view=12.00/52.09000/5.12000';

/** A background map's style, served from another origin than the server's. */
const BASEMAP_STYLE = {
  version: 8,
  name: 'test background map',
  sources: {},
  layers: [{ id: 'basemap-land', type: 'background', paint: { 'background-color': '#d8e8c8' } }],
};

/** Serves BASEMAP_STYLE at /style.json on a free loopback port, counting requests. */
async function startBasemap() {
  const seen = [];
  const srv = createServer((req, res) => {
    seen.push(req.url);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    res.end(JSON.stringify(BASEMAP_STYLE));
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
  return { origin: `http://127.0.0.1:${port}`, seen, stop: () => new Promise((r) => srv.close(r)) };
}

describe(`area names and background map in Chromium (${STORE})`, { timeout: 300_000 }, () => {
  let server;
  let browser;
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a page and collects the URL of every request it makes. */
  async function openWatched(base, path) {
    const requests = [];
    const page = await openPage(browser, base, path, pageErrors, undefined, (p) => p.on('request', (req) => requests.push(req.url())));
    return { page, requests };
  }

  test('wijk names at z12, drawn with glyphs the server serves; no request leaves its origin', async () => {
    const { page, requests } = await openWatched(server.url, UTRECHT + Z12);
    const labels = await renderedFeatures(page, 'wijkkaart-label');
    const utrecht = Object.values(labels).filter((f) => f.code.startsWith('WK0344'));
    assert.ok(utrecht.length >= 5, `at least five Utrecht wijken named, got ${utrecht.map((f) => f.name)}`);
    assert.ok(utrecht.every((f) => /^Wijk \d\d /.test(f.name)), 'the labels are the wijken');
    const perCode = await page.evaluate(() => {
      const n = {};
      for (const f of window.wijkkaart.map.queryRenderedFeatures({ layers: ['wijkkaart-label'] })) n[f.properties.code] = (n[f.properties.code] ?? 0) + 1;
      return n;
    });
    assert.ok(Object.values(perCode).every((n) => n === 1), `every area named once, not once per tile: ${JSON.stringify(perCode)}`);
    assert.ok(
      requests.some((u) => new URL(u).pathname === '/fonts/Go%20Regular/0-255.pbf'),
      'the glyphs come from the server',
    );
    const elsewhere = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== server.url);
    assert.deepEqual(elsewhere, [], 'no request leaves the server origin');
    const csp = (await fetch(server.url + UTRECHT)).headers.get('content-security-policy');
    assert.match(csp, /connect-src 'self';/, 'the page may connect to its own origin only');
    await screenshot(page, `utrecht-wijk-names-${STORE}`);
    await assertAccessible(page, 'the map with wijk names');
    await page.close();
  });

  test('names fit the zoom: gemeente names at z8, no wijk names below z11', async () => {
    const { page } = await openWatched(server.url, '/?level=gemeente&indicator=pct_bijstand&group=marokko&view=8.00/52.00000/4.80000');
    const gemeenten = Object.values(await renderedFeatures(page, 'wijkkaart-label')).map((f) => f.name);
    // Collision detection leaves out names that do not fit; these do.
    assert.ok(gemeenten.includes('Utrecht') && gemeenten.includes("'s-Gravenhage"), `gemeente names at z8: ${gemeenten}`);
    await page.check('input[name=level][value=wijk]');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('level') === 'wijk');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(await page.evaluate(() => window.wijkkaart.map.getZoom().toFixed(2)), '8.00');
    assert.deepEqual(Object.keys(await renderedFeatures(page, 'wijkkaart-label')), [], 'no wijk names at z8');
    await page.close();
  });

  test('--basemap-style: the choropleth over a background map, whose origin the CSP allows', async (t) => {
    if (process.env.WIJKKAART_URL) return t.skip('needs a server of its own');
    const basemap = await startBasemap();
    const styled = await startServer({ args: ['--basemap-style', `${basemap.origin}/style.json`] });
    try {
      const csp = (await fetch(styled.url + UTRECHT)).headers.get('content-security-policy');
      assert.match(csp, new RegExp(`connect-src 'self' ${basemap.origin};`));
      const { page, requests } = await openWatched(styled.url, UTRECHT + Z12);
      assert.ok(requests.includes(`${basemap.origin}/style.json`), 'the page loaded the background style');
      const style = await page.evaluate(() => {
        const s = window.wijkkaart.map.getStyle();
        return { ids: s.layers.map((l) => l.id), opacity: window.wijkkaart.map.getPaintProperty('wijkkaart-fill', 'fill-opacity') };
      });
      assert.equal(style.ids[0], 'basemap-land', 'the background map is drawn first');
      assert.ok(!style.ids.includes('wijkkaart-background'), 'the choropleth does not hide it');
      const numbers = (v) => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.flatMap(numbers) : []);
      const opacities = numbers(style.opacity);
      assert.ok(opacities.every((o) => o < 0.85), `fills are see-through: ${JSON.stringify(style.opacity)}`);
      const names = Object.values(await renderedFeatures(page, 'wijkkaart-label')).filter((f) => f.code.startsWith('WK0344'));
      assert.ok(names.length >= 5, 'the wijk names are still drawn');
      await screenshot(page, `utrecht-basemap-${STORE}`);
      await assertAccessible(page, 'the map over a background map');
      await page.close();
    } finally {
      await styled.stop();
      await basemap.stop();
    }
  });

  test('the pages logged no errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
