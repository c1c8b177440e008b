// @ts-check
// The map controller: creates the MapLibre map, shows a server style for a
// selection — in place (tile URL, paint, layout, filters) when only the
// selection's data changed, so the map does not flash — and keeps hover and
// selection in feature state.

import maplibregl from 'maplibre-gl';
import { featureIdOf } from './state.js';

/** The id of the choropleth source in the server's styles. */
export const SOURCE = 'wijkkaart';
/** The id of the source of the areas' label points in the server's styles. */
export const LABELS = 'wijkkaart-labels';
/** The id of the fill layer that carries each area's properties. */
export const FILL = 'wijkkaart-fill';
/** The Netherlands, for the first view. */
export const NL_BOUNDS = /** @type {[[number, number], [number, number]]} */ ([
  [3.2, 50.7],
  [7.3, 53.6],
]);

/** @typedef {import('maplibre-gl').StyleSpecification} StyleSpecification */
/** @typedef {import('maplibre-gl').LayerSpecification} LayerSpecification */
/** @typedef {import('maplibre-gl').MapGeoJSONFeature} MapGeoJSONFeature */
/** @typedef {import('./i18n.js').Lang} Lang */

/**
 * The MapLibre texts of the controls, per language (English is MapLibre's own).
 * @param {Lang} lang
 * @returns {Record<string, string>}
 */
function localeOf(lang) {
  return lang === 'en'
    ? {}
    : {
        'Map.Title': 'Kaart',
        'NavigationControl.ZoomIn': 'Inzoomen',
        'NavigationControl.ZoomOut': 'Uitzoomen',
        'NavigationControl.ResetBearing': 'Noorden boven',
        'Popup.Close': 'Sluiten',
        'AttributionControl.ToggleAttribution': 'Bronvermelding tonen',
      };
}

/**
 * Whether next can replace current by updating the source and the layers'
 * properties: the same layers, in order, on the same source layers.
 * @param {StyleSpecification | undefined} current
 * @param {StyleSpecification} next
 */
export function updatableInPlace(current, next) {
  if (!current) return false;
  const a = current.sources?.[SOURCE];
  const b = next.sources?.[SOURCE];
  if (a?.type !== 'vector' || b?.type !== 'vector' || !('url' in b) || !b.url) return false;
  if (!current.sources?.[LABELS] !== !next.sources?.[LABELS]) return false;
  const shape = (/** @type {LayerSpecification[]} */ layers) => layers.map((l) => `${l.id}:${l.type}:${'source-layer' in l ? l['source-layer'] : ''}`).join('|');
  return shape(current.layers) === shape(next.layers);
}

/** Shows server styles on a MapLibre map and reports clicks on areas. */
export class MapView {
  /**
   * @param {HTMLElement} container
   * @param {{lang: Lang, onAreaClick: (feature: MapGeoJSONFeature, lngLat: maplibregl.LngLat) => void}} opts
   */
  constructor(container, { lang, onAreaClick }) {
    this.map = new maplibregl.Map({
      container,
      bounds: NL_BOUNDS,
      fitBoundsOptions: { padding: 20 },
      // The attribution ("Bron: CBS / Kadaster") comes with the server's TileJSON.
      attributionControl: { compact: false },
      maxZoom: 16,
      dragRotate: false,
      pitchWithRotate: false,
      // The PNG export reads the canvas after rendering.
      canvasContextAttributes: { preserveDrawingBuffer: true },
      // Relative URLs in the server's style and TileJSON resolve against the
      // page, also for the tile requests that MapLibre makes from its worker.
      transformRequest: (url) => ({ url: new URL(url, location.href).href }),
      locale: localeOf(lang),
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    /** The source layer of the current style: the level's name. */
    this.sourceLayer = '';
    /** @type {number | string | null} */
    this.hovered = null;
    /** @type {string} the selected area's code */
    this.selectedCode = '';
    /** The URL of the TileJSON the current style shows. */
    this.sourceURL = '';

    this.map.on('mousemove', FILL, (e) => {
      this.setHover(e.features?.[0]?.id ?? null);
      this.map.getCanvas().style.cursor = 'pointer';
    });
    this.map.on('mouseleave', FILL, () => {
      this.setHover(null);
      this.map.getCanvas().style.cursor = '';
    });
    this.map.on('click', FILL, (e) => {
      const f = e.features?.[0];
      if (f) onAreaClick(f, e.lngLat);
    });
  }

  /**
   * Shows a server style: in place when only its data changed, else as a new
   * style. Resolves when it has rendered with its tiles loaded, or false when
   * isCurrent() turned false before that.
   * @param {StyleSpecification} style
   * @param {() => boolean} isCurrent
   * @returns {Promise<boolean>}
   */
  show(style, isCurrent) {
    const map = this.map;
    const src = /** @type {{url: string}} */ (style.sources[SOURCE]);
    const fill = style.layers.find((l) => l.id === FILL);
    const layer = fill && 'source-layer' in fill ? fill['source-layer'] ?? '' : '';
    // Before the first style there is nothing to update (and MapLibre warns when asked).
    if (this.sourceURL && map.isStyleLoaded() && updatableInPlace(map.getStyle(), style)) {
      for (const l of style.layers) this.updateLayer(l);
      if (src.url !== this.sourceURL) /** @type {maplibregl.VectorTileSource} */ (map.getSource(SOURCE)).setUrl(src.url);
      this.updateLabels(style);
    } else {
      this.hovered = null;
      // The page decides the view (gemeente, URL), not the style.
      delete style.center;
      delete style.zoom;
      map.setStyle(style, { diff: false });
    }
    this.sourceLayer = layer;
    this.sourceURL = src.url;
    this.select(this.selectedCode);
    return this.whenRendered(src.url, isCurrent).then((current) => {
      // A new style has its source only once loaded.
      if (current) this.select(this.selectedCode);
      return current;
    });
  }

  /**
   * Points the label source at the label points of style, when they changed
   * (another gemeente or year on the same level).
   * @param {StyleSpecification} style
   */
  updateLabels(style) {
    const next = style.sources[LABELS];
    const source = /** @type {maplibregl.GeoJSONSource | undefined} */ (this.map.getSource(LABELS));
    const current = /** @type {{data?: unknown} | undefined} */ (this.map.getStyle().sources[LABELS]);
    if (next?.type === 'geojson' && typeof next.data === 'string' && source && current?.data !== next.data) source.setData(next.data);
  }

  /**
   * Sets a layer's paint, layout and filter to those of spec.
   * @param {LayerSpecification} spec
   */
  updateLayer(spec) {
    const map = this.map;
    const old = /** @type {LayerSpecification | undefined} */ (map.getStyle().layers.find((l) => l.id === spec.id));
    if (!old) return;
    const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b);
    const paint = /** @type {Record<string, unknown>} */ ({ ...old.paint, ...spec.paint });
    for (const k of Object.keys(paint)) {
      const v = /** @type {Record<string, unknown>} */ (spec.paint ?? {})[k];
      if (!same(/** @type {Record<string, unknown>} */ (old.paint ?? {})[k], v)) map.setPaintProperty(spec.id, k, v);
    }
    const layout = /** @type {Record<string, unknown>} */ ({ ...old.layout, ...spec.layout });
    for (const k of Object.keys(layout)) {
      const v = /** @type {Record<string, unknown>} */ (spec.layout ?? {})[k];
      if (!same(/** @type {Record<string, unknown>} */ (old.layout ?? {})[k], v)) map.setLayoutProperty(spec.id, k, v);
    }
    const oldFilter = 'filter' in old ? old.filter : undefined;
    const newFilter = 'filter' in spec ? spec.filter : undefined;
    if (!same(oldFilter, newFilter)) map.setFilter(spec.id, newFilter ?? null);
  }

  /**
   * Resolves true once the source with this URL has rendered with its tiles
   * loaded, or false once isCurrent() turns false.
   * @param {string} url
   * @param {() => boolean} isCurrent
   * @returns {Promise<boolean>}
   */
  whenRendered(url, isCurrent) {
    const map = this.map;
    return new Promise((resolve) => {
      const check = () => {
        const current = isCurrent();
        if (current) {
          if (!map.isStyleLoaded()) return;
          const src = /** @type {maplibregl.VectorTileSource | undefined} */ (map.getSource(SOURCE));
          if (!src || src.url !== url || !map.isSourceLoaded(SOURCE)) return;
        }
        map.off('idle', check);
        resolve(current);
      };
      map.on('idle', check);
      check();
    });
  }

  /** @param {number | string | null} id */
  setHover(id) {
    if (this.hovered != null && this.map.getSource(SOURCE)) this.map.setFeatureState({ source: SOURCE, sourceLayer: this.sourceLayer, id: this.hovered }, { hover: false });
    this.hovered = id;
    if (id != null) this.map.setFeatureState({ source: SOURCE, sourceLayer: this.sourceLayer, id }, { hover: true });
  }

  /**
   * Outlines the area with this code through feature state "selected",
   * which the style's wijkkaart-selected layer draws; '' selects none.
   * @param {string} code
   */
  select(code) {
    const map = this.map;
    if (!this.sourceLayer || !map.getSource(SOURCE)) {
      this.selectedCode = code;
      return;
    }
    map.removeFeatureState({ source: SOURCE, sourceLayer: this.sourceLayer });
    this.hovered = null;
    this.selectedCode = code;
    if (code) map.setFeatureState({ source: SOURCE, sourceLayer: this.sourceLayer, id: featureIdOf(code) }, { selected: true });
  }

  /**
   * Zooms to a WGS84 bbox [west, south, east, north].
   * @param {number[] | undefined} bbox
   * @param {{padding?: number | maplibregl.PaddingOptions, animate?: boolean}} [opts]
   */
  fitBBox(bbox, { padding = 40, animate = true } = {}) {
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(Number.isFinite) || bbox.every((v) => v === 0)) return;
    this.map.fitBounds(
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[3]],
      ],
      { padding, duration: animate ? 600 : 0 },
    );
  }

  /**
   * Sets the texts of the map's own controls and the canvas label.
   * @param {Lang} lang
   * @param {string} label
   */
  setTexts(lang, label) {
    const c = this.map.getContainer();
    const set = (/** @type {string} */ sel, /** @type {string} */ text) => {
      for (const e of c.querySelectorAll(sel)) {
        e.setAttribute('title', text);
        e.setAttribute('aria-label', text);
      }
    };
    set('.maplibregl-ctrl-zoom-in', lang === 'en' ? 'Zoom in' : 'Inzoomen');
    set('.maplibregl-ctrl-zoom-out', lang === 'en' ? 'Zoom out' : 'Uitzoomen');
    this.map.getCanvas().setAttribute('aria-label', label);
    this.map.getCanvasContainer().setAttribute('aria-label', label);
    c.setAttribute('aria-label', lang === 'en' ? 'Map' : 'Kaart');
  }
}
