// @ts-check
// The selection the page shows, kept in the page URL so that a reload, a
// shared link or the back button shows the same map. Pure functions, tested
// in node. Pinned parameters that links and portals rely on: area=WK059901
// and groups=marokko,turkije,suriname.

import { langOf } from './i18n.js';

/** The levels the map can show, from fine to coarse. */
export const LEVELS = /** @type {const} */ (['auto', 'buurt', 'wijk', 'gemeente']);

/** The pickers an embedded map offers, which the embedding page can hide or lock. */
export const PICKERS = /** @type {const} */ (['group', 'indicator']);

/** The classification methods of the server's styles besides its default, natural breaks (README, Classification). */
export const METHODS = /** @type {const} */ (['quantile', 'equal_interval']);

const GEMEENTE_CODE = /^GM\d{4}$/;
const VIEW = /^\d{1,2}(\.\d+)?\/-?\d{1,2}(\.\d+)?\/-?\d{1,3}(\.\d+)?$/;
const AREA_CODE = /^(GM\d{4}|WK\d{6}|BU\d{8})$/;
const ID = /^[a-z0-9_]+$/;
const YEAR = /^\d{4}$/;

/**
 * @typedef {object} State
 * @property {string} indicator
 * @property {string} group the group the map shows
 * @property {import('./types.js').Level} level
 * @property {string} gemeente GMxxxx or ''
 * @property {number | null} year the value year
 * @property {number | null} base the base year of the change map (URL compare=YYYY), or null for values
 * @property {boolean} embed minimal chrome for portals (/embed or embed=1)
 * @property {string} area the selected area's code or ''
 * @property {string} compare the code of the area compared with it, or ''
 * @property {string} split the split the herkomst panel shows, '' for that of the group
 * @property {string[]} groups groups compared side by side
 * @property {string} method one of METHODS, or '' for the server's default (natural breaks)
 * @property {number} classes 3 to 7, or 0 for the server's default
 * @property {string} view the map view as zoom/lat/lng, or '' to fit the gemeente
 * @property {import('./i18n.js').Lang} lang
 * @property {string[]} hide PICKERS hidden in embed mode
 * @property {boolean} lock pickers shown but not changeable in embed mode
 */

/** @param {string | null} s */
const list = (s) => (s ?? '').split(',').map((x) => x.trim()).filter((x) => ID.test(x));

/**
 * Reads the selection from a URL's path and query. Unknown values become
 * defaults later, in normalizeState.
 * @param {string} search
 * @param {string} [pathname]
 * @returns {State}
 */
export function readState(search, pathname = '/') {
  const q = new URLSearchParams(search);
  const year = Number.parseInt(q.get('year') ?? '', 10);
  const gemeente = (q.get('gemeente') ?? '').trim().toUpperCase();
  const area = (q.get('area') ?? '').trim().toUpperCase();
  // compare= is the area beside the selected one (an area code) or the base
  // year of the change map (four digits); both may be given.
  const compares = q.getAll('compare').map((c) => c.trim().toUpperCase());
  const compare = compares.find((c) => AREA_CODE.test(c)) ?? '';
  const base = Number.parseInt(compares.find((c) => YEAR.test(c)) ?? '', 10);
  const level = /** @type {any} */ (q.get('level') ?? '');
  const embedFlag = q.get('embed');
  const classes = Number.parseInt(q.get('classes') ?? '', 10);
  return {
    indicator: q.get('indicator') ?? '',
    group: q.get('group') ?? '',
    level: LEVELS.includes(level) ? level : 'wijk',
    gemeente: GEMEENTE_CODE.test(gemeente) ? gemeente : '',
    year: Number.isInteger(year) ? year : null,
    base: Number.isInteger(base) ? base : null,
    embed: /\/embed\/?$/.test(pathname) || embedFlag === '1' || embedFlag === 'true',
    area: AREA_CODE.test(area) ? area : '',
    compare: AREA_CODE.test(compare) && AREA_CODE.test(area) ? compare : '',
    split: list(q.get('split'))[0] ?? '',
    groups: list(q.get('groups')),
    method: METHODS.includes(/** @type {any} */ (q.get('method'))) ? /** @type {string} */ (q.get('method')) : '',
    classes: classes >= 3 && classes <= 7 ? classes : 0,
    view: VIEW.test(q.get('view') ?? '') ? /** @type {string} */ (q.get('view')) : '',
    lang: langOf(q.get('lang')),
    hide: list(q.get('hide')).filter((p) => PICKERS.includes(/** @type {any} */ (p))),
    lock: q.get('lock') === '1' || q.get('lock') === 'true',
  };
}

/**
 * Writes the selection as a URL query string, "?indicator=…&group=…".
 * Defaults are left out; embed is written only when asked for, as the
 * /embed path says it otherwise.
 * @param {Partial<State>} state
 * @param {{embedFlag?: boolean}} [opts]
 */
export function writeState(state, { embedFlag = false } = {}) {
  const q = new URLSearchParams();
  if (state.indicator) q.set('indicator', state.indicator);
  if (state.group) q.set('group', state.group);
  if (state.level) q.set('level', state.level);
  if (state.gemeente) q.set('gemeente', state.gemeente);
  if (state.year) q.set('year', String(state.year));
  if (state.base) q.append('compare', String(state.base));
  if (state.area) q.set('area', state.area);
  if (state.area && state.compare) q.append('compare', state.compare);
  if (state.split) q.set('split', state.split);
  if (state.groups?.length) q.set('groups', state.groups.join(','));
  if (state.method) q.set('method', state.method);
  if (state.classes) q.set('classes', String(state.classes));
  if (state.lang && state.lang !== 'nl') q.set('lang', state.lang);
  if (state.embed && embedFlag) q.set('embed', '1');
  if (state.embed && state.hide?.length) q.set('hide', state.hide.join(','));
  if (state.embed && state.lock) q.set('lock', '1');
  if (state.view) q.set('view', state.view);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Makes a selection valid for the catalogue: an unknown indicator becomes
 * pct_bijstand or the first one, a group the indicator cannot be split by
 * becomes totaal, a year without values at the level the latest that has
 * them; a base year that is not another such year is dropped, and unknown
 * groups and splits too.
 * @param {State} state
 * @param {{indicators?: import('./types.js').Indicator[], groups?: import('./types.js').Group[], splits?: import('./types.js').Split[], years?: number[], levels?: Record<string, import('./types.js').LevelYear[]>}} catalog
 * @returns {State}
 */
export function normalizeState(state, catalog) {
  const s = { ...state };
  const indicators = catalog.indicators ?? [];
  let ind = indicators.find((i) => i.id === s.indicator);
  if (!ind) {
    ind = indicators.find((i) => i.id === 'pct_bijstand') ?? indicators[0];
    s.indicator = ind?.id ?? '';
  }
  const groups = catalog.groups ?? [];
  if (!groups.some((g) => g.id === s.group)) s.group = 'totaal';
  if (ind && ind.split_by_group === false) s.group = 'totaal';
  s.groups = (s.groups ?? []).filter((id) => groups.some((g) => g.id === id));
  if (s.split && !(catalog.splits ?? []).some((x) => x.id === s.split)) s.split = '';
  // The years with values at the map's level (every year when the catalogue does not say).
  const all = catalog.years ?? [];
  const atLevel = yearsOfLevel(catalog, s.level);
  const years = atLevel.length > 0 ? atLevel.map((y) => y.year) : all;
  if (years.length > 0 && !years.includes(/** @type {number} */ (s.year))) s.year = Math.max(...years);
  if (s.base == null || s.base === s.year || !years.includes(s.base)) s.base = null;
  return s;
}

/**
 * The value years with values at a level and the boundary year of each
 * (/api/indicators "levels"); auto is read as wijk. Empty when the
 * catalogue does not say.
 * @param {{levels?: Record<string, import('./types.js').LevelYear[]>}} catalog
 * @param {string} level
 * @returns {import('./types.js').LevelYear[]}
 */
export function yearsOfLevel(catalog, level) {
  return catalog.levels?.[level === 'auto' ? 'wijk' : level] ?? [];
}

/**
 * The URL of the server's MapLibre style for a selection.
 * @param {Pick<State, 'indicator' | 'group' | 'year' | 'gemeente' | 'level'> & Partial<Pick<State, 'method' | 'classes' | 'base'>>} state
 * @param {string} base
 */
export function styleURL(state, base) {
  const q = new URLSearchParams();
  q.set('indicator', state.indicator);
  q.set('group', state.group);
  if (state.year) q.set('year', String(state.year));
  if (state.base) q.set('compare', String(state.base));
  if (state.gemeente) q.set('gemeente', state.gemeente);
  // A change map's classes are always quantiles of |change| (README, Change over time).
  if (state.method && !state.base) q.set('method', state.method);
  if (state.classes) q.set('classes', String(state.classes));
  return new URL(`styles/${encodeURIComponent(state.level)}.json?${q}`, base).href;
}

/**
 * The gemeente an area code lies in: WK034401 and BU03440101 → GM0344.
 * @param {string} code
 */
export function gemeenteOfArea(code) {
  return AREA_CODE.test(code) ? `GM${code.slice(2, 6)}` : '';
}

/**
 * The level of an area code: GM → gemeente, WK → wijk, BU → buurt.
 * @param {string} code
 * @returns {'gemeente' | 'wijk' | 'buurt' | ''}
 */
export function levelOfArea(code) {
  return /** @type {const} */ ({ GM: 'gemeente', WK: 'wijk', BU: 'buurt' })[/** @type {'GM'} */ (code.slice(0, 2))] ?? '';
}

/**
 * The tile feature id of an area (README, Tiles): the code after its prefix
 * read as base 36, times 4, plus 1, 2 or 3 for gemeente, wijk or buurt.
 * @param {string} code
 */
export function featureIdOf(code) {
  const rank = { gemeente: 1, wijk: 2, buurt: 3 }[levelOfArea(code) || 'gemeente'];
  return Number.parseInt(code.slice(2), 36) * 4 + rank;
}
