// @ts-check
// The floating herkomst panel of the selected area: heading, split picker and
// the chart and table of herkomst.js. Loads are numbered so that a slow
// answer for an area the user has left is never shown.

import { option } from './dom.js';
import { csvOf, download } from './export.js';
import { groupsOfSplit, herkomstRows, loadHerkomst, renderHerkomst, splitOfGroup } from './herkomst.js';
import { localized, t } from './i18n.js';
import { $ } from './panel.js';
import { loadSeriesSet, renderSeries } from './series.js';

/** @typedef {import('./types.js').Catalog} Catalog */
/** @typedef {import('./state.js').State} State */

export class AreaPanel {
  /** @param {{close: () => void, split: (split: string) => void, compare: (code: string) => void}} on */
  constructor(on) {
    this.seq = 0;
    /** Resolves when the latest show() has rendered. */
    this.loaded = Promise.resolve();
    /** Resolves when the latest show() has rendered the series chart. */
    this.seriesLoaded = Promise.resolve();
    /** @type {{h: import('./herkomst.js').Herkomst, other: import('./herkomst.js').Herkomst | null, state: State, minObservations: number} | null} what the panel shows */
    this.shown = null;
    $('area-close').addEventListener('click', () => on.close());
    $('split').addEventListener('change', (/** @type {any} */ e) => on.split(e.target.value));
    $('area-csv').addEventListener('click', () => this.exportCSV());
    $('compare-area').addEventListener('change', (/** @type {any} */ e) => on.compare(e.target.value));
    $('area-panel').addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
      if (e.key === 'Escape') on.close();
    });
  }

  hide() {
    this.seq++;
    this.shown = null;
    $('area-panel').hidden = true;
  }

  /**
   * Shows the selected area's values for every group of the split, beside
   * those of the compared area when there is one.
   * @param {State} state
   * @param {Catalog} catalog
   * @param {import('./types.js').Area[]} areas the areas of the chosen gemeente, to compare with
   */
  show(state, catalog, areas) {
    const seq = ++this.seq;
    this.shown = null;
    const { lang } = state;
    const indicator = catalog.indicators.find((i) => i.id === state.indicator);
    const split = state.split || splitOfGroup(catalog, state.group);
    const splits = catalog.splits.filter((s) => s.id !== 'totaal');
    $('split').replaceChildren(...splits.map((s) => option(s.id, localized(s, 'name', lang))));
    $('split').value = split;
    $('split').disabled = indicator?.split_by_group === false;
    this.fillCompare(state, catalog, areas);
    $('area-panel').hidden = false;
    $('area-panel').setAttribute('aria-busy', 'true');
    $('area-body').replaceChildren(document.createTextNode(t(lang, 'panelLoading')));
    $('area-heading').textContent = state.area;
    this.seriesLoaded = this.showSeries(state, catalog, seq);
    const q = { indicator: state.indicator, year: state.year, groups: groupsOfSplit(catalog, split, indicator) };
    const herkomst = Promise.all([loadHerkomst({ ...q, code: state.area }), state.compare ? loadHerkomst({ ...q, code: state.compare }) : null])
      .then(([h, other]) => {
        if (seq !== this.seq) return;
        this.shown = { h, other, state, minObservations: catalog.minObservations };
        $('area-heading').textContent = t(lang, 'herkomstHeading', h.name);
        $('area-body').replaceChildren(renderHerkomst(h, { indicator, lang, minObservations: catalog.minObservations }, other));
      })
      .catch((err) => {
        if (seq === this.seq) $('area-body').replaceChildren(document.createTextNode(t(lang, 'dataFailed', err.message)));
      })
      .finally(() => {
        if (seq === this.seq) $('area-panel').removeAttribute('aria-busy');
      });
    this.loaded = Promise.all([herkomst, this.seriesLoaded]).then(() => undefined);
  }

  /**
   * Shows the series chart of the selected area when the server has more
   * than one value year.
   * @param {State} state
   * @param {Catalog} catalog
   * @param {number} seq
   */
  async showSeries(state, catalog, seq) {
    const box = $('area-series');
    const { lang } = state;
    box.hidden = catalog.years.length < 2;
    if (box.hidden) return box.replaceChildren();
    box.setAttribute('aria-label', t(lang, 'seriesHeading', catalog.years[0], catalog.years[catalog.years.length - 1]));
    box.setAttribute('aria-busy', 'true');
    box.replaceChildren(document.createTextNode(t(lang, 'seriesLoading')));
    const indicator = catalog.indicators.find((i) => i.id === state.indicator);
    try {
      const set = await loadSeriesSet({ code: state.area, indicator: state.indicator, group: state.group });
      if (seq !== this.seq) return;
      box.replaceChildren(renderSeries(set, { indicator, years: catalog.years, year: state.year, base: state.base, lang, minObservations: catalog.minObservations }));
    } catch (err) {
      if (seq === this.seq) box.replaceChildren(document.createTextNode(t(lang, 'dataFailed', /** @type {Error} */ (err).message)));
    } finally {
      if (seq === this.seq) box.removeAttribute('aria-busy');
    }
  }

  /**
   * Offers the other areas of the gemeente and every gemeente to compare with.
   * @param {State} state
   * @param {Catalog} catalog
   * @param {import('./types.js').Area[]} areas
   */
  fillCompare(state, catalog, areas) {
    const { lang } = state;
    const gm = catalog.gemeenten.find((g) => g.code === state.gemeente);
    const groups = [
      [gm ? t(lang, 'areasIn', gm.name) : '', areas],
      [t(lang, 'gemeenten'), catalog.gemeenten],
    ];
    const sel = $('compare-area');
    sel.replaceChildren(option('', t(lang, 'compareNone')));
    for (const [label, list] of /** @type {[string, import('./types.js').Area[]][]} */ (groups)) {
      const og = document.createElement('optgroup');
      og.label = label;
      og.append(...list.filter((a) => a.code !== state.area).map((a) => option(a.code, a.name)));
      if (og.childElementCount > 0) sel.append(og);
    }
    sel.value = state.compare;
  }

  /** Downloads the panel's figures as CSV. */
  exportCSV() {
    if (!this.shown) return;
    const { h, other, state, minObservations } = this.shown;
    const csv = csvOf(herkomstRows(h, other), { lang: state.lang, indicator: state.indicator, group: '', year: state.year, minObservations });
    download(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `wijkkaart-${state.indicator}-${[h.code, other?.code].filter(Boolean).join('-')}-${state.year}.csv`);
  }
}
