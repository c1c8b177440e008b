// The selection the map shows, kept in the page URL so that a reload or a
// shared link shows the same map. Pure functions, tested in node.

/** The levels the map can show, from fine to coarse. */
export const LEVELS = ['auto', 'buurt', 'wijk', 'gemeente'];

const GEMEENTE_CODE = /^GM\d{4}$/;

/** Reads the selection from a URL query string. Unknown values become defaults later. */
export function readState(search) {
  const q = new URLSearchParams(search);
  const year = Number.parseInt(q.get('year') ?? '', 10);
  const gemeente = (q.get('gemeente') ?? '').trim().toUpperCase();
  const level = q.get('level') ?? '';
  return {
    indicator: q.get('indicator') ?? '',
    group: q.get('group') ?? '',
    level: LEVELS.includes(level) ? level : 'wijk',
    gemeente: GEMEENTE_CODE.test(gemeente) ? gemeente : '',
    year: Number.isInteger(year) ? year : null,
    embed: q.get('embed') === '1' || q.get('embed') === 'true',
  };
}

/** Writes the selection as a URL query string, "?indicator=…&group=…". */
export function writeState(state) {
  const q = new URLSearchParams();
  if (state.indicator) q.set('indicator', state.indicator);
  if (state.group) q.set('group', state.group);
  if (state.level) q.set('level', state.level);
  if (state.gemeente) q.set('gemeente', state.gemeente);
  if (state.year) q.set('year', String(state.year));
  if (state.embed) q.set('embed', '1');
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Fills in defaults and repairs a selection against the catalogue: an
 * unknown indicator becomes the first one, a group the indicator cannot be
 * split by becomes totaal, an unknown year the latest.
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
  const years = catalog.years ?? [];
  if (years.length > 0 && !years.includes(s.year)) s.year = Math.max(...years);
  return s;
}

/** The URL of the server's MapLibre style for a selection. */
export function styleURL(state, base) {
  const q = new URLSearchParams();
  q.set('indicator', state.indicator);
  q.set('group', state.group);
  if (state.year) q.set('year', String(state.year));
  if (state.gemeente) q.set('gemeente', state.gemeente);
  return new URL(`styles/${encodeURIComponent(state.level)}.json?${q}`, base).href;
}
