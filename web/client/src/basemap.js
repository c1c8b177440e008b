// @ts-check
// The optional background map: the server names a MapLibre style in the page
// (wijkkaart serve --basemap-style); the choropleth is drawn over it,
// semi-transparent. Without one, nothing is requested from another origin.

/** @typedef {import('maplibre-gl').StyleSpecification} StyleSpecification */
/** @typedef {import('maplibre-gl').LayerSpecification} LayerSpecification */

/** How much of the choropleth's fill opacity is kept over a background map. */
export const BASEMAP_FILL_OPACITY = 0.7;

/** The background layer of the server's style, which would hide the background map. */
const BACKGROUND = 'wijkkaart-background';
/** The label layer of the server's style. */
const LABEL = 'wijkkaart-label';

/** @returns {string} the URL of the background map's style, or '' for none */
export function basemapURL() {
  const meta = /** @type {HTMLMetaElement | null} */ (document.querySelector('meta[name="wijkkaart:basemap-style"]'));
  return meta?.content ?? '';
}

/**
 * Loads the background map's style; null when there is none. The page loads
 * it once and keeps the promise.
 * @returns {Promise<StyleSpecification | null>}
 */
export async function loadBasemap() {
  const url = basemapURL();
  if (!url) return null;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`background map style ${url}: HTTP ${res.status}`);
  return absolutized(await res.json(), url);
}

/**
 * Resolves a URL of the background style against the style's own URL,
 * keeping {z}, {fontstack} and other template braces as they are.
 * @param {string} link
 * @param {string} base
 */
function resolveLink(link, base) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return link;
  return new URL(link, base).href.replaceAll('%7B', '{').replaceAll('%7D', '}');
}

/**
 * The background style with its sources, sprite and glyphs as absolute URLs.
 * @param {StyleSpecification} style
 * @param {string} base
 * @returns {StyleSpecification}
 */
export function absolutized(style, base) {
  /** @type {Record<string, any>} */
  const sources = {};
  for (const [id, src] of Object.entries(style.sources ?? {})) {
    const s = /** @type {Record<string, any>} */ ({ ...src });
    if (typeof s.url === 'string') s.url = resolveLink(s.url, base);
    if (Array.isArray(s.tiles)) s.tiles = s.tiles.map((/** @type {string} */ t) => resolveLink(t, base));
    sources[id] = s;
  }
  const out = { ...style, sources };
  if (typeof style.glyphs === 'string') out.glyphs = resolveLink(style.glyphs, base);
  if (typeof style.sprite === 'string') out.sprite = resolveLink(style.sprite, base);
  else if (Array.isArray(style.sprite)) out.sprite = style.sprite.map((s) => ({ ...s, url: resolveLink(s.url, base) }));
  return out;
}

/**
 * Multiplies the numbers of a fill-opacity value (a number or an expression
 * whose outputs are numbers) by f.
 * @param {unknown} value
 * @param {number} f
 * @returns {unknown}
 */
function scaled(value, f) {
  if (typeof value === 'number') return Math.round(value * f * 100) / 100;
  if (Array.isArray(value) && value[0] === 'case') return value.map((v, i) => (i > 0 && (i % 2 === 0 || i === value.length - 1) ? scaled(v, f) : v));
  return value;
}

/**
 * The server's style drawn over a background map: the background map's
 * sources and layers first, then the choropleth's without its background,
 * with fills semi-transparent. A style has one glyphs URL: the background
 * map's, when it has one, and the area names take its first font.
 * @param {StyleSpecification} style the server's style
 * @param {StyleSpecification | null} basemap
 * @returns {StyleSpecification}
 */
export function withBasemap(style, basemap) {
  if (!basemap) return style;
  const font = basemap.layers.map((l) => (l.type === 'symbol' ? l.layout?.['text-font'] : undefined)).find((f) => Array.isArray(f) && f.every((x) => typeof x === 'string'));
  /** @type {LayerSpecification[]} */
  const own = [];
  for (const layer of style.layers) {
    if (layer.id === BACKGROUND) continue;
    if (layer.id === LABEL && basemap.glyphs) {
      if (!font) continue;
      own.push(/** @type {LayerSpecification} */ ({ ...layer, layout: { ...layer.layout, 'text-font': font } }));
    } else if (layer.type === 'fill') {
      own.push({ ...layer, paint: { ...layer.paint, 'fill-opacity': /** @type {any} */ (scaled(layer.paint?.['fill-opacity'] ?? 1, BASEMAP_FILL_OPACITY)) } });
    } else {
      own.push(layer);
    }
  }
  return {
    ...style,
    glyphs: basemap.glyphs ?? style.glyphs,
    ...(basemap.sprite ? { sprite: basemap.sprite } : {}),
    sources: { ...basemap.sources, ...style.sources },
    layers: [...basemap.layers, ...own],
  };
}
