// Renders the legend the server puts in style.metadata["wijkkaart:legend"]
// (package styles, legend.go). Fields are read defensively: the client shows
// whatever part of the legend is there.

import { formatNumber, formatValue, isDemo, provenanceText, unitLabel } from './format.js';

/** The metadata key of the legend in a wijkkaart style. */
export const LEGEND_KEY = 'wijkkaart:legend';

/** Returns the legend of a style document, or null. */
export function legendOf(style) {
  const meta = style?.metadata;
  if (!meta || typeof meta !== 'object') return null;
  return meta[LEGEND_KEY] ?? null;
}

/** The id of a legend field that is an object with an id or a plain id. */
export const idOf = (x) => (x && typeof x === 'object' ? x.id : x);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c != null && c !== '') e.append(c);
  return e;
}

function swatch({ color, outline, dashed } = {}) {
  const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  s.style.background = color || 'transparent';
  if (outline) s.style.borderColor = outline;
  if (dashed) s.style.borderStyle = 'dashed';
  return s;
}

function classLabel(c, indicator) {
  if (c.label_nl) return c.label_nl;
  const lo = typeof c.min === 'number' ? formatValue(c.min, indicator) : '';
  const hi = typeof c.max === 'number' ? formatValue(c.max, indicator) : '';
  return lo && hi && lo !== hi ? `${lo} – ${hi}` : lo || hi;
}

function countOf(c) {
  if (typeof c.count !== 'number') return null;
  const n = formatNumber(c.count, 0);
  return el('span', { class: 'count', text: `(${n})`, title: `${n} ${c.count === 1 ? 'gebied' : 'gebieden'}` });
}

function notesOf(legend) {
  const out = [];
  if (legend.provenance?.note_nl) out.push(legend.provenance.note_nl);
  for (const n of Array.isArray(legend.notes) ? legend.notes : []) {
    const text = typeof n === 'string' ? n : n?.nl ?? n?.note_nl;
    if (text) out.push(text);
  }
  if (legend.note_nl) out.push(legend.note_nl);
  return out;
}

/**
 * Builds the legend element. indicator is the catalogue entry from
 * /api/indicators (for the explanations), groupName the chosen
 * herkomstgroep's name. compact leaves out explanations, for embed mode.
 */
export function renderLegend(legend, { indicator, groupName, compact = false } = {}) {
  const root = el('div', { class: compact ? 'legend compact' : 'legend' });
  if (!legend) {
    root.append(el('p', { class: 'muted', text: 'Geen legenda beschikbaar.' }));
    return root;
  }
  const li = typeof legend.indicator === 'object' && legend.indicator ? legend.indicator : {};
  // Units and decimals as the legend states them, else as the catalogue does.
  const ind = { ...indicator, ...Object.fromEntries(Object.entries(li).filter(([, v]) => v != null && v !== '')) };
  const name = li.name_nl ?? legend.name_nl ?? indicator?.name_nl ?? idOf(legend.indicator) ?? '';
  const group = legend.group?.name_nl ?? groupName ?? idOf(legend.group);
  root.append(el('h3', { class: 'legend-title', text: name }));
  const scope = legend.scope?.type === 'gemeente' && legend.scope.name ? `gemeente ${legend.scope.name}` : '';
  const sub = (compact ? [group] : [group, unitLabel(ind.unit ?? legend.unit), legend.year, scope]).filter(Boolean).join(' · ');
  if (sub) root.append(el('p', { class: 'legend-sub', text: sub }));

  const classes = Array.isArray(legend.classes) ? legend.classes : [];
  const ends = legend.ends ?? {};
  if (classes.length > 0) {
    if (ends.low_nl && !compact) root.append(el('p', { class: 'legend-end', text: `↑ lage waarden: ${ends.low_nl}` }));
    const list = el('ul', { class: 'legend-classes', 'aria-label': 'Klassen' });
    for (const c of classes) {
      list.append(el('li', { class: `legend-class${c.side ? ` side-${c.side}` : ''}` }, swatch(c), el('span', { class: 'label', text: classLabel(c, ind) }), countOf(c)));
    }
    root.append(list);
    if (ends.high_nl && !compact) root.append(el('p', { class: 'legend-end', text: `↓ hoge waarden: ${ends.high_nl}` }));
  } else {
    root.append(el('p', { class: 'muted', text: 'Geen gebied heeft een gepubliceerde waarde.' }));
  }

  const ref = legend.reference;
  if (ref && typeof ref.value === 'number') {
    root.append(
      el(
        'p',
        { class: 'legend-reference' },
        el('span', { class: 'ref-mark', 'aria-hidden': 'true', text: '◆' }),
        ` ${ref.label_nl ?? 'Nederland, zelfde herkomstgroep'}: `,
        el('strong', { text: ref.value_label_nl ?? formatValue(ref.value, ind) }),
      ),
    );
  } else if (!compact && legend.reference === null) {
    root.append(el('p', { class: 'legend-reference muted', text: 'Nederland, zelfde herkomstgroep: niet gepubliceerd' }));
  }

  const specials = Array.isArray(legend.specials) ? legend.specials : [];
  if (specials.length > 0) {
    const sl = el('ul', { class: 'legend-specials', 'aria-label': 'Gebieden zonder klasse' });
    for (const s of specials) {
      sl.append(el('li', { class: `legend-special status-${s.status ?? 'other'}` }, swatch(s), el('span', { class: 'label', text: s.label_nl ?? s.status }), countOf(s)));
    }
    root.append(sl);
  }

  for (const n of notesOf(legend)) {
    if (compact && n === legend.provenance?.note_nl) continue; // the demo label says it
    root.append(el('p', { class: 'legend-note', text: n }));
  }

  if (!compact) {
    const expl = el('div', { class: 'explanation' });
    if (indicator?.explanation_nl) expl.append(el('h4', { text: 'Wat betekent dit cijfer?' }), el('p', { text: indicator.explanation_nl }));
    if (indicator?.numerator_nl && indicator?.denominator_nl) {
      expl.append(el('p', { class: 'muted', text: `Teller: ${indicator.numerator_nl}. Noemer: ${indicator.denominator_nl}.` }));
    }
    const polarityText = indicator?.polarity_nl ?? li.polarity_nl;
    if (polarityText) {
      const neutral = (indicator?.polarity ?? li.polarity) === 'neutral';
      expl.append(el('h4', { text: neutral ? 'Waarom geen oordeel?' : 'Waarom gunstig of ongunstig?' }), el('p', { text: polarityText }));
    }
    if (expl.childElementCount > 0) root.append(expl);

    const prov = provenanceText(legend.provenance);
    root.append(el('p', { class: 'legend-source', text: [legend.attribution ?? 'Bron: CBS / Kadaster', prov && `Cijfers: ${prov}`].filter(Boolean).join(' · ') }));
  }
  return root;
}

/** Whether the legend says its values are (partly) generated demo data. */
export function legendIsDemo(legend) {
  return isDemo(legend?.provenance);
}
