// @ts-check
// wijkkaart map page: wires the URL state, the side panel, the map
// controller, the herkomst panel, exports and the embed dialog together.
// The selection lives in the URL (state.js); user changes push a history
// entry, so back and forward step through them.

import maplibregl from 'maplibre-gl';
import { getJSON, loadCatalog, loadValues } from './api.js';
import { AreaPanel } from './areapanel.js';
import { loadBasemap, withBasemap } from './basemap.js';
import { CompareView } from './compare.js';
import { wireEmbedDialog } from './embed.js';
import { csvOf, download, pngOf } from './export.js';
import { groupsOfSplit, splitOfGroup } from './herkomst.js';
import { localized, t } from './i18n.js';
import { legendIsDemo, legendOf, renderLegend } from './legend.js';
import { FILL, MapView, NL_BOUNDS } from './mapview.js';
import { $, applyEmbed, applyTexts, fillAreas, fillCompareGroups, fillControls, syncControls, wireControls } from './panel.js';
import { popupContent } from './popup.js';
import { Search } from './search.js';
import { gemeenteOfArea, normalizeState, readState, styleURL, writeState } from './state.js';

/** @typedef {import('./state.js').State} State */
/** @typedef {import('./types.js').Catalog} Catalog */

/** The page: its state, catalogue, map and panels. */
class App {
  constructor() {
    /** @type {State} */
    this.state = readState(location.search, location.pathname);
    /** @type {Catalog | null} */
    this.catalog = null;
    /** @type {import('./types.js').Legend | null} */
    this.legend = null;
    this.styleSeq = 0;
    this.areasOf = '';
    /** The background map's style, or null: loaded once, drawn under every map. */
    this.basemap = loadBasemap();
    applyTexts(this.state.lang);
    applyEmbed(this.state);
    this.view = new MapView($('map'), { lang: this.state.lang, onAreaClick: (f, lngLat) => this.areaClicked(f, lngLat) });
    this.map = this.view.map;
    this.popup = this.newPopup();
    this.areaPanel = new AreaPanel({ close: () => this.change({ area: '' }), split: (split) => this.change({ split }), compare: (compare) => this.change({ compare }) });
    /** @type {import('./types.js').Area[]} the areas of the chosen gemeente at the map's level */
    this.areas = [];
    this.searchBox = new Search($('gemeente'), $('gemeente-list'), () => this.state.lang);
    this.compare = new CompareView($('compare-view'), () => this.change({ groups: [] }), this.basemap);
    /** @type {(v?: unknown) => void} */
    let resolveReady = () => {};
    this.ready = new Promise((r) => (resolveReady = r));
    this.resolveReady = resolveReady;
    /** @type {Promise<unknown>} */
    this.settledPromise = this.ready;
    this.map.on('error', (e) => {
      // Tile errors carry the server's message; show them instead of failing silently.
      const msg = e?.error?.message;
      if (msg) this.setStatus(t(this.state.lang, 'tileError', msg), true);
    });
    this.wire();
  }

  /**
   * A popup for one click. Each click gets its own: reopening the one that
   * is open from within a map click lets its close-on-click handler, already
   * queued for that click, close it again.
   */
  newPopup() {
    const popup = new maplibregl.Popup({ maxWidth: '320px', closeButton: true, focusAfterOpen: true });
    popup.on('close', () => {
      if (this.state.embed && popup === this.popup) this.view.select('');
    });
    return popup;
  }

  /** The chosen indicator's catalogue entry. */
  get indicator() {
    return this.catalog?.indicators.find((i) => i.id === this.state.indicator);
  }

  /** The chosen group's name in the page's language. */
  get groupName() {
    return localized(this.catalog?.groups.find((g) => g.id === this.state.group), 'name', this.state.lang) || this.state.group;
  }

  /**
   * @param {string} text
   * @param {boolean} [isError]
   */
  setStatus(text, isError = false) {
    $('status').textContent = text;
    $('status').classList.toggle('error', isError);
  }

  wire() {
    wireControls({
      change: (patch) => this.change(patch),
      gemeente: (text) => this.search(text),
      wholeCountry: () => {
        this.map.fitBounds(NL_BOUNDS, { padding: 20, duration: 600 });
        this.change({ gemeente: '', area: '' });
      },
      // Side-by-side maps keep the order in which groups were chosen.
      compareGroup: (id, on) => this.change({ groups: on ? [...this.state.groups, id] : this.state.groups.filter((g) => g !== id) }),
    });
    $('lang-switch').addEventListener('click', () => this.change({ lang: this.state.lang === 'nl' ? 'en' : 'nl' }));
    $('export-csv').addEventListener('click', () => this.exportCSV());
    $('export-png').addEventListener('click', () => this.exportPNG());
    wireEmbedDialog(() => this.state, () => `${t(this.state.lang, 'title')}: ${localized(this.indicator, 'name', this.state.lang)}`);
    window.addEventListener('popstate', () => {
      if (this.catalog) this.apply(normalizeState(readState(location.search, location.pathname), this.catalog));
    });
  }

  /** Loads the catalogue and shows the state of the URL. */
  async start() {
    try {
      this.catalog = await loadCatalog();
    } catch (err) {
      this.setStatus(t(this.state.lang, 'dataFailed', /** @type {Error} */ (err).message), true);
      return;
    }
    fillControls(this.catalog, this.state.lang);
    if (this.state.view) this.jumpToView();
    else {
      const gm = this.catalog.gemeenten.find((a) => a.code === (this.state.gemeente || gemeenteOfArea(this.state.area)));
      this.view.fitBBox(gm?.bbox, { padding: this.fitPadding(), animate: false });
    }
    // The view follows the map into the URL without a history entry per move.
    this.map.on('moveend', () => {
      const c = this.map.getCenter();
      this.state = { ...this.state, view: `${this.map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}` };
      history.replaceState(null, '', this.urlOf(this.state));
    });
    const s = normalizeState(this.state, this.catalog);
    history.replaceState(null, '', this.urlOf(s));
    this.apply(s, { force: true });
  }

  /**
   * A user's change: applies it and records it in the history.
   * @param {Partial<State>} patch
   */
  change(patch) {
    if (!this.catalog) return;
    const s = normalizeState({ ...this.state, ...patch }, this.catalog);
    if (patch.gemeente !== undefined && patch.area === undefined && s.area && gemeenteOfArea(s.area) !== s.gemeente) s.area = '';
    if (!s.area || s.compare === s.area) s.compare = '';
    history.pushState(null, '', this.urlOf(s));
    this.apply(s);
  }

  /**
   * The page URL of a state: the same path (/ or /embed) with its query.
   * @param {State} s
   */
  urlOf(s) {
    return `${location.pathname}${writeState(s, { embedFlag: !/\/embed\/?$/.test(location.pathname) })}${location.hash}`;
  }

  /**
   * Shows a state, redoing only what changed.
   * @param {State} next
   * @param {{force?: boolean}} [opts]
   */
  apply(next, { force = false } = {}) {
    const prev = this.state;
    this.state = next;
    const changed = (/** @type {(keyof State)[]} */ ...keys) => force || keys.some((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]));
    const catalog = /** @type {Catalog} */ (this.catalog);
    if (changed('lang')) {
      applyTexts(next.lang);
      fillControls(catalog, next.lang);
      this.areasOf = '';
    }
    applyEmbed(next);
    if (changed('gemeente', 'level', 'lang')) this.loadAreaList();
    syncControls(next, catalog);
    if (changed('indicator', 'group', 'year', 'base', 'gemeente', 'level', 'method', 'classes')) this.applyStyle();
    else if (changed('lang')) this.showLegend();
    if (!force && changed('view')) this.jumpToView();
    if (changed('area', 'compare', 'indicator', 'year', 'base', 'split', 'lang', 'group')) this.showArea();
    this.showCompare();
  }

  /** Shows the groups side by side when two or more are chosen (full page only). */
  showCompare() {
    const { state } = this;
    const catalog = /** @type {Catalog} */ (this.catalog);
    const split = splitOfGroup(catalog, state.group);
    const offered = groupsOfSplit(catalog, split, this.indicator);
    const extra = catalog.groups.filter((g) => state.groups.includes(g.id) && !offered.includes(g));
    fillCompareGroups(catalog, state, [...offered, ...extra]);
    // The side-by-side maps show values, also beside a change map.
    if (state.groups.length >= 2 && !state.embed) this.compare.show({ ...state, base: null }, catalog, this.map);
    else this.compare.hide();
  }

  /** Fills the area picker with the areas of the chosen gemeente at the map's level. */
  async loadAreaList() {
    const { gemeente, level, indicator, year, lang } = this.state;
    const key = `${gemeente}:${level}:${lang}`;
    if (key === this.areasOf) return;
    this.areasOf = key;
    this.areas = [];
    if (!gemeente) return fillAreas([], lang);
    const areaLevel = level === 'auto' ? 'wijk' : level;
    try {
      const v = await loadValues({ level: areaLevel, indicator, group: 'totaal', year, gemeente });
      if (key !== this.areasOf) return;
      this.areas = v.values.slice().sort((a, b) => a.name.localeCompare(b.name, 'nl'));
      fillAreas(this.areas, lang);
      if (this.state.area && !this.state.embed) this.areaPanel.fillCompare(this.state, /** @type {Catalog} */ (this.catalog), this.areas);
      syncControls(this.state, /** @type {Catalog} */ (this.catalog));
    } catch (err) {
      this.setStatus(t(lang, 'dataFailed', /** @type {Error} */ (err).message), true);
    }
  }

  /** Opens or closes the herkomst panel (full page) and the selection outline. */
  showArea() {
    this.view.select(this.state.area);
    if (!this.state.area || this.state.embed) return this.areaPanel.hide();
    this.areaPanel.show(this.state, /** @type {Catalog} */ (this.catalog), this.areas);
  }

  /**
   * A click on an area: select it (in the URL) and show its popup.
   * @param {import('maplibre-gl').MapGeoJSONFeature} f
   * @param {import('maplibre-gl').LngLat} lngLat
   */
  areaClicked(f, lngLat) {
    const props = f.properties;
    const { lang } = this.state;
    const old = this.popup;
    this.popup = this.newPopup();
    old.remove();
    this.popup
      .setLngLat(lngLat)
      .setDOMContent(
        popupContent(props, {
          indicator: this.indicator,
          indicatorName: localized(this.indicator, 'name', lang),
          groupName: this.groupName,
          gemeente: this.state.gemeente,
          minObservations: this.catalog?.minObservations ?? 10,
          lang,
          year: this.state.year,
          base: this.state.base,
        }),
      )
      .addTo(this.map);
    if (this.state.embed) this.view.select(props.code);
    else if (props.code !== this.state.area) this.change({ area: props.code });
  }

  /**
   * Goes to the gemeente, wijk or buurt the search box names: a gemeente
   * becomes the chosen gemeente, a wijk or buurt the selected area in it.
   * @param {string} text
   */
  async search(text) {
    const { lang } = this.state;
    if (!text.trim()) return this.change({ gemeente: '', area: '' });
    try {
      const a = await this.searchBox.resolve(text, /** @type {Catalog} */ (this.catalog).gemeenten);
      if (!a) return this.setStatus(t(lang, 'noGemeente', text), true);
      this.setStatus('');
      this.view.fitBBox(a.bbox, { padding: this.fitPadding() });
      // The box shows the chosen gemeente's name; naming it again changes nothing.
      if (a.level === 'gemeente') return a.code === this.state.gemeente || this.change({ gemeente: a.code, area: '' });
      const level = this.state.level === 'auto' ? 'auto' : /** @type {import('./types.js').Level} */ (a.level);
      this.change({ gemeente: a.gemeente_code ?? gemeenteOfArea(a.code), level, area: a.code });
    } catch (err) {
      this.setStatus(t(lang, 'searchFailed', /** @type {Error} */ (err).message), true);
    }
  }

  /** Moves the map to the view of the state (zoom/lat/lng). */
  jumpToView() {
    const [zoom, lat, lng] = this.state.view.split('/').map(Number);
    if (this.state.view) this.map.jumpTo({ zoom, center: [lng, lat] });
  }

  /** Map padding that keeps an area clear of the compact legend in embed mode. */
  fitPadding() {
    return this.state.embed && window.innerWidth > 600 ? { top: 50, bottom: 30, right: 50, left: 290 } : 40;
  }

  /** The map's label: indicator, group, level and the demo note. */
  mapLabel() {
    const { lang } = this.state;
    const level = t(lang, /** @type {any} */ (`level${this.state.level[0].toUpperCase()}${this.state.level.slice(1)}`)).toLowerCase();
    return t(lang, 'mapLabel', localized(this.indicator, 'name', lang) || this.state.indicator, this.groupName, level) + (legendIsDemo(this.legend) ? t(lang, 'demoSuffix') : '');
  }

  showLegend() {
    const { lang, embed } = this.state;
    const change = this.state.base != null ? { year: this.state.year, base: this.state.base } : null;
    const ctx = { indicator: this.indicator, groupName: this.groupName, lang, change };
    $('legend').replaceChildren(renderLegend(this.legend, ctx));
    $('compact-legend').replaceChildren(renderLegend(this.legend, { ...ctx, compact: true }));
    if (embed) {
      const a = document.createElement('a');
      a.href = new URL(`./${writeState({ ...this.state, embed: false, hide: [], lock: false })}`, location.href).href;
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = t(lang, 'openFull');
      $('compact-legend').append(a);
    }
    $('demo-label').hidden = !legendIsDemo(this.legend);
    this.view.setTexts(lang, this.mapLabel());
  }

  /** Loads the server's style for the current selection and shows it with its legend. */
  async applyStyle() {
    const seq = ++this.styleSeq;
    /** @type {(v?: unknown) => void} */
    let settle = () => {};
    this.settledPromise = new Promise((r) => (settle = r));
    // A superseded load settles when the newer one does.
    const finish = (/** @type {boolean} */ current) => settle(current ? undefined : this.settledPromise);
    const { lang } = this.state;
    this.popup.remove();
    this.setStatus(t(lang, 'loading'));
    let style;
    try {
      const [own, basemap] = await Promise.all([getJSON(styleURL(this.state, location.href)), this.basemap]);
      style = withBasemap(own, basemap);
    } catch (err) {
      if (seq === this.styleSeq) this.setStatus(t(lang, 'loadFailed', /** @type {Error} */ (err).message), true);
      return finish(seq === this.styleSeq);
    }
    if (seq !== this.styleSeq) return finish(false);
    this.legend = legendOf(style);
    const shown = this.view.show(style, () => seq === this.styleSeq);
    this.showLegend();
    const current = await shown;
    if (current) {
      this.setStatus('');
      this.resolveReady();
    }
    finish(current);
  }

  /** Downloads the values of the areas on screen as CSV: of every side-by-side map when they are shown. */
  exportCSV() {
    const { lang, indicator, group, year, gemeente } = this.state;
    // Side by side the maps show values; a single change map its change too.
    const base = this.compare.maps.length > 0 ? null : this.state.base;
    const maps = this.compare.maps.length > 0 ? this.compare.maps.map((m, i) => ({ map: m, group: this.state.groups[i] })) : [{ map: this.map, group }];
    const rows = maps.flatMap(({ map, group }) => {
      /** @type {Map<string, import('./export.js').AreaProps>} */
      const byCode = new Map();
      for (const f of map.queryRenderedFeatures({ layers: [FILL] })) {
        const p = f.properties;
        if (!gemeente || p.gemeente_code === gemeente) byCode.set(p.code, /** @type {import('./export.js').AreaProps} */ ({ ...p, group }));
      }
      return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
    });
    const csv = csvOf(rows, { lang, indicator, group, year, base, minObservations: this.catalog?.minObservations ?? 10 });
    download(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${this.fileName()}.csv`);
  }

  /** Downloads the map — or the side-by-side maps — with title, legend, source line and demo label as PNG. */
  async exportPNG() {
    const { lang } = this.state;
    const gm = this.catalog?.gemeenten.find((a) => a.code === this.state.gemeente);
    const side = this.compare.maps.length > 0;
    const when = !side && this.state.base != null ? t(lang, 'legendChange', this.state.year ?? '', this.state.base) : this.state.year;
    const subtitle = [side ? '' : this.groupName, when, gm && t(lang, 'gemeenteOf', gm.name)].filter(Boolean).join(' · ');
    let canvas = this.map.getCanvas();
    /** @type {import('./types.js').Legend | null} */
    let legend = this.legend;
    if (side) {
      await this.compare.rendered;
      canvas = this.compare.snapshot();
      // The shared classes replace the single map's; the Nederland value differs per group.
      legend = legend && { ...legend, classes: this.compare.classes, reference: null };
    } else {
      this.map.triggerRepaint();
      await new Promise((r) => this.map.once('render', r));
    }
    const png = await pngOf(canvas, { legend, title: localized(this.indicator, 'name', lang), subtitle, lang, indicator: this.indicator });
    download(png, `${this.fileName()}.png`);
  }

  /** The base name of exported files: wijkkaart-indicator-group-gemeente-year. */
  fileName() {
    const { indicator, group, gemeente, year, base } = this.state;
    return ['wijkkaart', indicator, group, gemeente, year, base && `t.o.v.-${base}`].filter(Boolean).join('-');
  }
}

const app = new App();
/** @type {any} */ (window).wijkkaart = {
  map: app.map,
  ready: app.ready,
  /** Resolves when the latest selection has rendered. */
  settled: () => app.settledPromise,
  /** Resolves when the herkomst panel has rendered. */
  panelLoaded: () => app.areaPanel.loaded,
  /** Resolves when the area panel's series chart has rendered. */
  seriesLoaded: () => app.areaPanel.seriesLoaded,
  /** The catalogue: value years and, per level, the years with values. */
  get catalog() {
    return app.catalog && { years: app.catalog.years, levels: app.catalog.levels };
  },
  /** The side-by-side maps, and a promise that resolves when they have rendered. */
  compare: () => ({ maps: app.compare.maps, rendered: app.compare.rendered }),
  get state() {
    return { ...app.state };
  },
  get legend() {
    return app.legend;
  },
};
app.start();
