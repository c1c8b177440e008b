// Change over time (issue 10) in headless Chromium against the real server
// and the real demo data: the year picker (tiles, legend and panel follow
// it; years without values at a level are marked), the change map with a
// base year (tiles and style asked with compare=, the legend's not
// comparable entry, Amsterdam not comparable after Weesp joined it in 2023,
// Diemen with a change), the series chart of the area panel with its table
// and CSV, the URL state across a reload and back, English, and axe-core.
// Every test skips, saying why, when the server has one value year only or
// lacks the years API.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, findArea, launchBrowser, openPage, renderedFeatures, screenshot } from './chromium.mjs';
import { STORE, getJSON, startServer } from './server.mjs';

const AMSTERDAM = '/?gemeente=GM0363&level=gemeente&indicator=pct_bijstand&group=totaal';
// Gemeenten around Amsterdam, without choosing a gemeente: Amsterdam in the middle, Diemen south-east of it.
const AROUND_AMSTERDAM = '/?level=gemeente&indicator=pct_bijstand&group=totaal&view=10.00/52.37000/4.88000';
const YEARS = [2019, 2020, 2021, 2022, 2023, 2024];

/**
 * A point of a rendered area whose code matches pattern where a click
 * reaches the map: not under the area panel or a popup.
 * @param {import('playwright-core').Page} page
 * @param {string} pattern a RegExp source
 */
function findOpenArea(page, pattern) {
  return page.evaluate((pattern) => {
    const re = new RegExp(pattern);
    const map = window.wijkkaart.map;
    const canvas = map.getCanvas();
    const box = canvas.getBoundingClientRect();
    for (let y = 10; y < box.height - 10; y += 13) {
      for (let x = 10; x < box.width - 10; x += 13) {
        const f = map.queryRenderedFeatures([x, y], { layers: ['wijkkaart-fill'] })[0];
        if (f && re.test(f.properties.code) && document.elementFromPoint(box.left + x, box.top + y) === canvas) return { x: box.left + x, y: box.top + y, code: f.properties.code };
      }
    }
    return null;
  }, pattern);
}

describe(`value years and change maps in Chromium (${STORE})`, { timeout: 240_000 }, () => {
  let server;
  let browser;
  /** Why the tests cannot run against this server, or '' when they can. */
  let missing = '';
  let seriesMissing = '';
  /** The page of the change-map tests, shared by the tests that follow it. */
  let page;
  /** Every URL the shared page asked for. */
  const requests = [];
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const { body } = await getJSON(`${server.url}/api/indicators`);
    const years = body?.years ?? [];
    const gemeente = (body?.levels?.gemeente ?? []).map((y) => y.year);
    if (years.length < 2) missing = `the server reports ${years.length} value year(s) (${years.join(', ')}): the demo data of 2019–2024 (issue 10) has not landed in this branch`;
    else if (!YEARS.every((y) => gemeente.includes(y))) missing = `/api/indicators has no "levels" with the gemeente years 2019–2024 (got ${JSON.stringify(body?.levels ?? null)}): the years API (issue 10) has not landed in this branch`;
    else {
      const style = await fetch(`${server.url}/styles/gemeente.json?indicator=pct_bijstand&group=totaal&year=2024&compare=2022`);
      if (style.status !== 200) missing = `GET /styles/gemeente.json?…&compare=2022 answered ${style.status}: change maps (issue 10) have not landed in this branch`;
    }
    const series = await fetch(`${server.url}/api/series?level=gemeente&code=GM0363&indicator=pct_bijstand&group=totaal`);
    if (series.status !== 200) seriesMissing = `GET /api/series answered ${series.status}: the series API (issue 10) has not landed in this branch`;
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await server?.stop();
  });

  const params = (p) => new URL(p.url()).searchParams;
  /** The errors that count: without the series API its 404s are expected (the series test says it skipped). */
  const counted = (errs) => (seriesMissing ? errs.filter((e) => !/\/api\/series\?|status of 404/.test(e)) : errs);
  const tileURLs = (since = 0) => requests.slice(since).filter((u) => /\/tiles\/gemeente\/\d+\/\d+\/\d+\.mvt/.test(u)).map((u) => new URL(u).searchParams);

  test('year picker: the tiles, legend and panel follow the chosen year; boundary years are named, years without values marked', { timeout: 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    const errs = [];
    const seen = [];
    const p = await openPage(browser, server.url, AMSTERDAM, errs, undefined, (pg) => pg.on('request', (req) => seen.push(req.url())));
    assert.ok(await p.isVisible('#year'), 'the year picker is shown');
    const options = await p.$$eval('#year option', (os) => os.map((o) => ({ value: o.value, text: o.textContent, disabled: o.disabled })));
    assert.deepEqual(options.map((o) => Number(o.value)), YEARS);
    assert.equal(options.find((o) => o.value === '2020').text, '2020 (grenzen 2022)', 'a year on other boundaries says so');
    assert.equal(options.find((o) => o.value === '2024').text, '2024');
    assert.equal(await p.inputValue('#year'), '2024', 'the latest year by default');

    const before = seen.length;
    await p.selectOption('#year', '2020');
    await p.waitForFunction(() => new URLSearchParams(location.search).get('year') === '2020');
    await p.evaluate(() => window.wijkkaart.settled());
    const tiles = seen.slice(before).filter((u) => /\/tiles\/gemeente\/\d+\/\d+\/\d+\.mvt/.test(u));
    assert.ok(tiles.length > 0, 'tiles were asked for');
    for (const u of tiles) assert.equal(new URL(u).searchParams.get('year'), '2020', u);
    assert.equal(await p.evaluate(() => window.wijkkaart.legend.year), 2020);
    assert.match(await p.textContent('#legend .legend-sub'), /2020/);
    const amsterdam = (await renderedFeatures(p)).GM0363;
    assert.ok(amsterdam, 'Amsterdam is drawn');

    // The area panel follows the year too.
    await p.selectOption('#area', 'GM0363');
    await p.evaluate(() => window.wijkkaart.panelLoaded());
    if (!seriesMissing) {
      assert.match(await p.textContent('#area-series .series-summary'), /^2020: /);
      assert.equal(await p.getAttribute('#area-series .series-selected', 'data-year'), '2020');
    }

    // Buurten have values in 2022 only: the other years are marked and cannot be chosen.
    await p.check('input[name=level][value=buurt]');
    await p.waitForFunction(() => new URLSearchParams(location.search).get('level') === 'buurt');
    const buurt = await p.$$eval('#year option', (os) => os.map((o) => ({ value: o.value, text: o.textContent, disabled: o.disabled })));
    assert.deepEqual(buurt.filter((o) => !o.disabled).map((o) => o.value), ['2022']);
    assert.match(buurt.find((o) => o.value === '2024').text, /geen cijfers/);
    assert.equal(params(p).get('year'), '2022', 'the year moved to one the level has');

    // Back steps through the choices: gemeente level and 2020 again.
    await p.goBack();
    await p.waitForFunction(() => new URLSearchParams(location.search).get('level') === 'gemeente');
    assert.equal(await p.inputValue('#year'), '2020');
    await p.close();
    assert.deepEqual(counted(errs), []);
  });

  test('change map: 2024 since 2022 asks for compare=2022; Amsterdam (Weesp joined in 2023) is not comparable, Diemen has a change', { timeout: 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    page = await openPage(browser, server.url, `${AROUND_AMSTERDAM}&year=2024`, pageErrors, undefined, (pg) => pg.on('request', (req) => requests.push(req.url())));
    assert.equal(await page.isChecked('#change-on'), false);
    assert.ok(await page.isDisabled('#base-year'), 'no base year without the change map');
    const since = requests.length;
    await page.check('#change-on');
    await page.waitForFunction(() => /^\d{4}$/.test(new URLSearchParams(location.search).get('compare') ?? ''));
    await page.selectOption('#base-year', '2022');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('compare') === '2022');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.ok(await page.isDisabled('#base-year option[value="2024"]'), 'the shown year is no base year');

    const tiles = tileURLs(since).filter((q) => q.get('compare') === '2022');
    assert.ok(tiles.length > 0, `tiles asked with compare=2022: ${tileURLs(since).map(String).join(' | ')}`);
    for (const q of tiles) assert.equal(q.get('year'), '2024');
    assert.ok(requests.slice(since).some((u) => /\/styles\/gemeente\.json\?.*compare=2022/.test(u)), 'the style was asked with compare=2022');

    const legend = await page.textContent('#legend');
    assert.match(legend, /Niet vergelijkbaar/);
    assert.ok((await page.$$('#legend .legend-class')).length >= 2, 'the legend lists the classes of the change');

    const features = await renderedFeatures(page);
    assert.equal(features.GM0363?.status, 'not_comparable', `Amsterdam: ${JSON.stringify(features.GM0363)}`);
    assert.equal(typeof features.GM0384?.change, 'number', `Diemen: ${JSON.stringify(features.GM0384)}`);
    assert.equal(features.GM0384.status, 'ok');
    assert.ok(Math.abs(features.GM0384.change - (features.GM0384.value - features.GM0384.base_value)) < 0.051, 'change is value − base value');
    await screenshot(page, 'amsterdam-change-2024-2022');

    // Diemen's popup: value, base value and the change with its unit.
    const hit = await findArea(page, '^GM0384$');
    assert.ok(hit, 'Diemen is on screen');
    await page.mouse.click(hit.x, hit.y);
    await page.waitForSelector('.maplibregl-popup .popup-change', { timeout: 5000 });
    const popup = await page.textContent('.maplibregl-popup');
    assert.match(popup, /2024: \d+,\d%/);
    assert.match(popup, /2022: \d+,\d%/);
    assert.match(popup, /Verandering: ([+−]\d+,\d|0,0) procentpunt/);
    await page.waitForFunction(() => new URLSearchParams(location.search).get('area') === 'GM0384');
  });

  test('series chart: Amsterdam 2019–2024, 2019–2022 not comparable and not joined to 2023; table, CSV, axe', { timeout: 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    if (seriesMissing) return t.skip(seriesMissing);
    assert.ok(page, 'the change map test opened the page');
    const hit = await findOpenArea(page, '^GM0363$');
    assert.ok(hit, 'Amsterdam is on screen');
    await page.mouse.click(hit.x, hit.y);
    await page.waitForFunction(() => new URLSearchParams(location.search).get('area') === 'GM0363');
    // Its popup says why there is no change.
    assert.match(await page.textContent('.maplibregl-popup'), /Niet vergelijkbaar: de grenzen van dit gebied zijn tussen 2022 en 2024 veranderd/);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.ok(await page.isVisible('#area-series .series-chart'), 'the chart is shown');

    const points = await page.$$eval('#area-series .series-area .series-point', (ps) => ps.map((p) => ({ year: Number(p.dataset.year), comparable: p.dataset.comparable })));
    assert.deepEqual(points.map((p) => p.year), YEARS, 'a point for every year');
    for (const p of points) assert.equal(p.comparable, String(p.year >= 2023), `${p.year}`);
    const segs = await page.$$eval('#area-series .series-area .series-seg', (ss) => ss.map((s) => `${s.dataset.from}-${s.dataset.to}`));
    assert.ok(!segs.includes('2022-2023'), `no line joins 2022 to 2023: ${segs}`);
    assert.ok(segs.includes('2023-2024'), `2023 and 2024 are joined: ${segs}`);
    assert.ok((await page.$$('#area-series .series-gemeente')).length === 0, 'a gemeente has no gemeente line');
    assert.ok((await page.$$('#area-series .series-nederland .series-point')).length >= 2, 'Nederland is drawn');
    assert.match(await page.textContent('#area-series .series-note'), /niet vergelijkbaar/i);
    // The change map's years: Amsterdam 2024 is not the area of 2022.
    assert.match(await page.textContent('#area-series .series-not-comparable'), /grenzen van dit gebied zijn tussen 2022 en 2024 veranderd/);

    await page.click('#area-series .series-details summary');
    const rows = await page.$$eval('#area-series .series-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.deepEqual(rows.map((r) => Number(r[0])), YEARS, 'the table lists six years');
    assert.deepEqual(rows.map((r) => r[4]), ['nee', 'nee', 'nee', 'nee', 'ja', 'ja']);
    assert.deepEqual(rows.map((r) => r[3]), ['2022', '2022', '2022', '2022', '2023', '2024']);
    assert.ok((await page.$$('#area-series .series-table th[scope=col]')).length >= 5);
    assert.ok(await page.textContent('#area-series .series-table caption'));

    const href = await page.getAttribute('#area-series .series-csv', 'href');
    assert.match(href, /format=csv/);
    const csv = await fetch(new URL(href, page.url()));
    assert.equal(csv.status, 200);
    assert.ok((await csv.text()).trim().split('\n').length >= 7, 'the CSV has a header and six years');
    await screenshot(page, 'amsterdam-series');
    await assertAccessible(page, 'the series chart with its table');
  });

  test('URL state: a reload restores year and base year; back leaves the change map', { timeout: 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    assert.ok(page, 'the change map test opened the page');
    const before = Object.fromEntries(params(page));
    await page.reload();
    await page.evaluate(() => window.wijkkaart.ready);
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(params(page).get('year'), before.year);
    assert.deepEqual(params(page).getAll('compare').filter((c) => /^\d{4}$/.test(c)), ['2022']);
    assert.equal(await page.inputValue('#year'), '2024');
    assert.ok(await page.isChecked('#change-on'));
    assert.equal(await page.inputValue('#base-year'), '2022');
    assert.equal(await page.evaluate(() => window.wijkkaart.state.base), 2022);
    assert.match(await page.textContent('#legend'), /Niet vergelijkbaar/);

    // Back to before the areas, and before the base year: a map of values again.
    const back = async () => {
      const url = page.url();
      await page.goBack();
      await page.waitForFunction((u) => location.href !== u, url);
    };
    while (params(page).get('area')) await back();
    assert.equal(params(page).get('compare'), '2022');
    await back();
    assert.equal(params(page).get('compare'), '2023', 'switching the change map on chose the year before');
    await back();
    assert.equal(params(page).get('compare'), null);
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(await page.isChecked('#change-on'), false);
    assert.doesNotMatch(await page.textContent('#legend'), /Niet vergelijkbaar/);
    await page.goForward();
    await page.goForward();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('compare') === '2022');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.match(await page.textContent('#legend'), /Niet vergelijkbaar/);
  });

  test('English: picker, legend, popup texts and chart', { timeout: 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    assert.ok(page, 'the change map test opened the page');
    await page.click('#lang-switch');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('lang') === 'en');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.match(await page.textContent('label[for=change-on]'), /Change since/);
    assert.match(await page.textContent('#legend'), /Not comparable/);
    assert.equal(await page.getAttribute('#base-year', 'aria-label'), 'Base year');
    if (!seriesMissing) {
      const hit = await findOpenArea(page, '^GM0363$');
      await page.mouse.click(hit.x, hit.y);
      await page.waitForFunction(() => new URLSearchParams(location.search).get('area') === 'GM0363');
      await page.evaluate(() => window.wijkkaart.panelLoaded());
      assert.match(await page.textContent('#area-series .series-heading'), /Over time, 2019–2024/);
      assert.match(await page.textContent('#area-series .series-details summary'), /Table/);
    }
    await screenshot(page, 'amsterdam-change-en');
  });

  test('the pages logged no errors', (t) => {
    if (missing) return t.skip(missing);
    assert.deepEqual(counted(pageErrors), []);
  });
});
