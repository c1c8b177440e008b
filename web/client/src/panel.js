// @ts-check
// The side panel's controls: fills the pickers from the catalogue in the
// page's language, shows a selection in them and reports the user's changes.
// Static texts carry data-i18n="key" and are set by applyTexts.

import { localized, t } from './i18n.js';
import { PICKERS, yearsOfLevel } from './state.js';
import { el, option } from './dom.js';

/** @typedef {import('./types.js').Catalog} Catalog */
/** @typedef {import('./types.js').Area} Area */
/** @typedef {import('./state.js').State} State */
/** @typedef {import('./i18n.js').Lang} Lang */

/**
 * @param {string} id
 * @returns {any}
 */
export const $ = (id) => document.getElementById(id);

/**
 * Sets every static text of the page: data-i18n sets the text,
 * data-i18n-attr="attr:key,…" attributes.
 * @param {Lang} lang
 */
export function applyTexts(lang) {
  document.documentElement.lang = lang;
  document.title = t(lang, 'title');
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(lang, /** @type {any} */ (e.getAttribute('data-i18n')));
  for (const e of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of (e.getAttribute('data-i18n-attr') ?? '').split(',')) {
      const [attr, key] = pair.split(':');
      e.setAttribute(attr, t(lang, /** @type {any} */ (key)));
    }
  }
}

/**
 * Fills the indicator picker, grouped by theme.
 * @param {Catalog} catalog
 * @param {Lang} lang
 */
function fillIndicators(catalog, lang) {
  const sel = $('indicator');
  sel.replaceChildren();
  for (const theme of catalog.themes) {
    const og = document.createElement('optgroup');
    og.label = localized(theme, 'name', lang);
    for (const ind of catalog.indicators.filter((i) => i.theme === theme.id)) og.append(option(ind.id, localized(ind, 'name', lang)));
    if (og.childElementCount > 0) sel.append(og);
  }
  const themed = new Set(catalog.themes.map((th) => th.id));
  for (const ind of catalog.indicators.filter((i) => !themed.has(i.theme))) sel.append(option(ind.id, localized(ind, 'name', lang)));
}

/**
 * Fills the group picker, grouped by split; a group in two splits is listed once, in the first.
 * @param {Catalog} catalog
 * @param {Lang} lang
 */
function fillGroups(catalog, lang) {
  const sel = $('group');
  sel.replaceChildren();
  const placed = new Set();
  for (const split of catalog.splits) {
    const og = document.createElement('optgroup');
    og.label = localized(split, 'name', lang);
    for (const g of catalog.groups.filter((x) => (x.splits ?? []).includes(split.id))) {
      if (placed.has(g.id)) continue;
      placed.add(g.id);
      og.append(option(g.id, localized(g, 'name', lang)));
    }
    if (og.childElementCount > 0) sel.append(og);
  }
  for (const g of catalog.groups.filter((x) => !placed.has(x.id))) sel.append(option(g.id, localized(g, 'name', lang)));
}

/**
 * Fills every picker from the catalogue.
 * @param {Catalog} catalog
 * @param {Lang} lang
 */
export function fillControls(catalog, lang) {
  fillIndicators(catalog, lang);
  fillGroups(catalog, lang);
  $('year-field').hidden = catalog.years.length < 2;
}

/**
 * The year pickers' options for the map's level: "2020 (grenzen 2022)" when
 * the values are given on the areas of another year, disabled and marked
 * when the level has no values that year.
 * @param {Catalog} catalog
 * @param {State} state
 */
function fillYears(catalog, state) {
  const { lang } = state;
  const atLevel = yearsOfLevel(catalog, state.level);
  const opts = catalog.years.map((year) => {
    const ly = atLevel.find((y) => y.year === year);
    const has = atLevel.length === 0 || !!ly;
    const label = !has ? t(lang, 'yearNoValues', year) : ly?.boundary_year && ly.boundary_year !== year ? t(lang, 'yearBoundary', year, ly.boundary_year) : String(year);
    return { year, label, has };
  });
  const make = (/** @type {{year: number, label: string, has: boolean}} */ o, disabled = !o.has) => {
    const e = option(String(o.year), o.label);
    e.disabled = disabled;
    return e;
  };
  $('year').replaceChildren(...opts.map((o) => make(o)));
  $('base-year').replaceChildren(...opts.map((o) => make(o, !o.has || o.year === state.year)));
}

/**
 * The base year the change map starts from when switched on: the latest
 * year with values at the level before the shown one, else the earliest other.
 * @param {Catalog} catalog
 * @param {State} state
 */
export function defaultBase(catalog, state) {
  const atLevel = yearsOfLevel(catalog, state.level);
  const years = atLevel.length > 0 ? atLevel.map((y) => y.year) : catalog.years;
  const year = state.year ?? Math.max(...years);
  const before = years.filter((y) => y < year);
  return before.length > 0 ? Math.max(...before) : years.find((y) => y !== year) ?? null;
}

/**
 * Lists the areas of the chosen gemeente in the area picker, the keyboard's
 * way to the herkomst panel.
 * @param {Area[]} areas
 * @param {Lang} lang
 */
export function fillAreas(areas, lang) {
  const sel = $('area');
  sel.replaceChildren(option('', t(lang, 'areaNone')), ...areas.map((a) => option(a.code, a.name)));
  sel.disabled = areas.length === 0;
}

/** The most groups side by side. */
export const MAX_COMPARED = 6;

/**
 * Lists the groups of the chosen group's split as checkboxes for the
 * side-by-side maps; at most MAX_COMPARED can be checked.
 * @param {Catalog} catalog
 * @param {State} state
 * @param {import('./types.js').Group[]} groups
 */
export function fillCompareGroups(catalog, state, groups) {
  const box = $('compare-groups');
  for (const l of box.querySelectorAll('label')) l.remove();
  for (const g of groups) {
    const input = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', value: g.id }));
    input.checked = state.groups.includes(g.id);
    box.append(el('label', {}, input, ` ${localized(g, 'name', state.lang)}`));
  }
  const checked = box.querySelectorAll('input:checked').length;
  for (const i of box.querySelectorAll('input')) i.disabled = !i.checked && checked >= MAX_COMPARED;
  if (state.groups.length > 0) $('compare').open = true;
}

/**
 * Shows a selection in the pickers.
 * @param {State} state
 * @param {Catalog} catalog
 */
export function syncControls(state, catalog) {
  $('indicator').value = state.indicator;
  $('group').value = state.group;
  fillYears(catalog, state);
  $('year').value = String(state.year ?? '');
  const base = state.base ?? defaultBase(catalog, state);
  $('base-year').value = String(base ?? '');
  $('change-on').checked = state.base != null;
  $('change-on').disabled = base == null;
  $('base-year').disabled = state.base == null;
  $('change-hint').hidden = state.base == null;
  $('method').value = state.base != null ? 'quantile' : state.method;
  // A change map's classes are always quantiles of the change, symmetric around 0.
  $('method').disabled = state.base != null;
  $('classes').value = String(state.classes);
  for (const r of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[name=level]'))) r.checked = r.value === state.level;
  const gm = catalog.gemeenten.find((a) => a.code === state.gemeente);
  $('gemeente').value = gm ? gm.name : '';
  if ([...$('area').options].some((/** @type {HTMLOptionElement} */ o) => o.value === state.area)) $('area').value = state.area;
  else $('area').value = '';
  const ind = catalog.indicators.find((i) => i.id === state.indicator);
  const splittable = ind?.split_by_group !== false;
  for (const o of $('group').querySelectorAll('option')) o.disabled = !splittable && o.value !== 'totaal';
  $('group-note').hidden = splittable;
}

/**
 * Embed mode: only the group and indicator pickers, unless hidden; locked
 * pickers cannot be changed. The panel disappears when it has nothing to offer.
 * @param {State} state
 */
export function applyEmbed(state) {
  document.body.classList.toggle('embed', state.embed);
  $('compact-legend').hidden = !state.embed;
  if (!state.embed) return;
  const shown = PICKERS.filter((p) => !state.hide.includes(p));
  for (const p of PICKERS) {
    $(`${p}-field`).hidden = !shown.includes(p);
    $(p).disabled = state.lock;
  }
  $('panel').hidden = shown.length === 0;
}

/**
 * Reports the user's changes to the pickers as patches of the state.
 * @param {{change: (patch: Partial<State>) => void, gemeente: (text: string) => void, wholeCountry: () => void, compareGroup: (id: string, on: boolean) => void}} on
 */
export function wireControls(on) {
  $('controls').addEventListener('submit', (/** @type {Event} */ e) => e.preventDefault());
  $('indicator').addEventListener('change', (/** @type {any} */ e) => on.change({ indicator: e.target.value }));
  $('group').addEventListener('change', (/** @type {any} */ e) => on.change({ group: e.target.value }));
  $('year').addEventListener('change', (/** @type {any} */ e) => on.change({ year: Number(e.target.value) }));
  $('change-on').addEventListener('change', (/** @type {any} */ e) => on.change({ base: e.target.checked ? Number($('base-year').value) || null : null }));
  $('base-year').addEventListener('change', (/** @type {any} */ e) => on.change({ base: Number(e.target.value) || null }));
  $('method').addEventListener('change', (/** @type {any} */ e) => on.change({ method: e.target.value }));
  $('classes').addEventListener('change', (/** @type {any} */ e) => on.change({ classes: Number(e.target.value) }));
  $('area').addEventListener('change', (/** @type {any} */ e) => on.change({ area: e.target.value }));
  for (const r of document.querySelectorAll('input[name=level]')) {
    r.addEventListener('change', (/** @type {any} */ e) => e.target.checked && on.change({ level: e.target.value }));
  }
  $('gemeente').addEventListener('change', (/** @type {any} */ e) => on.gemeente(e.target.value));
  $('gemeente').addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
    if (e.key === 'Enter') /** @type {HTMLElement} */ (e.target).dispatchEvent(new Event('change'));
  });
  $('gemeente-clear').addEventListener('click', () => on.wholeCountry());
  $('compare-groups').addEventListener('change', (/** @type {any} */ e) => on.compareGroup(e.target.value, e.target.checked));
}
