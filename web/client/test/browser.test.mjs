// Drives the real map page in headless Chromium (WebGL through SwiftShader)
// against the real server: the page must render Utrecht's wijken, show the
// legend and the demo label, keep the selection in the URL, open a popup on
// click, update the style in place, and show a compact map in embed mode.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, findArea, launchBrowser, openPage, renderedFeatures, screenshot } from './chromium.mjs';
import { startServer } from './server.mjs';

const START = '/?gemeente=GM0344&indicator=pct_bijstand&group=totaal';
const READY_TIMEOUT_MS = 90_000;

describe('map page in Chromium', { timeout: 300_000 }, () => {
  let server;
  let browser;
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200, `GET / answered ${index.status}: ${(await index.text()).slice(0, 300)} — the server embeds web/client/dist: run \`npm run build\` before building it`);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = (path, viewport) => openPage(browser, server.url, path, pageErrors, viewport);

  test('WebGL works in headless Chromium', async () => {
    const page = await browser.newPage();
    const gl = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
      return ctx ? ctx.getParameter(ctx.VERSION) : null;
    });
    await page.close();
    assert.ok(gl, 'no WebGL context: MapLibre cannot render');
  });

  test('Utrecht: wijken, legend, demo label, group change, popup', { timeout: READY_TIMEOUT_MS * 2 }, async (t) => {
    const page = await open(START);

    // The ten Utrecht wijken are drawn, each with a status.
    const features = await renderedFeatures(page);
    const utrecht = Object.keys(features).filter((c) => /^WK0344/.test(c)).sort();
    assert.equal(utrecht.length, 10, `rendered Utrecht wijken: ${utrecht}`);
    for (const code of utrecht) assert.ok(['ok', 'suppressed', 'no_data'].includes(features[code].status), `${code} status ${features[code].status}`);

    // The legend lists classes with colours; the demo label is visible.
    const classes = await page.$$eval('#legend .legend-class', (lis) =>
      lis.map((li) => ({ color: getComputedStyle(li.querySelector('.swatch')).backgroundColor, label: li.querySelector('.label').textContent })),
    );
    assert.ok(classes.length >= 2, `legend classes: ${JSON.stringify(classes)}`);
    for (const c of classes) {
      assert.notEqual(c.color, 'rgba(0, 0, 0, 0)', `class ${c.label} has a colour`);
      assert.ok(c.label.trim().length > 0, 'class has a label');
    }
    assert.ok(await page.isVisible('#demo-label'), 'demo label visible');
    assert.match(await page.textContent('#demo-label'), /Demodata — geen echte CBS-cijfers/);
    assert.match(await page.textContent('.maplibregl-ctrl-attrib'), /CBS/);
    assert.match((await page.getAttribute('.maplibregl-canvas', 'aria-label')) ?? '', /Kaart/);
    assert.ok((await page.textContent('#legend')).includes('Nederland'), 'legend shows the Nederland reference');

    t.diagnostic(`screenshot: ${await screenshot(page, 'utrecht-bijstand-totaal')}`);
    await assertAccessible(page, 'the map page');

    // Another herkomstgroep: the URL and the map follow, without replacing
    // the whole style (which makes the map flash).
    await page.evaluate(() => (window.styleBefore = window.wijkkaart.map.style));
    await page.selectOption('#group', 'marokko');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('group') === 'marokko');
    await page.evaluate(() => window.wijkkaart.settled());
    const params = await page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));
    assert.equal(params.gemeente, 'GM0344');
    assert.equal(params.indicator, 'pct_bijstand');
    const legendGroup = await page.evaluate(() => {
      const g = window.wijkkaart.legend?.group;
      return g && typeof g === 'object' ? g.id : g;
    });
    assert.equal(legendGroup, 'marokko', 'the legend is that of the new style');
    const src = await page.evaluate(() => window.wijkkaart.map.getStyle().sources.wijkkaart.url ?? '');
    assert.match(src, /group=marokko/, 'the map loaded the marokko style');
    assert.equal(Object.keys(await renderedFeatures(page)).filter((c) => /^WK0344/.test(c)).length, 10);
    assert.ok(await page.evaluate(() => window.wijkkaart.map.style === window.styleBefore), 'the style was updated in place, not replaced');
    const fill = await page.evaluate(() => JSON.stringify(window.wijkkaart.map.getPaintProperty('wijkkaart-fill', 'fill-color')));
    const legendColors = await page.evaluate(() => window.wijkkaart.legend.classes.map((c) => c.color));
    for (const c of legendColors) assert.ok(fill.includes(c), `fill-color has the new legend's ${c}`);
    await screenshot(page, 'utrecht-bijstand-marokko');

    // A reload keeps the selection.
    await page.reload();
    await page.evaluate(() => window.wijkkaart.ready);
    assert.equal(await page.inputValue('#group'), 'marokko');
    assert.equal(await page.inputValue('#gemeente'), 'Utrecht');

    // Clicking a wijk opens a popup with its name.
    const hit = await findArea(page, '^WK0344');
    assert.ok(hit, 'found a Utrecht wijk to click');
    // Hovering highlights it through feature-state "hover".
    await page.mouse.move(hit.x, hit.y);
    await page.waitForFunction((code) => {
      const map = window.wijkkaart.map;
      const f = map.queryRenderedFeatures({ layers: ['wijkkaart-fill'] }).find((x) => x.properties.code === code);
      return f && map.getFeatureState({ source: 'wijkkaart', sourceLayer: 'wijk', id: f.id }).hover === true;
    }, hit.code, { timeout: 5000 });
    await page.mouse.click(hit.x, hit.y);
    await page.waitForSelector('.maplibregl-popup', { timeout: 5000 });
    const popup = await page.textContent('.maplibregl-popup');
    assert.ok(popup.includes(hit.name), `popup "${popup}" names ${hit.name}`);
    assert.match(popup, /Utrecht/);
    assert.match(popup, /geheim|geen gegevens|\d,\d/, 'popup shows a Dutch value or a status');
    assert.match(popup, /demodata|CBS/i, 'popup shows provenance');
    await screenshot(page, 'utrecht-popup');
    await page.close();
  });

  test('an indicator that cannot be split allows only totaal', async () => {
    const page = await open('/?gemeente=GM0344&indicator=pct_bijstand&group=marokko');
    await page.selectOption('#indicator', 'segregatie_index');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('indicator') === 'segregatie_index');
    assert.equal(await page.inputValue('#group'), 'totaal');
    assert.equal(new URL(page.url()).searchParams.get('group'), 'totaal');
    assert.ok(await page.isDisabled('#group option[value=marokko]'), 'marokko disabled');
    assert.ok(await page.isVisible('#group-note'), 'the reason is shown');
    await page.close();
  });

  test('embed mode: compact legend, only the group and indicator pickers', async () => {
    const page = await open(`${START}&embed=1`, { width: 800, height: 600 });
    assert.ok(await page.isVisible('#group'), 'group picker shown');
    assert.ok(await page.isVisible('#indicator'), 'indicator picker shown');
    for (const sel of ['#gemeente', '#legend-section', '#export-csv', '#panel-title']) assert.equal(await page.isVisible(sel), false, `${sel} hidden`);
    assert.ok(await page.isVisible('#compact-legend'), 'compact legend visible');
    assert.ok((await page.$$('#compact-legend .legend-class')).length >= 2, 'compact legend has classes');
    assert.ok(await page.isVisible('#demo-label'), 'demo label visible in embed mode');
    assert.ok(Object.keys(await renderedFeatures(page)).filter((c) => /^WK0344/.test(c)).length > 0, 'map renders Utrecht');
    await screenshot(page, 'utrecht-embed');
    await page.close();
  });

  test('level auto shows Rotterdam, whose wijken are large, as buurten', async () => {
    // 2022: the year buurten have values in (in a year without them auto shows wijken).
    const page = await open('/?gemeente=GM0599&indicator=pct_bijstand&group=marokko&level=auto&year=2022');
    const features = Object.values(await renderedFeatures(page)).filter((f) => f.gemeente_code === 'GM0599');
    assert.ok(features.length > 20, `Rotterdam renders ${features.length} areas`);
    assert.ok(features.every((f) => f.level === 'buurt' && /^BU0599/.test(f.code)), 'every Rotterdam area is a buurt');
    assert.ok(await page.isChecked('input[name=level][value=auto]'), 'the level switch shows auto');
    await screenshot(page, 'rotterdam-auto');
    await page.close();
  });

  test('the page logged no errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
