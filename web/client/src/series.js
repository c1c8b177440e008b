// @ts-check
// The series chart of the area panel: the chosen indicator and group over
// the value years for the selected area, its gemeente and Nederland (three
// /api/series calls), as a small SVG line chart drawn here and as a table.
// A year whose area is not the same extent as in the latest year
// (comparable false: boundaries changed) gets a hollow marker and no line to
// comparable years; a year without a published value is a gap with a note.
// With a base year (change map) it also says value, base value and change.

import { getJSON, seriesPath } from './api.js';
import { el } from './dom.js';
import { formatChange, formatNumber, formatValue, statusText, unitLabel } from './format.js';
import { localized, t } from './i18n.js';
import { gemeenteOfArea, levelOfArea } from './state.js';

/** @typedef {import('./types.js').SeriesAnswer} SeriesAnswer */
/** @typedef {import('./types.js').SeriesPoint} SeriesPoint */
/** @typedef {import('./types.js').Indicator} Indicator */
/** @typedef {import('./i18n.js').Lang} Lang */

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The three series of a chart: the area's, its gemeente's (null for a
 * gemeente) and Nederland's, with how each is drawn.
 * @typedef {{key: 'area' | 'gemeente' | 'nederland', answer: SeriesAnswer, color: string, marker: 'circle' | 'square' | 'diamond', dash: string}} Line
 */

/** @type {Map<string, Promise<SeriesAnswer>>} answers by URL, kept for the page's life */
const cache = new Map();

/** @param {string} path */
function cachedJSON(path) {
  let p = cache.get(path);
  if (!p) {
    p = getJSON(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

/**
 * Loads the series of an area, its gemeente and Nederland.
 * @param {{code: string, indicator: string, group: string}} q
 * @returns {Promise<{area: SeriesAnswer, gemeente: SeriesAnswer | null, nederland: SeriesAnswer}>}
 */
export async function loadSeriesSet({ code, indicator, group }) {
  const level = levelOfArea(code);
  const gm = gemeenteOfArea(code);
  const load = async (/** @type {{level: string, code: string, indicator: string, group: string}} */ q) => {
    const a = await cachedJSON(seriesPath(q));
    return /** @type {SeriesAnswer} */ ({ ...q, ...a, name: a?.name || q.code });
  };
  const [area, gemeente, nederland] = await Promise.all([
    load({ level, code, indicator, group }),
    level === 'gemeente' ? null : load({ level: 'gemeente', code: gm, indicator, group }),
    load({ level: 'nederland', code: 'NL01', indicator, group }),
  ]);
  return { area, gemeente, nederland };
}

/**
 * Whether a point has a value to draw: published, or published on other boundaries.
 * @param {SeriesPoint | undefined} p
 * @returns {p is SeriesPoint & {value: number}}
 */
export function hasValue(p) {
  return !!p && typeof p.value === 'number' && Number.isFinite(p.value) && (p.status === 'ok' || p.status === 'not_comparable');
}

/**
 * Whether a point's area is the same extent as in the latest year.
 * @param {SeriesPoint} p
 */
export function isComparable(p) {
  return p.comparable !== false && p.status !== 'not_comparable';
}

/**
 * Whether two years of one series may be joined or subtracted: both the
 * extent of the latest year, or both on the same other boundaries.
 * @param {SeriesPoint} a
 * @param {SeriesPoint} b
 */
export function sameExtent(a, b) {
  if (isComparable(a) && isComparable(b)) return true;
  return !isComparable(a) && !isComparable(b) && a.boundary_year != null && a.boundary_year === b.boundary_year;
}

/**
 * The segments of a series' line: consecutive years that both have a value
 * on the same extent; others stay apart.
 * @param {SeriesPoint[]} points sorted by year
 * @returns {[SeriesPoint, SeriesPoint][]}
 */
export function segmentsOf(points) {
  /** @type {[SeriesPoint, SeriesPoint][]} */
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (hasValue(a) && hasValue(b) && sameExtent(a, b)) out.push([a, b]);
  }
  return out;
}

/**
 * Round ticks covering [lo, hi]: about n of them at 1, 2 or 5 times a power of ten.
 * @param {number} lo
 * @param {number} hi
 * @param {number} [n]
 */
export function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo)) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    return niceTicks(lo - d, hi + d, n);
  }
  const raw = (hi - lo) / n;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1] < hi) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {...(Node | string)} children
 */
function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

/**
 * A marker at x, y: filled when comparable, hollow when not.
 * @param {Line['marker']} shape
 * @param {number} x
 * @param {number} y
 * @param {string} color
 * @param {boolean} filled
 */
function marker(shape, x, y, color, filled) {
  const common = { fill: filled ? color : '#ffffff', stroke: color, 'stroke-width': 2 };
  if (shape === 'square') return svg('rect', { x: x - 3.5, y: y - 3.5, width: 7, height: 7, ...common });
  if (shape === 'diamond') return svg('path', { d: `M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z`, ...common });
  return svg('circle', { cx: x, cy: y, r: 4, ...common });
}

/**
 * The series, value and change of the selected area, as chart, key, notes,
 * table and CSV link.
 * @param {{area: SeriesAnswer, gemeente: SeriesAnswer | null, nederland: SeriesAnswer}} set
 * @param {{indicator: Indicator | undefined, years: number[], year: number | null, base: number | null, lang: Lang, minObservations: number}} ctx
 */
export function renderSeries(set, { indicator, years, year, base, lang, minObservations }) {
  // A year without a value: its status, or that the area did not exist then.
  const why = (/** @type {SeriesPoint | undefined} */ p) => (p?.status === 'not_comparable' && !hasValue(p) ? t(lang, 'seriesNotExisting') : statusText(p?.status ?? 'no_data', minObservations, lang));
  const indicatorName = localized(indicator, 'name', lang);
  const sorted = (/** @type {SeriesAnswer} */ a) => (a.series ?? []).slice().sort((x, y) => x.year - y.year);
  /** @type {Line[]} */
  const lines = [
    { key: /** @type {const} */ ('area'), answer: set.area, color: '#00508c', marker: /** @type {const} */ ('circle'), dash: '' },
    ...(set.gemeente ? [{ key: /** @type {const} */ ('gemeente'), answer: set.gemeente, color: '#b35806', marker: /** @type {const} */ ('square'), dash: '' }] : []),
    { key: /** @type {const} */ ('nederland'), answer: set.nederland, color: '#1a1a1a', marker: /** @type {const} */ ('diamond'), dash: '5 3' },
  ];
  const nameOf = (/** @type {Line} */ l) => (l.key === 'nederland' ? t(lang, 'colNederland') : l.key === 'gemeente' ? t(lang, 'colGemeente', l.answer.name) : l.answer.name);
  const allYears = [...new Set([...years, ...lines.flatMap((l) => sorted(l.answer).map((p) => p.year))])].sort((a, b) => a - b);
  const y0 = allYears[0];
  const y1 = allYears[allYears.length - 1];
  const root = el('div', { class: 'series' });
  root.append(el('h3', { class: 'series-heading', text: t(lang, 'seriesHeading', y0, y1) }));

  // Value, base value and change of the selected area in the change map's years.
  const own = sorted(set.area);
  const at = (/** @type {number | null} */ y) => own.find((p) => p.year === y);
  const now = at(year);
  if (year != null) {
    const summary = el('p', { class: 'series-summary' });
    const valueText = (/** @type {SeriesPoint | undefined} */ p) => (hasValue(p) ? formatValue(p.value, indicator, lang) : why(p));
    summary.append(el('strong', { text: t(lang, 'valueOfYear', year, valueText(now)) }));
    root.append(summary);
    if (base != null) {
      const then = at(base);
      summary.append(' · ', t(lang, 'valueOfYear', base, valueText(then)));
      if (hasValue(now) && hasValue(then) && sameExtent(now, then)) {
        summary.append(' · ', el('strong', { class: 'series-change', text: t(lang, 'changeOf', formatChange(now.value - then.value, indicator, lang)) }));
      } else if (now && then && !sameExtent(now, then)) {
        root.append(el('p', { class: 'series-not-comparable', text: t(lang, 'notComparableNote', base, year) }));
      }
    }
  }

  // The chart.
  const W = 380;
  const H = 190;
  const m = { left: 48, right: 20, top: 22, bottom: 34 };
  const values = lines.flatMap((l) => sorted(l.answer).filter(hasValue).map((p) => /** @type {number} */ (p.value)));
  const ticks = values.length > 0 ? niceTicks(Math.min(...values), Math.max(...values)) : [0, 1];
  const v0 = ticks[0];
  const v1 = ticks[ticks.length - 1];
  const x = (/** @type {number} */ yr) => m.left + (y1 > y0 ? ((yr - y0) / (y1 - y0)) * (W - m.left - m.right) : (W - m.left - m.right) / 2);
  const y = (/** @type {number} */ v) => H - m.bottom - ((v - v0) / (v1 - v0 || 1)) * (H - m.top - m.bottom);
  const decimals = Math.max(0, ...ticks.map((v) => (String(v).split('.')[1] ?? '').length));
  const titleId = `series-title-${set.area.code}`;
  const chart = svg('svg', { class: 'series-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': titleId, 'data-code': set.area.code });
  chart.append(svg('title', { id: titleId }, t(lang, set.gemeente ? 'seriesChartLabel' : 'seriesChartLabelGemeente', indicatorName, set.area.name, set.gemeente?.name ?? '')));
  const axis = svg('g', { class: 'series-axis', 'font-size': 11, fill: '#1a1a1a' });
  for (const v of ticks) {
    axis.append(svg('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v), stroke: '#dddddd' }));
    axis.append(svg('text', { x: m.left - 5, y: y(v) + 4, 'text-anchor': 'end' }, formatNumber(v, decimals, lang)));
  }
  for (const yr of allYears) {
    const selected = yr === year;
    axis.append(svg('text', { x: x(yr), y: H - m.bottom + 15, 'text-anchor': 'middle', 'font-weight': selected ? 700 : 400 }, String(yr)));
  }
  axis.append(svg('line', { x1: m.left, x2: W - m.right, y1: H - m.bottom, y2: H - m.bottom, stroke: '#767676' }));
  axis.append(svg('text', { x: (m.left + W - m.right) / 2, y: H - 3, 'text-anchor': 'middle' }, t(lang, 'colYear')));
  axis.append(svg('text', { x: 4, y: 12 }, unitLabel(indicator?.unit, lang)));
  chart.append(axis);
  // The selected year, and the base year of the change map.
  if (year != null && year >= y0 && year <= y1) chart.append(svg('line', { class: 'series-selected', 'data-year': year, x1: x(year), x2: x(year), y1: m.top - 6, y2: H - m.bottom, stroke: '#00508c', 'stroke-width': 6, 'stroke-opacity': 0.15 }));
  if (base != null && base >= y0 && base <= y1) chart.append(svg('line', { class: 'series-base', 'data-year': base, x1: x(base), x2: x(base), y1: m.top - 6, y2: H - m.bottom, stroke: '#4a4a4a', 'stroke-dasharray': '2 3' }));
  /** @type {string[]} */
  const gaps = [];
  let hollow = false;
  for (const l of lines) {
    const pts = sorted(l.answer);
    const g = svg('g', { class: `series-line series-${l.key}`, 'data-series': l.key });
    for (const [a, b] of segmentsOf(pts)) {
      const attrs = { class: 'series-seg', 'data-from': a.year, 'data-to': b.year, x1: x(a.year), y1: y(/** @type {number} */ (a.value)), x2: x(b.year), y2: y(/** @type {number} */ (b.value)), stroke: l.color, 'stroke-width': 2 };
      // Years on other boundaries are joined among themselves thinner and dotted.
      g.append(svg('line', isComparable(a) ? { ...attrs, ...(l.dash ? { 'stroke-dasharray': l.dash } : {}) } : { ...attrs, 'stroke-width': 1.5, 'stroke-dasharray': '1 3', 'data-comparable': 'false' }));
    }
    for (const p of pts) {
      if (!hasValue(p)) {
        gaps.push(t(lang, 'seriesGap', `${nameOf(l)} ${p.year}`, why(p)));
        continue;
      }
      const comparable = isComparable(p);
      hollow ||= !comparable;
      const mk = marker(l.marker, x(p.year), y(p.value), l.color, comparable);
      mk.setAttribute('class', `series-point${comparable ? '' : ' hollow'}`);
      mk.setAttribute('data-year', String(p.year));
      mk.setAttribute('data-status', p.status);
      mk.setAttribute('data-comparable', String(comparable));
      mk.append(svg('title', {}, `${nameOf(l)} ${p.year}: ${formatValue(p.value, indicator, lang)}${comparable ? '' : ` (${t(lang, 'notComparable').toLowerCase()})`}`));
      g.append(mk);
    }
    chart.append(g);
  }
  root.append(chart);

  // The key, the notes on hollow markers and gaps.
  const key = el('ul', { class: 'series-key' });
  for (const l of lines) {
    const sym = svg('svg', { width: 28, height: 12, 'aria-hidden': 'true' }, svg('line', { x1: 1, x2: 27, y1: 6, y2: 6, stroke: l.color, 'stroke-width': 2, ...(l.dash ? { 'stroke-dasharray': l.dash } : {}) }), marker(l.marker, 14, 6, l.color, true));
    key.append(el('li', {}, sym, ` ${nameOf(l)}`));
  }
  if (year != null) {
    const sym = svg('svg', { width: 12, height: 12, 'aria-hidden': 'true' }, svg('rect', { x: 3, y: 0, width: 6, height: 12, fill: '#00508c', 'fill-opacity': 0.15 }));
    key.append(el('li', {}, sym, ` ${t(lang, 'seriesSelected')} (${year})`));
  }
  root.append(key);
  const latest = own[own.length - 1]?.year ?? y1;
  if (hollow) root.append(el('p', { class: 'series-note', text: t(lang, 'seriesHollow', latest) }));
  for (const gap of gaps) root.append(el('p', { class: 'series-note series-gap', text: gap }));

  // The table alternative.
  const table = el('table', { class: 'series-table' });
  table.append(el('caption', { text: t(lang, 'seriesCaption', indicatorName, set.area.name) }));
  const head = el('tr', {});
  const cols = [t(lang, 'colYear'), `${t(lang, 'colValue')} ${set.area.name}`, t(lang, 'colStatus'), t(lang, 'colBoundary'), t(lang, 'colComparable'), ...lines.slice(1).map(nameOf)];
  for (const c of cols) head.append(el('th', { scope: 'col', text: c }));
  table.append(el('thead', {}, head));
  const body = el('tbody', {});
  const cell = (/** @type {SeriesPoint | undefined} */ p) => (hasValue(p) ? formatValue(p.value, indicator, lang) : '—');
  for (const p of own) {
    const tr = el('tr', { 'data-year': p.year });
    tr.append(el('th', { scope: 'row', text: String(p.year) }));
    tr.append(el('td', { text: cell(p) }));
    tr.append(el('td', { text: p.status === 'ok' ? t(lang, 'statusOk') : why(p) }));
    tr.append(el('td', { text: p.boundary_year != null ? String(p.boundary_year) : '' }));
    tr.append(el('td', { text: isComparable(p) ? t(lang, 'yes') : t(lang, 'no') }));
    for (const l of lines.slice(1)) tr.append(el('td', { text: cell(sorted(l.answer).find((q) => q.year === p.year)) }));
    body.append(tr);
  }
  table.append(body);
  // Narrow panels scroll the table sideways; the keyboard can too.
  const wrap = el('div', { class: 'series-table-wrap', tabindex: 0, role: 'region', 'aria-label': t(lang, 'seriesCaption', indicatorName, set.area.name) }, table);
  root.append(el('details', { class: 'series-details' }, el('summary', { text: t(lang, 'seriesTable') }), wrap));

  const csv = el('a', {
    class: 'series-csv',
    href: seriesPath({ level: set.area.level || levelOfArea(set.area.code), code: set.area.code, indicator: set.area.indicator, group: set.area.group }, true),
    download: `wijkkaart-${set.area.indicator}-${set.area.group}-${set.area.code}-reeks.csv`,
    'aria-label': t(lang, 'seriesCSVLabel', set.area.name),
    text: t(lang, 'seriesCSV'),
  });
  root.append(el('p', {}, csv));
  return root;
}
