// wijkkaart map page: a MapLibre map of the server's choropleth style with a
// panel to choose herkomstgroep, indicator, gemeente and level. The selection
// lives in the URL; the legend comes from the style's metadata.

import maplibregl from 'maplibre-gl';
import { formatCounts, formatValue, isDemo, provenanceText, statusText } from './format.js';
import { legendIsDemo, legendOf, renderLegend } from './legend.js';
import { normalizeState, readState, styleURL, writeState } from './state.js';

const SOURCE = 'wijkkaart';
const FILL = 'wijkkaart-fill';
const TOKEN_KEY = 'wijkkaart:client-token';
const NL_BOUNDS = [
  [3.2, 50.7],
  [7.3, 53.6],
];

const $ = (id) => document.getElementById(id);

/** Fetches JSON, turning a server {"error": "..."} into an Error with that message. */
async function getJSON(path) {
  const res = await fetch(new URL(path, location.href));
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error ?? `${res.status} ${res.statusText} bij ${path}`);
  return body;
}

function setStatus(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', isError);
}

function createMap() {
  const map = new maplibregl.Map({
    container: 'map',
    bounds: NL_BOUNDS,
    fitBoundsOptions: { padding: 20 },
    // The attribution ("Bron: CBS / Kadaster") comes with the server's TileJSON.
    attributionControl: { compact: false },
    maxZoom: 16,
    dragRotate: false,
    pitchWithRotate: false,
    // Relative URLs in the server's style and TileJSON resolve against the
    // page, also for the tile requests that MapLibre makes from its worker.
    transformRequest: (url) => ({ url: new URL(url, location.href).href }),
    locale: {
      'Map.Title': 'Kaart',
      'NavigationControl.ZoomIn': 'Inzoomen',
      'NavigationControl.ZoomOut': 'Uitzoomen',
      'NavigationControl.ResetBearing': 'Noorden boven',
      'Popup.Close': 'Sluiten',
      'AttributionControl.ToggleAttribution': 'Bronvermelding tonen',
      'FullscreenControl.Enter': 'Volledig scherm',
      'FullscreenControl.Exit': 'Volledig scherm sluiten',
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  return map;
}

/** The catalogue and areas the panel offers, from the server's API. */
async function loadCatalog() {
  const [ind, grp, areas] = await Promise.all([getJSON('api/indicators'), getJSON('api/groups'), getJSON('api/areas?level=gemeente')]);
  return {
    years: ind.years ?? [],
    minObservations: ind.disclosure?.min_observations ?? 10,
    themes: ind.themes ?? [],
    indicators: ind.indicators ?? [],
    splits: grp.splits ?? [],
    groups: grp.groups ?? [],
    gemeenten: (areas.areas ?? []).slice().sort((a, b) => a.name.localeCompare(b.name, 'nl')),
  };
}

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function fillIndicators(catalog) {
  const sel = $('indicator');
  sel.replaceChildren();
  for (const theme of catalog.themes) {
    const og = document.createElement('optgroup');
    og.label = theme.name_nl;
    for (const ind of catalog.indicators.filter((i) => i.theme === theme.id)) og.append(option(ind.id, ind.name_nl));
    if (og.childElementCount > 0) sel.append(og);
  }
  const themed = new Set(catalog.themes.map((t) => t.id));
  for (const ind of catalog.indicators.filter((i) => !themed.has(i.theme))) sel.append(option(ind.id, ind.name_nl));
}

function fillGroups(catalog) {
  const sel = $('group');
  sel.replaceChildren();
  const placed = new Set();
  for (const split of catalog.splits) {
    const og = document.createElement('optgroup');
    og.label = split.name_nl;
    for (const g of catalog.groups.filter((x) => (x.splits ?? []).includes(split.id))) {
      // A group in two splits (geen migratieachtergrond) is listed once, in the first.
      if (placed.has(g.id)) continue;
      placed.add(g.id);
      og.append(option(g.id, g.name_nl));
    }
    if (og.childElementCount > 0) sel.append(og);
  }
  for (const g of catalog.groups.filter((x) => !placed.has(x.id))) sel.append(option(g.id, g.name_nl));
}

function fillGemeenten(catalog) {
  const list = $('gemeente-list');
  list.replaceChildren(...catalog.gemeenten.map((a) => option(a.name, a.code)));
}

function fillYears(catalog) {
  const sel = $('year');
  sel.replaceChildren(...catalog.years.map((y) => option(String(y), String(y))));
  $('year-field').hidden = catalog.years.length < 2;
}

/** Enables only the groups the indicator is published for. */
function syncGroupAvailability(indicator) {
  const splittable = indicator?.split_by_group !== false;
  for (const o of $('group').querySelectorAll('option')) o.disabled = !splittable && o.value !== 'totaal';
  $('group-note').hidden = splittable;
}

function syncControls(state, catalog) {
  $('indicator').value = state.indicator;
  $('group').value = state.group;
  $('year').value = String(state.year ?? '');
  for (const r of document.querySelectorAll('input[name=level]')) r.checked = r.value === state.level;
  const gm = catalog.gemeenten.find((a) => a.code === state.gemeente);
  $('gemeente').value = gm ? gm.name : '';
  syncGroupAvailability(catalog.indicators.find((i) => i.id === state.indicator));
}

/** Map padding that keeps an area clear of the compact legend in embed mode. */
function fitPadding(embed) {
  const wide = window.innerWidth > 600;
  return embed && wide ? { top: 50, bottom: 30, right: 50, left: 290 } : 40;
}

function boundsOf(area) {
  const b = area?.bbox;
  if (!Array.isArray(b) || b.length !== 4 || !b.every(Number.isFinite)) return null;
  return [
    [b[0], b[1]],
    [b[2], b[3]],
  ];
}

/** Finds the gemeente a typed text names, asking the server when no name matches exactly. */
async function findGemeente(text, catalog) {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  const exact = catalog.gemeenten.find((a) => a.name.toLowerCase() === t || a.code.toLowerCase() === t);
  if (exact) return exact;
  const found = await getJSON(`api/areas?level=gemeente&q=${encodeURIComponent(text.trim())}`);
  return (found.areas ?? []).find((a) => a.level === 'gemeente' || a.code?.startsWith('GM')) ?? null;
}

function popupContent(props, ctx) {
  const { indicator, groupName, state } = ctx;
  const root = document.createElement('div');
  root.className = 'popup';
  const add = (tag, text, cls) => {
    const e = document.createElement(tag);
    e.textContent = text;
    if (cls) e.className = cls;
    root.append(e);
    return e;
  };
  add('h3', props.name ?? props.code ?? '');
  if (props.gemeente_name && props.gemeente_name !== props.name) add('p', `Gemeente ${props.gemeente_name}`, 'muted');
  add('p', `${indicator?.name_nl ?? ''} — ${groupName}`, 'popup-indicator');
  if (props.status === 'ok' && typeof props.value === 'number') {
    add('p', formatValue(props.value, indicator), 'popup-value');
    const counts = formatCounts(props.numerator, props.denominator, indicator);
    if (counts) add('p', counts, 'popup-counts');
  } else {
    add('p', statusText(props.status, ctx.minObservations), 'popup-status');
  }
  if (typeof props.nl_value === 'number') add('p', `Nederland, zelfde herkomstgroep: ${formatValue(props.nl_value, indicator)}`, 'popup-nl');
  if (state.gemeente && props.gemeente_code && props.gemeente_code !== state.gemeente) add('p', 'Buiten de gekozen gemeente', 'muted');
  const prov = provenanceText(props.provenance);
  if (prov) add('p', `Herkomst: ${prov}`, isDemo(props.provenance) ? 'popup-prov demo' : 'popup-prov');
  return root;
}

function main() {
  const initial = readState(location.search);
  const embed = initial.embed;
  document.body.classList.toggle('embed', embed);
  $('panel').hidden = embed;
  $('compact-legend').hidden = !embed;

  const map = createMap();
  let state = initial;
  let catalog = null;
  let legend = null;
  let styleSeq = 0;
  let hovered = null;
  let selected = null;

  let resolveReady;
  // Resolves after the first style has rendered with its tiles loaded.
  const ready = new Promise((r) => (resolveReady = r));
  let settledPromise = ready;

  /**
   * Resolves once the style with this token has rendered with its tiles
   * loaded, or once a newer style replaced it before that.
   */
  function whenRendered(token, seq) {
    return new Promise((resolve) => {
      const check = () => {
        const superseded = seq !== styleSeq;
        if (!superseded) {
          if (!map.isStyleLoaded() || !map.getSource(SOURCE) || !map.isSourceLoaded(SOURCE)) return;
          if (map.getStyle()?.metadata?.[TOKEN_KEY] !== token) return;
        }
        map.off('idle', check);
        resolve(!superseded);
      };
      map.on('idle', check);
      check();
    });
  }

  const api = {
    map,
    ready,
    /** Resolves when the latest selection has rendered. */
    settled: () => settledPromise,
    get state() {
      return { ...state };
    },
    get legend() {
      return legend;
    },
  };
  window.wijkkaart = api;

  const indicatorOf = () => catalog?.indicators.find((i) => i.id === state.indicator);
  const groupNameOf = () => catalog?.groups.find((g) => g.id === state.group)?.name_nl ?? state.group;

  function updateURL() {
    history.replaceState(null, '', `${location.pathname}${writeState(state)}${location.hash}`);
  }

  /** Marks the clicked area with feature-state "selected", which the style's wijkkaart-selected layer outlines. */
  function select(feature) {
    if (selected && map.getSource(SOURCE)) map.setFeatureState(selected, { selected: false });
    selected = feature?.id != null ? { source: SOURCE, sourceLayer: feature.sourceLayer, id: feature.id } : null;
    if (selected) map.setFeatureState(selected, { selected: true });
  }

  function showLegend() {
    const indicator = indicatorOf();
    const groupName = groupNameOf();
    $('legend').replaceChildren(renderLegend(legend, { indicator, groupName }));
    $('compact-legend').replaceChildren(renderLegend(legend, { indicator, groupName, compact: true }));
    if (embed) {
      const a = document.createElement('a');
      a.href = `${location.pathname}${writeState({ ...state, embed: false })}`;
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = 'Open de volledige kaart';
      $('compact-legend').append(a);
    }
    $('demo-label').hidden = !legendIsDemo(legend);
    const canvas = map.getCanvas();
    canvas.setAttribute('aria-label', `Kaart: ${indicator?.name_nl ?? state.indicator}, ${groupName}, per ${state.level}${legendIsDemo(legend) ? ' (demodata)' : ''}`);
  }

  /** Loads the server's style for the current selection and shows its legend. */
  async function applyStyle() {
    const seq = ++styleSeq;
    let settle;
    settledPromise = new Promise((r) => (settle = r));
    // A superseded load settles when the newer one does.
    const finish = (current) => settle(current ? undefined : settledPromise);
    updateURL();
    setStatus('Kaart laden…');
    let style;
    try {
      style = await getJSON(styleURL(state, location.href));
    } catch (err) {
      if (seq === styleSeq) setStatus(`Kaart kon niet geladen worden: ${err.message}`, true);
      return finish(seq === styleSeq);
    }
    if (seq !== styleSeq) return finish(false);
    legend = legendOf(style);
    const token = `${seq}:${writeState(state)}`;
    style.metadata = { ...(style.metadata ?? {}), [TOKEN_KEY]: token };
    hovered = null;
    selected = null;
    map.setStyle(style, { diff: false });
    showLegend();
    const current = await whenRendered(token, seq);
    if (current) {
      setStatus('');
      resolveReady();
    }
    finish(current);
  }

  function setHover(feature) {
    if (hovered && map.getSource(SOURCE)) map.setFeatureState(hovered, { hover: false });
    hovered = null;
    if (feature && feature.id != null) {
      hovered = { source: SOURCE, sourceLayer: feature.sourceLayer, id: feature.id };
      map.setFeatureState(hovered, { hover: true });
    }
  }

  map.on('mousemove', FILL, (e) => {
    setHover(e.features?.[0]);
    map.getCanvas().style.cursor = 'pointer';
  });
  map.on('mouseleave', FILL, () => {
    setHover(null);
    map.getCanvas().style.cursor = '';
  });

  const popup = new maplibregl.Popup({ maxWidth: '320px', closeButton: true, focusAfterOpen: true });
  popup.on('close', () => select(null));
  map.on('click', FILL, (e) => {
    const f = e.features?.[0];
    if (!f) return;
    select(f);
    popup
      .setLngLat(e.lngLat)
      .setDOMContent(popupContent(f.properties, { indicator: indicatorOf(), groupName: groupNameOf(), state, minObservations: catalog?.minObservations }))
      .addTo(map);
  });

  map.on('error', (e) => {
    // Tile errors carry the server's message; show them instead of failing silently.
    const msg = e?.error?.message;
    if (msg) setStatus(`Fout bij laden: ${msg}`, true);
  });

  function change(patch) {
    state = normalizeState({ ...state, ...patch }, catalog);
    syncControls(state, catalog);
    popup.remove();
    applyStyle();
  }

  function zoomTo(area) {
    const b = boundsOf(area);
    if (b) map.fitBounds(b, { padding: fitPadding(embed), duration: embed ? 0 : 600 });
  }

  $('controls').addEventListener('submit', (e) => e.preventDefault());
  $('indicator').addEventListener('change', (e) => change({ indicator: e.target.value }));
  $('group').addEventListener('change', (e) => change({ group: e.target.value }));
  $('year').addEventListener('change', (e) => change({ year: Number(e.target.value) }));
  for (const r of document.querySelectorAll('input[name=level]')) {
    r.addEventListener('change', (e) => e.target.checked && change({ level: e.target.value }));
  }
  $('gemeente').addEventListener('change', async (e) => {
    const text = e.target.value;
    if (!text.trim()) return change({ gemeente: '' });
    try {
      const gm = await findGemeente(text, catalog);
      if (!gm) return setStatus(`Geen gemeente gevonden voor “${text}”.`, true);
      zoomTo(gm);
      change({ gemeente: gm.code });
    } catch (err) {
      setStatus(`Zoeken mislukt: ${err.message}`, true);
    }
  });
  $('gemeente').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') e.target.dispatchEvent(new Event('change'));
  });
  $('gemeente-clear').addEventListener('click', () => {
    $('gemeente').value = '';
    map.fitBounds(NL_BOUNDS, { padding: 20, duration: 600 });
    change({ gemeente: '' });
  });

  loadCatalog()
    .then((c) => {
      catalog = c;
      fillIndicators(catalog);
      fillGroups(catalog);
      fillGemeenten(catalog);
      fillYears(catalog);
      state = normalizeState(state, catalog);
      syncControls(state, catalog);
      const gm = catalog.gemeenten.find((a) => a.code === state.gemeente);
      const b = boundsOf(gm);
      if (b) map.fitBounds(b, { padding: fitPadding(embed), duration: 0 });
      applyStyle();
    })
    .catch((err) => setStatus(`De gegevens konden niet geladen worden: ${err.message}`, true));
}

main();
