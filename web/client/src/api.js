// @ts-check
// The server's JSON API, as the page uses it. Paths are relative to the page,
// so that the client works under any prefix and at /embed.

/** @typedef {import('./types.js').Catalog} Catalog */
/** @typedef {import('./types.js').ValuesAnswer} ValuesAnswer */
/** @typedef {import('./types.js').Area} Area */

/**
 * Fetches JSON, turning a server {"error": "..."} into an Error with that message.
 * @param {string} path relative to the page
 * @returns {Promise<any>}
 */
export async function getJSON(path) {
  const res = await fetch(new URL(path, location.href));
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error ?? `${res.status} ${res.statusText}: ${path}`);
  return body;
}

/**
 * The catalogue and gemeenten the page offers.
 * @returns {Promise<Catalog>}
 */
export async function loadCatalog() {
  /** @type {[import('./types.js').IndicatorsAnswer, import('./types.js').GroupsAnswer, {areas: Area[]}]} */
  const [ind, grp, areas] = await Promise.all([getJSON('api/indicators'), getJSON('api/groups'), getJSON('api/areas?level=gemeente')]);
  const years = (ind.years ?? []).map(Number).filter(Number.isInteger).sort((a, b) => a - b);
  return {
    years,
    levels: levelYears(ind.levels),
    minObservations: ind.disclosure?.min_observations ?? 10,
    themes: ind.themes ?? [],
    indicators: ind.indicators ?? [],
    splits: grp.splits ?? [],
    groups: grp.groups ?? [],
    gemeenten: (areas.areas ?? []).slice().sort((a, b) => a.name.localeCompare(b.name, 'nl')),
  };
}

/**
 * Reads /api/indicators "levels": per level a list of {year, boundary_year}
 * (or of bare years), sorted by year.
 * @param {unknown} levels
 * @returns {Record<string, import('./types.js').LevelYear[]>}
 */
export function levelYears(levels) {
  /** @type {Record<string, import('./types.js').LevelYear[]>} */
  const out = {};
  if (!levels || typeof levels !== 'object') return out;
  for (const [level, list] of Object.entries(levels)) {
    if (!Array.isArray(list)) continue;
    out[level] = list
      .map((e) => (typeof e === 'number' ? { year: e, boundary_year: null } : { year: Number(e?.year ?? e?.value_year), boundary_year: Number.isInteger(e?.boundary_year) ? e.boundary_year : null }))
      .filter((e) => Number.isInteger(e.year))
      .sort((a, b) => a.year - b.year);
  }
  return out;
}

/**
 * The query of /api/series for one area (level nederland, code NL01 for Nederland).
 * @param {{level: string, code: string, indicator: string, group: string}} q
 * @param {boolean} [csv]
 */
export function seriesPath({ level, code, indicator, group }, csv = false) {
  const p = new URLSearchParams({ level, code, indicator, group });
  if (csv) p.set('format', 'csv');
  return `api/series?${p}`;
}

/**
 * One area's values over the years.
 * @param {{level: string, code: string, indicator: string, group: string}} q
 * @returns {Promise<import('./types.js').SeriesAnswer>}
 */
export function loadSeries(q) {
  return getJSON(seriesPath(q));
}

/**
 * The published values of one indicator and group for a level, within a gemeente.
 * @param {{level: string, indicator: string, group: string, year: number | null, gemeente: string}} q
 * @returns {Promise<ValuesAnswer>}
 */
export function loadValues({ level, indicator, group, year, gemeente }) {
  const p = new URLSearchParams({ level, indicator, group });
  if (year) p.set('year', String(year));
  if (gemeente) p.set('gemeente', gemeente);
  return getJSON(`api/values?${p}`);
}

/**
 * Areas whose name matches text (case and accents ignored).
 * @param {string} text
 * @param {string} [level]
 * @returns {Promise<Area[]>}
 */
export async function findAreas(text, level) {
  const p = new URLSearchParams({ q: text });
  if (level) p.set('level', level);
  const found = await getJSON(`api/areas?${p}`);
  return found.areas ?? [];
}
