// Unit tests of the page's pure modules: Dutch and English formatting, status
// texts, provenance, the selection kept in the URL, CSV export and the embed
// snippet.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatChange, formatCounts, formatNumber, formatValue, isDemo, provenanceText, statusText } from '../src/format.js';
import { featureIdOf, gemeenteOfArea, levelOfArea, normalizeState, readState, styleURL, writeState } from '../src/state.js';
import { levelYears } from '../src/api.js';
import { niceTicks, segmentsOf } from '../src/series.js';
import { csvOf } from '../src/export.js';
import { embedSnippet } from '../src/embed.js';
import { sharedClasses, withClasses } from '../src/classes.js';

const bijstand = { id: 'pct_bijstand', unit: 'percentage', decimals: 1, split_by_group: true, denominator_nl: 'inwoners van 15 t/m 64 jaar' };

describe('Dutch formatting', () => {
  const cases = [
    ['decimal comma and thousands dot', () => formatNumber(1234.56, 1), '1.234,6'],
    ['whole number', () => formatNumber(5678, 0), '5.678'],
    ['not a number', () => formatNumber(undefined, 1), ''],
    ['percentage', () => formatValue(12.345, bijstand), '12,3%'],
    ['per 1.000', () => formatValue(4.06, { unit: 'per1000', decimals: 1 }), '4,1 per 1.000'],
    ['years', () => formatValue(78.25, { unit: 'years', decimals: 1 }), '78,3 jaar'],
    ['count', () => formatValue(23065, { unit: 'count', decimals: 0 }), '23.065'],
    ['counts next to a percentage', () => formatCounts(1234, 5678, bijstand), '1.234 van 5.678 inwoners van 15 t/m 64 jaar'],
    ['no counts without a denominator', () => formatCounts(1234, undefined, bijstand), ''],
    ['suppressed', () => statusText('suppressed'), 'geheim: minder dan 10 waarnemingen'],
    ['no data', () => statusText('no_data'), 'geen gegevens'],
    ['demo provenance', () => provenanceText('demo'), 'demodata (geen echte CBS-cijfers)'],
  ];
  for (const [name, got, want] of cases) test(name, () => assert.equal(got(), want));

  test('English', () => {
    assert.equal(formatValue(1234.56, bijstand, 'en'), '1,234.6%');
    assert.equal(statusText('no_residents', 10, 'en'), 'no residents in this group');
    assert.equal(formatCounts(140, 1170, undefined, 'en'), '140 of 1,170');
  });

  test('demo is recognised in any provenance form', () => {
    assert.ok(isDemo(['demo']));
    assert.ok(isDemo('cbs,demo'));
    assert.ok(isDemo([{ id: 'demo' }]));
    assert.ok(!isDemo(['cbs']));
    assert.ok(!isDemo(null));
  });
});

describe('selection in the URL', () => {
  const catalog = {
    years: [2021, 2022],
    indicators: [bijstand, { id: 'segregatie_index', split_by_group: false }],
    groups: [{ id: 'totaal' }, { id: 'marokko' }],
    splits: [{ id: 'herkomst20' }],
  };
  const full = {
    indicator: 'pct_bijstand',
    group: 'marokko',
    level: 'wijk',
    gemeente: 'GM0599',
    year: 2022,
    base: 2021,
    embed: false,
    area: 'WK059901',
    compare: 'GM0344',
    split: 'herkomst20',
    groups: ['marokko', 'turkije', 'suriname'],
    method: 'quantile',
    classes: 4,
    view: '11.35/52.08421/5.08262',
    lang: 'en',
    hide: [],
    lock: false,
  };

  test('round trip', () => {
    assert.deepEqual(readState(writeState(full)), full);
    const embed = { ...full, embed: true, hide: ['group'], lock: true };
    assert.deepEqual(readState(writeState(embed, { embedFlag: true })), embed);
    assert.deepEqual(readState(writeState(embed), '/embed'), embed, '/embed says embed without the flag');
  });

  test('pinned parameter names: area and groups', () => {
    const q = new URLSearchParams(writeState(full));
    assert.equal(q.get('area'), 'WK059901');
    assert.equal(q.get('groups'), 'marokko,turkije,suriname');
  });

  test('bad values become defaults', () => {
    const s = normalizeState(readState('?indicator=nope&group=nope&level=provincie&gemeente=xx&year=1900&area=x&groups=nope,marokko&lang=fr&split=x&method=jenks&classes=9&view=x'), catalog);
    assert.deepEqual(s, { ...full, indicator: 'pct_bijstand', group: 'totaal', gemeente: '', area: '', compare: '', base: null, split: '', method: '', classes: 0, view: '', groups: ['marokko'], lang: 'nl' });
  });

  test('an indicator that cannot be split forces totaal', () => {
    const s = normalizeState(readState('?indicator=segregatie_index&group=marokko'), catalog);
    assert.equal(s.group, 'totaal');
  });

  test('style URL', () => {
    const url = styleURL({ indicator: 'pct_bijstand', group: 'totaal', level: 'wijk', gemeente: 'GM0344', year: 2022 }, 'http://h/kaart/?x=1');
    assert.equal(url, 'http://h/kaart/styles/wijk.json?indicator=pct_bijstand&group=totaal&year=2022&gemeente=GM0344');
  });

  test('compare= holds the base year of the change map and the compared area, apart or together', () => {
    assert.equal(readState('?year=2024&compare=2022').base, 2022);
    assert.equal(readState('?year=2024&compare=2022').compare, '');
    const both = readState('?year=2024&compare=2022&area=WK036301&compare=GM0384');
    assert.deepEqual([both.base, both.compare], [2022, 'GM0384']);
    assert.deepEqual(new URLSearchParams(writeState(both)).getAll('compare'), ['2022', 'GM0384']);
    const url = styleURL({ indicator: 'pct_bijstand', group: 'totaal', level: 'gemeente', gemeente: '', year: 2024, base: 2022 }, 'http://h/');
    assert.equal(url, 'http://h/styles/gemeente.json?indicator=pct_bijstand&group=totaal&year=2024&compare=2022');
  });

  test('years per level: a year without values at the level becomes the latest with them; a base year must be another such year', () => {
    const levels = levelYears({
      gemeente: [2019, 2020, 2021, 2022, 2023, 2024].map((year) => ({ year, boundary_year: year < 2023 ? 2022 : year })),
      buurt: [{ year: 2022, boundary_year: 2022 }],
      wijk: [2024, 2022],
    });
    assert.deepEqual(levels.wijk.map((y) => y.year), [2022, 2024]);
    const cat = { ...catalog, years: [2019, 2020, 2021, 2022, 2023, 2024], levels };
    assert.equal(normalizeState(readState('?level=buurt&year=2024'), cat).year, 2022);
    assert.equal(normalizeState(readState('?level=gemeente&year=2020'), cat).year, 2020);
    assert.equal(normalizeState(readState('?level=gemeente&year=2024&compare=2022'), cat).base, 2022);
    assert.equal(normalizeState(readState('?level=gemeente&year=2024&compare=2024'), cat).base, null);
    assert.equal(normalizeState(readState('?level=wijk&year=2024&compare=2023'), cat).base, null, 'wijken have no 2023');
    assert.equal(normalizeState(readState('?level=auto&year=2023'), cat).year, 2024, 'auto follows the wijk years');
  });

  test('area codes: gemeente, level and tile feature id (README, Tiles)', () => {
    assert.equal(gemeenteOfArea('BU03440101'), 'GM0344');
    assert.equal(levelOfArea('WK034401'), 'wijk');
    assert.equal(featureIdOf('WK034401'), 20922630);
  });
});

describe('change over time', () => {
  test('a change is signed, in the unit of a change', () => {
    const pct = { unit: 'percentage', decimals: 1 };
    assert.equal(formatChange(1.234, pct), '+1,2 procentpunt');
    assert.equal(formatChange(-0.45, pct, 'en'), '−0.5 percentage points');
    assert.equal(formatChange(0.01, pct), '0,0 procentpunt');
    assert.equal(formatChange(2, { unit: 'per1000', decimals: 0 }), '+2 per 1.000');
    assert.equal(formatChange(null, pct), '');
    assert.equal(statusText('not_comparable'), 'Niet vergelijkbaar');
  });

  test('a series line joins only years on the same extent, never across a gap', () => {
    const p = (year, value, comparable = true, status = 'ok', boundary_year = 2024) => ({ year, value, comparable, status, boundary_year });
    const pts = [p(2019, 1, false, 'ok', 2022), p(2020, 2, false, 'ok', 2022), p(2021, null, false, 'suppressed', 2022), p(2022, 3, false, 'ok', 2022), p(2023, 4, true, 'ok', 2023), p(2024, 5)];
    assert.deepEqual(segmentsOf(pts).map(([a, b]) => `${a.year}-${b.year}`), ['2019-2020', '2023-2024']);
  });

  test('round ticks', () => {
    assert.deepEqual(niceTicks(3.2, 11.7), [2, 4, 6, 8, 10, 12]);
    assert.ok(niceTicks(5, 5).length >= 2);
  });
});

describe('exports', () => {
  const areas = [
    { code: 'WK034401', name: 'Wijk 01 West', level: 'wijk', gemeente_name: 'Utrecht', status: 'ok', value: 3.5, numerator: 35, denominator: 1020, provenance: 'demo' },
    { code: 'WK034402', name: 'Noord; "oost"', level: 'wijk', gemeente_name: 'Utrecht', status: 'suppressed', provenance: 'demo' },
  ];
  const ctx = { indicator: 'pct_bijstand', group: 'marokko', year: 2022, minObservations: 10 };

  test('change map CSV: base year, its value and the change; a not comparable area keeps its value, no change', () => {
    const change = [
      { code: 'GM0384', name: 'Diemen', level: 'gemeente', status: 'ok', value: 4.2, base_value: 4.5, change: -0.3, provenance: 'demo' },
      { code: 'GM0363', name: 'Amsterdam', level: 'gemeente', status: 'not_comparable', value: 7.2, provenance: 'demo' },
    ];
    const lines = csvOf(change, { ...ctx, year: 2024, base: 2022, lang: 'nl' }).slice(1).trimEnd().split('\r\n');
    assert.match(lines[0], /;basisjaar;waarde basisjaar;verandering$/);
    assert.match(lines[1], /^GM0384;Diemen;.*;2024;4,2;;;ok;demo;2022;4,5;-0,3$/);
    assert.match(lines[2], /^GM0363;Amsterdam;.*;2024;7,2;;;Niet vergelijkbaar;demo;2022;;$/);
  });

  test('Dutch CSV: BOM, semicolons, decimal comma, quoted cells, a status instead of 0', () => {
    const csv = csvOf(areas, { ...ctx, lang: 'nl' });
    assert.ok(csv.startsWith('\uFEFFcode;naam;'));
    const lines = csv.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[1], 'WK034401;Wijk 01 West;wijk;Utrecht;pct_bijstand;marokko;2022;3,5;35;1020;ok;demo');
    assert.equal(lines[2], 'WK034402;"Noord; ""oost""";wijk;Utrecht;pct_bijstand;marokko;2022;;;;geheim: minder dan 10 waarnemingen;demo');
  });

  test('English CSV: commas and a decimal point', () => {
    const lines = csvOf(areas, { ...ctx, lang: 'en' }).slice(1).trimEnd().split('\r\n');
    assert.equal(lines[1], 'WK034401,Wijk 01 West,wijk,Utrecht,pct_bijstand,marokko,2022,3.5,35,1020,ok,demo');
  });

  test('embed snippet', () => {
    const s = readState('?indicator=pct_bijstand&group=marokko&gemeente=GM0344&area=WK034401');
    const html = embedSnippet({ ...s, hide: ['group'], lock: true }, { base: 'https://kaart.example/wijkkaart/?x=1', title: 'Wijkkaart "x"' });
    assert.equal(
      html,
      '<iframe src="https://kaart.example/wijkkaart/embed?indicator=pct_bijstand&amp;group=marokko&amp;level=wijk&amp;gemeente=GM0344&amp;hide=group&amp;lock=1" title="Wijkkaart &quot;x&quot;" width="800" height="600" style="border:0" loading="lazy"></iframe>',
    );
  });
});

describe('shared classes of the side-by-side maps', () => {
  test('quantile breaks over all values, rounded, never empty', () => {
    const classes = sharedClasses([1.04, 2, 3, 4, 5, 6, 7, 8, 9, 25.94], 5, 1);
    assert.deepEqual(classes.map((c) => c.min), [1, 3, 5, 7, 9]);
    assert.equal(classes.at(-1).max, 25.9);
    assert.equal(new Set(classes.map((c) => c.color)).size, 5);
    assert.deepEqual(sharedClasses([4, 4, 4], 5, 1).map((c) => c.min), [4]);
    assert.deepEqual(sharedClasses([], 5, 1), []);
    const seven = sharedClasses([...Array(70).keys()], 7, 0);
    assert.equal(seven.length, 7);
    assert.ok(seven.every((c) => /^#[0-9a-f]{6}$/.test(c.color)), 'every class has a colour');
  });

  test('the step of a fill-color expression is replaced, the rest kept', () => {
    const input = ['/', ['round', ['*', ['get', 'value'], 10]], 10];
    const expr = ['case', ['==', ['get', 'status'], 'suppressed'], '#969696', ['has', 'value'], ['step', input, '#a', 7.8, '#b'], '#ffffff'];
    const got = withClasses(expr, [{ min: 1, color: '#x' }, { min: 5, color: '#y' }]);
    assert.deepEqual(got, ['case', ['==', ['get', 'status'], 'suppressed'], '#969696', ['has', 'value'], ['step', input, '#x', 5, '#y'], '#ffffff']);
  });
});
