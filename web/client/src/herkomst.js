// @ts-check
// The herkomst panel: one indicator for every group of a split in one area,
// beside the same group's value in the area's gemeente and in Nederland, as
// a bar chart with counts and as a table. A value that is not published
// (suppressed, no data, no residents) is shown as such, never as 0.

import { loadValues } from './api.js';
import { el } from './dom.js';
import { formatCounts, formatValue, statusText } from './format.js';
import { localized, t } from './i18n.js';
import { gemeenteOfArea, levelOfArea } from './state.js';

/** @typedef {import('./types.js').Catalog} Catalog */
/** @typedef {import('./types.js').Group} Group */
/** @typedef {import('./types.js').Indicator} Indicator */
/** @typedef {import('./types.js').ValueRow} ValueRow */
/** @typedef {import('./i18n.js').Lang} Lang */

/**
 * One group's row: its value in the area, the gemeente and Nederland.
 * @typedef {object} HerkomstRow
 * @property {Group} group
 * @property {ValueRow | null} area
 * @property {ValueRow | null} gemeente
 * @property {ValueRow | null} nederland
 */

/**
 * What the panel shows.
 * @typedef {object} Herkomst
 * @property {string} code
 * @property {string} name
 * @property {string} gemeenteName
 * @property {boolean} isGemeente
 * @property {HerkomstRow[]} rows
 */

/**
 * The split a group belongs to, for the panel: herkomst5 for totaal.
 * @param {Catalog} catalog
 * @param {string} groupId
 */
export function splitOfGroup(catalog, groupId) {
  const g = catalog.groups.find((x) => x.id === groupId);
  const split = (g?.splits ?? []).find((s) => s !== 'totaal');
  return split ?? catalog.splits.find((s) => s.id !== 'totaal')?.id ?? 'totaal';
}

/**
 * The groups the panel lists for a split: totaal first, then the split's
 * groups; only totaal for an indicator that cannot be split.
 * @param {Catalog} catalog
 * @param {string} split
 * @param {Indicator | undefined} indicator
 */
export function groupsOfSplit(catalog, split, indicator) {
  const totaal = catalog.groups.filter((g) => g.id === 'totaal');
  if (indicator?.split_by_group === false) return totaal;
  return [...totaal, ...catalog.groups.filter((g) => g.id !== 'totaal' && (g.splits ?? []).includes(split))];
}

/**
 * Loads an area's values for every group through /api/values: per group the
 * area's level within its gemeente, and the gemeente itself.
 * @param {{code: string, indicator: string, year: number | null, groups: Group[]}} q
 * @returns {Promise<Herkomst>}
 */
export async function loadHerkomst({ code, indicator, year, groups }) {
  const gemeente = gemeenteOfArea(code);
  const level = levelOfArea(code);
  const isGemeente = level === 'gemeente';
  const rows = await Promise.all(
    groups.map(async (group) => {
      const base = { indicator, group: group.id, year, gemeente };
      const [own, gm] = await Promise.all([loadValues({ ...base, level }), isGemeente ? null : loadValues({ ...base, level: 'gemeente' })]);
      const area = own.values.find((v) => v.code === code) ?? null;
      return { group, area, gemeente: isGemeente ? area : gm?.values.find((v) => v.code === gemeente) ?? null, nederland: own.nederland ?? null };
    }),
  );
  const first = rows.find((r) => r.area)?.area;
  return { code, name: first?.name ?? code, gemeenteName: first?.gemeente_name ?? '', isGemeente, rows };
}

/**
 * A value with its counts, "12,0% — 140 van 1.170", or its status.
 * @param {ValueRow | null} v
 * @param {{indicator: Indicator | undefined, lang: Lang, minObservations: number, counts?: boolean}} ctx
 */
export function valueText(v, { indicator, lang, minObservations, counts = true }) {
  if (!v) return statusText('no_data', minObservations, lang);
  if (v.status !== 'ok' || typeof v.value !== 'number') return statusText(v.status, minObservations, lang);
  const value = formatValue(v.value, indicator, lang);
  const n = counts && indicator?.unit !== 'count' ? formatCounts(v.numerator, v.denominator, undefined, lang) : '';
  return n ? `${value} — ${n}` : value;
}

/**
 * The panel's values as rows for csvOf: per group the area, the compared
 * area, the gemeente and Nederland (rows the server had none for are left out).
 * @param {Herkomst} h
 * @param {Herkomst | null} other
 * @returns {import('./export.js').AreaProps[]}
 */
export function herkomstRows(h, other) {
  return h.rows.flatMap((r) => {
    const o = other?.rows.find((x) => x.group.id === r.group.id)?.area ?? null;
    const places = [r.area, o, h.isGemeente ? null : r.gemeente, r.nederland];
    return places.flatMap((v) => (v ? [{ ...v, group: r.group.id }] : []));
  });
}

/** @param {ValueRow | null} v */
const numberOf = (v) => (v && v.status === 'ok' && typeof v.value === 'number' ? v.value : null);

/**
 * Renders the panel's body: the bar chart and the table, with a second area
 * beside the first when other is given.
 * @param {Herkomst} h
 * @param {{indicator: Indicator | undefined, lang: Lang, minObservations: number}} ctx
 * @param {Herkomst | null} [other]
 */
export function renderHerkomst(h, ctx, other = null) {
  const { indicator, lang } = ctx;
  const indName = localized(indicator, 'name', lang);
  const otherRow = (/** @type {HerkomstRow} */ r) => other?.rows.find((o) => o.group.id === r.group.id)?.area ?? null;
  const values = h.rows.flatMap((r) => [r.area, r.gemeente, r.nederland, otherRow(r)]).map(numberOf).filter((v) => v !== null);
  const max = Math.max(...values, indicator?.unit === 'percentage' ? 1 : 0) || 1;
  const pct = (/** @type {number} */ v) => `${Math.max(0, Math.min(100, (v / max) * 100)).toFixed(2)}%`;

  /**
   * One bar with the gemeente and Nederland marks, and its text.
   * @param {HerkomstRow} r
   * @param {ValueRow | null} area
   * @param {string} cls
   */
  const bar = (r, area, cls) => {
    const v = numberOf(area);
    const track = el('div', { class: 'hk-track' });
    if (v !== null) {
      const b = el('span', { class: `hk-bar ${cls}` });
      b.style.width = pct(v);
      track.append(b);
    }
    for (const [row, mark, title] of /** @type {const} */ ([
      [h.isGemeente ? null : r.gemeente, 'hk-mark hk-gemeente', t(lang, 'gemeenteMark')],
      [r.nederland, 'hk-mark hk-nederland', t(lang, 'nederlandMark')],
    ])) {
      const m = numberOf(row);
      if (m === null) continue;
      const e = el('span', { class: mark, title: `${title}: ${formatValue(m, indicator, lang)}` });
      e.style.left = pct(m);
      track.append(e);
    }
    return [track, el('span', { class: `hk-value${v === null ? ' hk-none' : ''}`, text: valueText(area, ctx) })];
  };

  // The chart is a picture of the table below, which screen readers read instead.
  const chart = el('div', { class: 'hk-chart', 'aria-hidden': 'true' });
  for (const r of h.rows) {
    const bars = el('div', { class: 'hk-bars' }, ...bar(r, r.area, 'hk-a'), ...(other ? bar(r, otherRow(r), 'hk-b') : []));
    chart.append(el('div', { class: 'hk-row', 'data-group': r.group.id }, el('span', { class: 'hk-label', text: localized(r.group, 'name', lang) }), bars));
  }
  const key = el(
    'p',
    { class: 'hk-key', 'aria-hidden': 'true' },
    el('span', { class: 'hk-key-bar hk-a' }),
    ` ${h.name} `,
    other ? el('span', { class: 'hk-key-bar hk-b' }) : '',
    other ? ` ${other.name} ` : '',
    h.isGemeente ? '' : el('span', { class: 'hk-key-gemeente' }),
    h.isGemeente ? '' : ` ${t(lang, 'colGemeente', h.gemeenteName)} `,
    el('span', { class: 'hk-key-nederland' }),
    ` ${t(lang, 'colNederland')}`,
  );

  const head = el('tr', {}, el('th', { scope: 'col', text: t(lang, 'colGroup') }), el('th', { scope: 'col', text: h.name }));
  if (other) head.append(el('th', { scope: 'col', text: other.name }));
  if (!h.isGemeente) head.append(el('th', { scope: 'col', text: t(lang, 'colGemeente', h.gemeenteName) }));
  head.append(el('th', { scope: 'col', text: t(lang, 'colNederland') }));
  const body = el('tbody');
  for (const r of h.rows) {
    const tr = el('tr', { 'data-group': r.group.id }, el('th', { scope: 'row', text: localized(r.group, 'name', lang) }), el('td', { text: valueText(r.area, ctx) }));
    if (other) tr.append(el('td', { text: valueText(otherRow(r), ctx) }));
    if (!h.isGemeente) tr.append(el('td', { text: valueText(r.gemeente, ctx) }));
    tr.append(el('td', { text: valueText(r.nederland, { ...ctx, counts: false }) }));
    body.append(tr);
  }
  const table = el('table', { class: 'hk-table' }, el('caption', { text: t(lang, 'tableCaption', indName) }), el('thead', {}, head), body);
  return el('div', { class: 'hk-body' }, chart, key, table);
}
