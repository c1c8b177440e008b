// The wijkmanager's stories (issue 12) in headless Chromium against the real
// server: the herkomst panel by click and by keyboard, the selection in the
// URL with back and forward, English, CSV and PNG exports checked byte by
// byte, and /embed with its options and the embed dialog; axe-core on each
// view.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, assertAccessible, findArea, launchBrowser, openPage, renderedFeatures, screenshot } from './chromium.mjs';
import { STORE, getJSON, startServer } from './server.mjs';
import { formatValue, formatCounts, statusText } from '../src/format.js';

const UTRECHT = '/?gemeente=GM0344&indicator=pct_bijstand&group=marokko';
const ROTTERDAM = '/?gemeente=GM0599&indicator=pct_bijstand&group=marokko';

describe(`stories in Chromium (${STORE})`, { timeout: 600_000 }, () => {
  let server;
  let browser;
  let catalog;
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const [groups, indicators] = await Promise.all([getJSON(`${server.url}/api/groups`), getJSON(`${server.url}/api/indicators`)]);
    catalog = { groups: groups.body.groups, bijstand: indicators.body.indicators.find((i) => i.id === 'pct_bijstand') };
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = (path, viewport) => openPage(browser, server.url, path, pageErrors, viewport);
  const params = (page) => new URL(page.url()).searchParams;
  const inSplit = (split) => ['totaal', ...catalog.groups.filter((g) => g.id !== 'totaal' && g.splits.includes(split)).map((g) => g.id)];

  /** What the panel must show for a value row of /api/values. */
  function expectedText(row, lang = 'nl') {
    if (!row || row.status !== 'ok') return statusText(row?.status ?? 'no_data', 10, lang);
    const counts = formatCounts(row.numerator, row.denominator, undefined, lang);
    return `${formatValue(row.value, catalog.bijstand, lang)}${counts ? ` — ${counts}` : ''}`;
  }

  /** The panel's table as {group: [area, gemeente, nederland]}. */
  function panelTable(page) {
    return page.$$eval('#area-panel .hk-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.group, [...tr.querySelectorAll('td')].map((td) => td.textContent)])));
  }

  test('herkomst panel: a click shows every group of the split beside gemeente and Nederland', async () => {
    const page = await open(ROTTERDAM);
    const hit = await findArea(page, '^WK0599');
    assert.ok(hit, 'a Rotterdam wijk to click');
    await page.mouse.click(hit.x, hit.y);
    await page.waitForFunction((code) => new URLSearchParams(location.search).get('area') === code, hit.code);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.ok(await page.isVisible('#area-panel'));
    assert.match(await page.textContent('#area-heading'), new RegExp(hit.name));

    // Marokko is in the twenty-way split: totaal and those twenty groups, in table and chart.
    const table = await panelTable(page);
    assert.deepEqual(Object.keys(table), inSplit('herkomst20'));
    assert.equal((await page.$$('#area-panel .hk-chart .hk-row')).length, inSplit('herkomst20').length);

    // Every cell is the published value with its counts, or its status — never 0.
    let notOk = 0;
    for (const group of Object.keys(table)) {
      const q = `indicator=pct_bijstand&group=${group}&gemeente=GM0599`;
      const [wijk, gm] = await Promise.all([getJSON(`${server.url}/api/values?level=wijk&${q}`), getJSON(`${server.url}/api/values?level=gemeente&${q}`)]);
      const row = wijk.body.values.find((v) => v.code === hit.code);
      if (row.status !== 'ok') notOk++;
      assert.deepEqual(table[group], [expectedText(row), expectedText(gm.body.values[0]), expectedText({ ...wijk.body.nederland, numerator: undefined })], group);
      if (row.status !== 'ok') assert.doesNotMatch(table[group][0], /%| van /, `${group}: ${row.status} has no value or counts`);
    }
    console.log(`${hit.code}: ${notOk} groups without a published value`);
    // The selected area is outlined through feature state.
    const selected = await page.evaluate((code) => {
      const map = window.wijkkaart.map;
      const f = map.queryRenderedFeatures({ layers: ['wijkkaart-fill'] }).find((x) => x.properties.code === code);
      return map.getFeatureState({ source: 'wijkkaart', sourceLayer: 'wijk', id: f.id }).selected;
    }, hit.code);
    assert.equal(selected, true);
    await screenshot(page, 'rotterdam-herkomst-panel');
    await assertAccessible(page, 'the herkomst panel');

    // Another split: totaal and the five groups.
    await page.selectOption('#split', 'herkomst5');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('split') === 'herkomst5');
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.deepEqual(Object.keys(await panelTable(page)), inSplit('herkomst5'));
    await page.close();
  });

  test('herkomst panel: suppressed, no data and no residents are shown as such', async () => {
    // Buurt Rotterdam: find one where a group has each status.
    const statuses = new Map();
    for (const group of inSplit('herkomst20')) {
      const { body } = await getJSON(`${server.url}/api/values?level=wijk&indicator=pct_bijstand&group=${group}&gemeente=GM0599`);
      for (const v of body.values) if (v.status !== 'ok') statuses.set(v.code, new Set([...(statuses.get(v.code) ?? []), v.status]));
    }
    const [code] = [...statuses.entries()].sort((a, b) => b[1].size - a[1].size)[0];
    const page = await open(`${ROTTERDAM}&area=${code}`);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    const texts = Object.values(await panelTable(page)).map((cells) => cells[0]);
    for (const s of statuses.get(code)) assert.ok(texts.includes(statusText(s)), `${code} shows "${statusText(s)}"`);
    assert.ok(!texts.some((x) => /^0(,0)?%/.test(x)), 'no 0 instead of a status');
    await page.close();
  });

  test('keyboard: choose an area from the list, Escape closes the panel', async () => {
    const page = await open(UTRECHT);
    await page.waitForFunction(() => document.querySelectorAll('#area option').length > 1);
    await page.focus('#area');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => !!new URLSearchParams(location.search).get('area'));
    const code = params(page).get('area');
    assert.match(code, /^WK0344/);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.ok(await page.isVisible('#area-panel'));
    await page.focus('#split');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URLSearchParams(location.search).get('area'));
    assert.equal(await page.isVisible('#area-panel'), false);
    await page.close();
  });

  test('URL state: pinned area= and groups=, restored on load, back and forward', async () => {
    const page = await open(`/?gemeente=GM0599&indicator=pct_bijstand&group=marokko&area=WK059901&groups=marokko,turkije,suriname`);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.equal(params(page).get('area'), 'WK059901');
    assert.equal(params(page).get('groups'), 'marokko,turkije,suriname');
    assert.ok(await page.isVisible('#area-panel'));
    assert.equal(await page.inputValue('#area'), 'WK059901');

    await page.selectOption('#group', 'turkije');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('group') === 'turkije');
    await page.evaluate(() => window.wijkkaart.settled());
    await page.selectOption('#indicator', 'pct_nww');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('indicator') === 'pct_nww');
    await page.evaluate(() => window.wijkkaart.settled());

    await page.goBack();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('indicator') === 'pct_bijstand');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(await page.inputValue('#indicator'), 'pct_bijstand');
    assert.equal(await page.inputValue('#group'), 'turkije');
    await page.goBack();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('group') === 'marokko');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(await page.inputValue('#group'), 'marokko');
    assert.equal(await page.evaluate(() => window.wijkkaart.legend.group.id), 'marokko', 'the map shows marokko again');
    assert.equal(params(page).get('area'), 'WK059901');
    await page.goForward();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('group') === 'turkije');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(await page.evaluate(() => window.wijkkaart.legend.group.id), 'turkije');
    await page.close();
  });

  test('URL state: classification and map view', async () => {
    const page = await open(`${UTRECHT}&method=quantile&classes=4&view=12.00/52.09000/5.12000`);
    assert.equal(await page.evaluate(() => window.wijkkaart.legend.method), 'quantile');
    assert.ok((await page.evaluate(() => window.wijkkaart.legend.classes.length)) <= 4);
    assert.equal(await page.inputValue('#method'), 'quantile');
    const view = await page.evaluate(() => [window.wijkkaart.map.getZoom(), window.wijkkaart.map.getCenter().lat, window.wijkkaart.map.getCenter().lng]);
    assert.deepEqual(view.map((v) => v.toFixed(2)), ['12.00', '52.09', '5.12'], 'the view of the link');

    await page.selectOption('#classes', '3');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('classes') === '3');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(await page.evaluate(() => window.wijkkaart.legend.classes.length), 3);
    assert.equal(await page.$$eval('#legend .legend-class', (l) => l.length), 3);

    // Moving the map rewrites the view in place, without a history entry.
    const before = await page.evaluate(() => history.length);
    await page.evaluate(() => window.wijkkaart.map.jumpTo({ center: [5.1, 52.1], zoom: 13 }));
    await page.waitForFunction(() => new URLSearchParams(location.search).get('view') === '13.00/52.10000/5.10000');
    assert.equal(await page.evaluate(() => history.length), before);
    await page.reload();
    await page.evaluate(() => window.wijkkaart.ready);
    assert.equal((await page.evaluate(() => window.wijkkaart.map.getZoom())).toFixed(2), '13.00');
    await page.close();
  });

  test('English: <html lang>, controls, legend, panel; kept in the URL', async () => {
    const page = await open(`${UTRECHT}&area=WK034403`);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.equal(params(page).get('lang'), 'en');
    assert.equal(await page.textContent('label[for=group]'), 'Migration background');
    assert.equal(await page.textContent('#lang-switch'), 'NL');
    assert.equal(await page.$eval('#indicator option:checked', (o) => o.textContent), catalog.bijstand.name_en);
    assert.match(await page.textContent('#legend'), /more favourable than the Dutch average/);
    assert.match(await page.textContent('#demo-label'), /Demo data — not real CBS figures/);
    assert.match(await page.textContent('#area-panel'), /all migration background groups/);
    assert.match(await page.textContent('#area-panel .hk-table'), /\d\.\d% — [\d,]+ of [\d,]+/);
    assert.match((await page.getAttribute('.maplibregl-canvas', 'aria-label')) ?? '', /^Map: /);
    await screenshot(page, 'utrecht-english');
    await assertAccessible(page, 'the English page');
    await page.reload();
    await page.evaluate(() => window.wijkkaart.ready);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    assert.equal(await page.textContent('label[for=group]'), 'Herkomstgroep');
    await page.close();
  });

  test('CSV export: the areas on screen, UTF-8 BOM, semicolons, decimal comma', async () => {
    const page = await open(UTRECHT);
    const onScreen = Object.keys(await renderedFeatures(page)).filter((c) => c.startsWith('WK0344')).sort();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=CSV')]);
    const path = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(path);
    const bytes = await readFile(path);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], 'code;naam;niveau;gemeente;indicator;herkomstgroep;jaar;waarde;teller;noemer;status;herkomst cijfer');
    const rows = lines.slice(1).map((l) => l.split(';'));
    assert.deepEqual(rows.map((r) => r[0]), onScreen);
    const { body } = await getJSON(`${server.url}/api/values?level=wijk&indicator=pct_bijstand&group=marokko&gemeente=GM0344`);
    for (const r of rows) {
      const v = body.values.find((x) => x.code === r[0]);
      assert.equal(r[7], v.status === 'ok' ? String(v.value).replace('.', ',') : '', `${r[0]} value`);
      assert.equal(r[10], v.status === 'ok' ? 'ok' : statusText(v.status), `${r[0]} status`);
    }
    assert.match(download.suggestedFilename(), /^wijkkaart-pct_bijstand-marokko-GM0344-\d{4}\.csv$/);
    await page.close();
  });

  test('PNG export: the map with title, legend, source line and demo label', async () => {
    const page = await open(UTRECHT);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=PNG')]);
    const path = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(path);
    const png = await readFile(path);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    const canvas = await page.evaluate(() => ({ w: window.wijkkaart.map.getCanvas().width, h: window.wijkkaart.map.getCanvas().height }));
    assert.equal(png.readUInt32BE(16), canvas.w + 300, 'map plus legend column wide');
    // Decode it in the page: the demo label, the legend's colours and the map are in it.
    const found = await page.evaluate(
      async ({ b64, colors }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const data = g.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4) seen.add(`#${[data[i], data[i + 1], data[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
        return { demo: seen.has('#7a2e00'), colors: colors.filter((x) => seen.has(x)) };
      },
      { b64: png.toString('base64'), colors: await page.evaluate(() => window.wijkkaart.legend.classes.map((c) => c.color)) },
    );
    assert.ok(found.demo, 'demo label drawn');
    assert.ok(found.colors.length >= 2, `legend colours drawn: ${found.colors}`);
    await page.close();
  });

  test('embed: /embed with hidden and locked pickers; the dialog writes the <iframe>', async () => {
    const page = await open(UTRECHT);
    await page.click('#embed-open');
    assert.ok(await page.isVisible('#embed-dialog'));
    await assertAccessible(page, 'the embed dialog');
    await page.check('#embed-hide-group');
    await page.check('#embed-lock');
    const snippet = await page.inputValue('#embed-code');
    const src = snippet.match(/<iframe src="([^"]+)"/)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(src, snippet);
    const url = new URL(src);
    assert.equal(url.pathname, '/embed');
    assert.equal(url.searchParams.get('hide'), 'group');
    assert.equal(url.searchParams.get('lock'), '1');
    assert.equal(url.searchParams.get('gemeente'), 'GM0344');
    assert.match(snippet, /title="[^"]+"/, 'the iframe has a title');
    await page.keyboard.press('Escape');
    await page.close();

    const embed = await open(url.pathname + url.search, { width: 800, height: 600 });
    assert.equal(await embed.isVisible('#group'), false, 'group picker hidden');
    assert.ok(await embed.isVisible('#indicator'), 'indicator picker shown');
    assert.ok(await embed.isDisabled('#indicator'), 'indicator picker locked');
    assert.ok(await embed.isVisible('#compact-legend'));
    assert.ok(await embed.isVisible('#demo-label'));
    assert.ok(Object.keys(await renderedFeatures(embed)).some((c) => c.startsWith('WK0344')));
    await screenshot(embed, 'utrecht-embed-locked');
    await assertAccessible(embed, '/embed');
    await embed.close();

    const bare = await open('/embed?gemeente=GM0344&indicator=pct_bijstand&group=marokko&hide=group,indicator', { width: 600, height: 450 });
    assert.equal(await bare.isVisible('#panel'), false, 'no pickers at all');
    assert.equal(new URL(bare.url()).pathname, '/embed', 'stays at /embed');
    await bare.close();
  });

  test('groups side by side: synchronised small maps with one shared legend', async () => {
    const page = await open(UTRECHT);
    await page.click('#compare summary');
    await page.check('#compare-groups input[value=marokko]');
    await page.check('#compare-groups input[value=turkije]');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('groups') === 'marokko,turkije');
    await page.check('#compare-groups input[value=suriname]');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('groups') === 'marokko,turkije,suriname');
    await page.evaluate(() => window.wijkkaart.compare().rendered);
    assert.ok(await page.isVisible('#compare-view'));
    assert.deepEqual(await page.$$eval('#compare-view figcaption', (c) => c.map((x) => x.textContent)), ['Marokko', 'Turkije', 'Suriname']);

    const maps = await page.evaluate(() =>
      window.wijkkaart.compare().maps.map((m) => ({
        url: m.getStyle().sources.wijkkaart.url,
        fill: JSON.stringify(m.getPaintProperty('wijkkaart-fill', 'fill-color')),
        codes: [...new Set(m.queryRenderedFeatures({ layers: ['wijkkaart-fill'] }).map((f) => f.properties.code))].filter((c) => c.startsWith('WK0344')).length,
      })),
    );
    assert.deepEqual(maps.map((m) => new URL(m.url).searchParams.get('group')), ['marokko', 'turkije', 'suriname']);
    for (const m of maps) assert.equal(m.codes, 10, 'every small map renders the ten Utrecht wijken');
    assert.equal(new Set(maps.map((m) => m.fill)).size, 1, 'one colouring for all groups');
    // The shared breaks span the values of all three groups.
    const values = [];
    for (const g of ['marokko', 'turkije', 'suriname']) {
      const { body } = await getJSON(`${server.url}/api/values?level=wijk&indicator=pct_bijstand&group=${g}&gemeente=GM0344`);
      for (const v of body.values) if (v.status === 'ok') values.push(v.value);
    }
    const labels = await page.$$eval('#compare-view .legend-class .label', (ls) => ls.map((l) => l.textContent));
    assert.ok(labels.length >= 2, `shared legend: ${labels}`);
    assert.ok(labels[0].startsWith(formatValue(Math.min(...values), catalog.bijstand)), `${labels[0]} starts at the lowest value of all groups`);
    assert.ok(labels.at(-1).endsWith(formatValue(Math.max(...values), catalog.bijstand)), `${labels.at(-1)} ends at the highest`);

    // The CSV holds what is on screen: every group's wijken.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = (await readFile(await download.path())).toString('utf8');
    const rows = csv.slice(1).trimEnd().split('\r\n').slice(1).map((l) => l.split(';'));
    assert.equal(rows.length, 30, 'ten wijken for each of three groups');
    assert.deepEqual([...new Set(rows.map((r) => r[5]))], ['marokko', 'turkije', 'suriname']);

    // The PNG holds the three maps in their grid, with the shared legend and the demo label.
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const pngPath = join(ARTIFACTS, 'utrecht-groups-side-by-side-export.png');
    await pngDownload.saveAs(pngPath);
    const png = await readFile(pngPath);
    const cell = await page.evaluate(() => window.wijkkaart.compare().maps[0].getCanvas().width);
    assert.equal(png.readUInt32BE(16), 3 * cell + 300, 'three maps in a row plus the legend column');
    const sharedColors = await page.evaluate(() => [...document.querySelectorAll('#compare-view .swatch')].map((s) => s.style.background));
    assert.ok(sharedColors.length >= 2);

    // Moving one map moves the others.
    const centers = await page.evaluate(() => {
      const [a, ...rest] = window.wijkkaart.compare().maps;
      a.jumpTo({ center: [5.1, 52.1], zoom: 12 });
      return rest.map((m) => [m.getCenter().lng, m.getCenter().lat, m.getZoom()]);
    });
    for (const c of centers) assert.deepEqual(c.map((v) => v.toFixed(4)), ['5.1000', '52.1000', '12.0000']);
    await screenshot(page, 'utrecht-groups-side-by-side');
    await assertAccessible(page, 'groups side by side');

    await page.click('.compare-close');
    await page.waitForFunction(() => !new URLSearchParams(location.search).get('groups'));
    assert.equal(await page.isVisible('#compare-view'), false);
    await page.goBack();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('groups') === 'marokko,turkije,suriname');
    assert.ok(await page.isVisible('#compare-view'), 'back brings the side-by-side maps back');
    await page.close();
  });

  test('compare areas: a wijk beside another wijk and beside a gemeente, for every group', async () => {
    const page = await open(`${UTRECHT}&area=WK034403`);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    // The list holds every gemeente (also on PostGIS with a few imported): wait for Rotterdam.
    await page.waitForFunction(() => !!document.querySelector('#compare-area option[value=GM0599]'));
    await page.selectOption('#compare-area', 'WK034401');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('compare') === 'WK034401');
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    const heads = await page.$$eval('#area-panel .hk-table thead th', (th) => th.map((x) => x.textContent));
    assert.deepEqual(heads, ['Herkomstgroep', 'Wijk 03 Overvecht', 'Wijk 01 West', 'Gemeente Utrecht', 'Nederland']);
    const table = await panelTable(page);
    for (const group of ['totaal', 'marokko', 'turkije']) {
      const { body } = await getJSON(`${server.url}/api/values?level=wijk&indicator=pct_bijstand&group=${group}&gemeente=GM0344`);
      const cell = (code) => expectedText(body.values.find((v) => v.code === code));
      assert.deepEqual(table[group].slice(0, 2), [cell('WK034403'), cell('WK034401')], group);
    }
    assert.equal((await page.$$('#area-panel .hk-bar.hk-b')).length > 0, true, 'the compared area has its own bars');
    await screenshot(page, 'utrecht-compare-areas');
    await assertAccessible(page, 'compare areas');

    // Against another gemeente: Rotterdam as a whole.
    await page.selectOption('#compare-area', 'GM0599');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('compare') === 'GM0599');
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    const { body } = await getJSON(`${server.url}/api/values?level=gemeente&indicator=pct_bijstand&group=marokko&gemeente=GM0599`);
    assert.equal((await panelTable(page)).marokko[1], expectedText(body.values[0]));
    // The panel's CSV: per group the wijk, the compared gemeente, its own gemeente and Nederland.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#area-csv')]);
    const lines = (await readFile(await download.path())).toString('utf8').slice(1).trimEnd().split('\r\n');
    const marokko = lines.map((l) => l.split(';')).filter((r) => r[5] === 'marokko');
    assert.deepEqual(marokko.map((r) => r[0]), ['WK034403', 'GM0599', 'GM0344', 'NL01']);
    assert.equal(marokko[1][7], String(body.values[0].value).replace('.', ','));
    await page.reload();
    await page.evaluate(() => window.wijkkaart.ready);
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.equal(await page.$eval('#area-panel .hk-table thead th:nth-child(3)', (th) => th.textContent), 'Rotterdam', 'restored from the URL');
    await page.close();
  });

  test('search: one box finds a gemeente, a wijk or a buurt by part of its name', async () => {
    const page = await open('/?indicator=pct_bijstand&group=marokko');
    await page.fill('#gemeente', 'overvec');
    await page.waitForFunction(() => [...document.querySelectorAll('#gemeente-list option')].some((o) => o.value.startsWith('Wijk 03 Overvecht')));
    const label = await page.$eval('#gemeente-list', (l) => [...l.options].find((o) => o.value.startsWith('Wijk 03 Overvecht')).value);
    assert.equal(label, 'Wijk 03 Overvecht (wijk, Utrecht)');
    await page.fill('#gemeente', label);
    await page.press('#gemeente', 'Enter');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('area') === 'WK034403');
    await page.evaluate(() => window.wijkkaart.settled());
    assert.equal(params(page).get('gemeente'), 'GM0344');
    await page.evaluate(() => window.wijkkaart.panelLoaded());
    assert.match(await page.textContent('#area-heading'), /Overvecht/);
    // Accents and case do not matter; a gemeente becomes the chosen gemeente.
    await page.fill('#gemeente', "'S-GRAVENHAGE");
    await page.press('#gemeente', 'Enter');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('gemeente') === 'GM0518');
    assert.equal(params(page).get('area'), null);
    await page.close();
  });

  test('the pages logged no errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
