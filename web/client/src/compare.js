// @ts-check
// Groups side by side: the same indicator for two to six groups as small
// maps that move together, coloured with one set of classes computed over
// the published values of all shown groups, and one shared legend.

import maplibregl from 'maplibre-gl';
import { loadValues, getJSON } from './api.js';
import { el } from './dom.js';
import { formatValue } from './format.js';
import { localized, t } from './i18n.js';
import { withBasemap } from './basemap.js';
import { FILL, SOURCE } from './mapview.js';
import { styleURL } from './state.js';
import { sharedClasses, withClasses } from './classes.js';

/** @typedef {import('./types.js').Catalog} Catalog */
/** @typedef {import('./types.js').Indicator} Indicator */
/** @typedef {import('./state.js').State} State */
/** @typedef {import('./i18n.js').Lang} Lang */

export class CompareView {
  /**
   * @param {HTMLElement} root
   * @param {() => void} onClose
   * @param {Promise<import('maplibre-gl').StyleSpecification | null>} basemap the background map's style, or null
   */
  constructor(root, onClose, basemap) {
    this.root = root;
    this.onClose = onClose;
    this.basemap = basemap;
    /** @type {maplibregl.Map[]} */
    this.maps = [];
    this.key = '';
    this.seq = 0;
    /** Resolves when the latest show() has rendered every map. */
    this.rendered = Promise.resolve();
    /** @type {import('./types.js').LegendClass[]} the shared classes, labelled in the page's language */
    this.classes = [];
  }

  hide() {
    this.seq++;
    for (const m of this.maps) m.remove();
    this.maps = [];
    this.key = '';
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  /**
   * Shows the state's groups side by side, starting at the view of main.
   * @param {State} state
   * @param {Catalog} catalog
   * @param {maplibregl.Map} main
   */
  show(state, catalog, main) {
    const key = JSON.stringify([state.groups, state.indicator, state.year, state.gemeente, state.level, state.lang, state.classes]);
    if (key === this.key) return;
    this.hide();
    this.key = key;
    const seq = this.seq;
    const { lang } = state;
    const indicator = catalog.indicators.find((i) => i.id === state.indicator);
    this.root.hidden = false;
    const legend = el('div', { class: 'compare-legend', 'aria-live': 'polite' });
    const close = el('button', { type: 'button', class: 'compare-close', text: t(lang, 'compareClose') });
    close.addEventListener('click', this.onClose);
    const grid = el('div', { class: `compare-grid n${state.groups.length}` });
    this.root.append(el('div', { class: 'compare-head' }, legend, close), grid);
    this.maps = state.groups.map((g) => {
      const name = localized(catalog.groups.find((x) => x.id === g), 'name', lang);
      const box = el('div', { class: 'compare-map' });
      grid.append(el('figure', { class: 'compare-cell', 'data-group': g }, el('figcaption', { text: name }), box));
      const map = new maplibregl.Map({
        container: box,
        center: main.getCenter(),
        zoom: main.getZoom() - 1,
        attributionControl: false,
        // The PNG export reads the canvases after rendering.
        canvasContextAttributes: { preserveDrawingBuffer: true },
        dragRotate: false,
        pitchWithRotate: false,
        transformRequest: (url) => ({ url: new URL(url, location.href).href }),
      });
      map.getCanvas().setAttribute('aria-label', t(lang, 'compareMapLabel', localized(indicator, 'name', lang), name));
      return map;
    });
    this.sync();
    this.rendered = this.load(state, indicator, legend, () => seq === this.seq);
  }

  /** Moves every map with the one the user moves. */
  sync() {
    let moving = false;
    for (const m of this.maps) {
      m.on('move', () => {
        if (moving) return;
        moving = true;
        for (const o of this.maps) if (o !== m) o.jumpTo({ center: m.getCenter(), zoom: m.getZoom() });
        moving = false;
      });
    }
  }

  /**
   * Loads the groups' values and styles, colours every map with the shared
   * classes and renders the shared legend.
   * @param {State} state
   * @param {Indicator | undefined} indicator
   * @param {HTMLElement} legend
   * @param {() => boolean} isCurrent
   */
  async load(state, indicator, legend, isCurrent) {
    const { lang } = state;
    const level = state.level === 'auto' ? 'wijk' : state.level;
    const [values, styles, basemap] = await Promise.all([
      Promise.all(state.groups.map((group) => loadValues({ level, indicator: state.indicator, group, year: state.year, gemeente: state.gemeente }))),
      Promise.all(state.groups.map((group) => getJSON(styleURL({ ...state, group }, location.href)))),
      this.basemap,
    ]);
    if (!isCurrent()) return;
    const all = values.flatMap((v) => v.values).flatMap((v) => (v.status === 'ok' && typeof v.value === 'number' ? [v.value] : []));
    const classes = sharedClasses(all, state.classes || 5, indicator?.decimals ?? 1);
    this.classes = classes.map((c, i) => {
      const label = classLabel(classes, i, indicator, lang);
      return { ...c, label_nl: label, label_en: label, count: 0 };
    });
    legend.replaceChildren(...this.legendOf(indicator, lang));
    await Promise.all(
      this.maps.map((map, i) => {
        const style = styles[i];
        const fill = style.layers.find((/** @type {{id: string}} */ l) => l.id === FILL);
        if (fill && classes.length > 0) fill.paint['fill-color'] = withClasses(fill.paint['fill-color'], classes);
        map.setStyle(withBasemap(style, basemap));
        return new Promise((resolve) => {
          const check = () => {
            if (!map.isStyleLoaded() || !map.getSource(SOURCE) || !map.isSourceLoaded(SOURCE)) return;
            map.off('idle', check);
            resolve(undefined);
          };
          map.on('idle', check);
        });
      }),
    );
  }

  /**
   * The shared legend's elements.
   * @param {Indicator | undefined} indicator
   * @param {Lang} lang
   */
  legendOf(indicator, lang) {
    const list = el('ul', { class: 'legend-classes', 'aria-label': t(lang, 'classes') });
    for (const c of this.classes) {
      const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.background = c.color;
      list.append(el('li', { class: 'legend-class' }, sw, el('span', { class: 'label', text: c.label_nl })));
    }
    return [el('h2', { text: t(lang, 'compareHeading', localized(indicator, 'name', lang)) }), el('p', { class: 'muted', text: t(lang, 'compareNote') }), list];
  }

  /**
   * The small maps drawn on one canvas in their grid, each with its group's
   * name above it, for the PNG export.
   * @returns {HTMLCanvasElement}
   */
  snapshot() {
    const first = this.maps[0].getCanvas();
    const scale = first.width / (first.clientWidth || first.width);
    const cols = this.maps.length <= 2 || this.maps.length === 4 ? 2 : 3;
    const rows = Math.ceil(this.maps.length / cols);
    const caption = 24 * scale;
    const canvas = document.createElement('canvas');
    canvas.width = cols * first.width;
    canvas.height = rows * (first.height + caption);
    // The small maps' own CSS size, so that pngOf scales its text like the page.
    canvas.style.width = `${canvas.width / scale}px`;
    const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    this.maps.forEach((m, i) => {
      const x = (i % cols) * first.width;
      const y = Math.floor(i / cols) * (first.height + caption);
      g.fillStyle = '#1a1a1a';
      g.font = `700 ${14 * scale}px system-ui, sans-serif`;
      g.fillText(this.root.querySelectorAll('figcaption')[i]?.textContent ?? '', x + 6 * scale, y + 17 * scale);
      g.drawImage(m.getCanvas(), x, y + caption);
    });
    return canvas;
  }
}

/**
 * The label of the i-th shared class: "3,4% – 4,3%", its upper end one step
 * below the next class's lower end.
 * @param {{min: number, max: number}[]} classes
 * @param {number} i
 * @param {Indicator | undefined} indicator
 * @param {Lang} lang
 */
function classLabel(classes, i, indicator, lang) {
  const c = classes[i];
  const hi = i === classes.length - 1 ? c.max : c.max - 10 ** -(indicator?.decimals ?? 1);
  return hi > c.min ? `${formatValue(c.min, indicator, lang)} – ${formatValue(hi, indicator, lang)}` : formatValue(c.min, indicator, lang);
}
