// Unit tests of the page's pure modules: Dutch number formatting, status
// texts, provenance, and the selection kept in the URL.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCounts, formatNumber, formatValue, isDemo, provenanceText, statusText } from '../src/format.js';
import { normalizeState, readState, styleURL, writeState } from '../src/state.js';

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
  };

  test('round trip', () => {
    const s = { indicator: 'pct_bijstand', group: 'marokko', level: 'wijk', gemeente: 'GM0344', year: 2022, embed: true };
    assert.deepEqual(readState(writeState(s)), s);
  });

  test('bad values become defaults', () => {
    const s = normalizeState(readState('?indicator=nope&group=nope&level=provincie&gemeente=xx&year=1900'), catalog);
    assert.deepEqual(s, { indicator: 'pct_bijstand', group: 'totaal', level: 'wijk', gemeente: '', year: 2022, embed: false });
  });

  test('an indicator that cannot be split forces totaal', () => {
    const s = normalizeState(readState('?indicator=segregatie_index&group=marokko'), catalog);
    assert.equal(s.group, 'totaal');
  });

  test('style URL', () => {
    const url = styleURL({ indicator: 'pct_bijstand', group: 'totaal', level: 'wijk', gemeente: 'GM0344', year: 2022 }, 'http://h/kaart/?x=1');
    assert.equal(url, 'http://h/kaart/styles/wijk.json?indicator=pct_bijstand&group=totaal&year=2022&gemeente=GM0344');
  });
});
