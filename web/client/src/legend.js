// @ts-check
// Renders the legend the server puts in style.metadata["wijkkaart:legend"]
// (package styles, legend.go) in the page's language. Fields are read
// defensively: the client shows whatever part of the legend is there.

import { formatChange, formatNumber, formatValue, isDemo, provenanceText, unitLabel } from './format.js';
import { el } from './dom.js';
import { localized, t } from './i18n.js';

/** @typedef {import('./types.js').Legend} Legend */
/** @typedef {import('./types.js').Indicator} Indicator */
/** @typedef {import('./i18n.js').Lang} Lang */

/** The metadata key of the legend in a wijkkaart style. */
export const LEGEND_KEY = 'wijkkaart:legend';

/**
 * Returns the legend of a style document, or null.
 * @param {{metadata?: unknown} | null | undefined} style
 * @returns {Legend | null}
 */
export function legendOf(style) {
  const meta = style?.metadata;
  if (!meta || typeof meta !== 'object') return null;
  return /** @type {Record<string, Legend>} */ (meta)[LEGEND_KEY] ?? null;
}

/** @param {{color?: string, outline?: string, dashed?: boolean, dotted?: boolean}} s */
function swatch({ color, outline, dashed, dotted } = {}) {
  const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  s.style.background = color || 'transparent';
  if (outline) s.style.borderColor = outline;
  if (dashed) s.style.borderStyle = 'dashed';
  if (dotted) s.style.borderStyle = 'dotted';
  return s;
}

/**
 * @param {{count?: number | null}} c
 * @param {Lang} lang
 */
function countOf(c, lang) {
  if (typeof c.count !== 'number') return null;
  const n = formatNumber(c.count, 0, lang);
  return el('span', { class: 'count', text: `(${n})`, title: `${n} ${c.count === 1 ? t(lang, 'area1') : t(lang, 'areaN')}` });
}

/**
 * The legend's notes in lang, the demo note first.
 * @param {Legend} legend
 * @param {Lang} lang
 */
function notesOf(legend, lang) {
  const out = [];
  const demo = localized(legend.provenance, 'note', lang);
  if (demo) out.push(demo);
  for (const n of Array.isArray(legend.notes) ? legend.notes : []) {
    const text = typeof n === 'string' ? n : n?.[lang] ?? n?.nl;
    if (text) out.push(text);
  }
  return out;
}

/**
 * Builds the legend element. indicator is the catalogue entry from
 * /api/indicators (for the explanations), groupName the chosen
 * herkomstgroep's name. compact leaves out explanations, for embed mode.
 * change names the years of a change map (compare=base): its classes are
 * differences, and areas whose boundaries changed are not comparable.
 * @param {Legend | null} legend
 * @param {{indicator?: Indicator, groupName?: string, compact?: boolean, lang?: Lang, change?: {year: number | null, base: number} | null}} [opts]
 */
export function renderLegend(legend, { indicator, groupName, compact = false, lang = 'nl', change = null } = {}) {
  const root = el('div', { class: compact ? 'legend compact' : 'legend' });
  if (!legend) {
    root.append(el('p', { class: 'muted', text: t(lang, 'noLegend') }));
    return root;
  }
  const li = legend.indicator ?? {};
  // Units and decimals as the legend states them, else as the catalogue does.
  const ind = { ...indicator, ...Object.fromEntries(Object.entries(li).filter(([, v]) => v != null && v !== '')) };
  const name = localized(li, 'name', lang) || localized(indicator, 'name', lang);
  const group = localized(legend.group, 'name', lang) || groupName || '';
  root.append(el('h3', { class: 'legend-title', text: name }));
  const scope = legend.scope?.type === 'gemeente' && legend.scope.name ? t(lang, 'gemeenteOf', legend.scope.name) : '';
  const when = change ? localized(legend, 'title', lang) || t(lang, 'legendChange', change.year ?? legend.year, change.base) : legend.year;
  const sub = (compact ? [group, change && when] : [group, unitLabel(ind.unit, lang), when, scope]).filter(Boolean).join(' · ');
  if (sub) root.append(el('p', { class: `legend-sub${change ? ' legend-change' : ''}`, text: sub }));
  const fmt = (/** @type {unknown} */ v) => (change ? formatChange(v, ind, lang) : formatValue(v, ind, lang));

  const classes = Array.isArray(legend.classes) ? legend.classes : [];
  const ends = legend.ends;
  if (classes.length > 0) {
    const low = localized(ends, 'low', lang);
    const high = localized(ends, 'high', lang);
    if (low && !compact) root.append(el('p', { class: 'legend-end', text: t(lang, 'lowValues', low) }));
    const list = el('ul', { class: 'legend-classes', 'aria-label': t(lang, 'classes') });
    for (const c of classes) {
      const label = localized(c, 'label', lang) || fmt(c.min);
      list.append(el('li', { class: `legend-class${c.side ? ` side-${c.side}` : ''}` }, swatch(c), el('span', { class: 'label', text: label }), countOf(c, lang)));
    }
    root.append(list);
    if (high && !compact) root.append(el('p', { class: 'legend-end', text: t(lang, 'highValues', high) }));
  } else {
    root.append(el('p', { class: 'muted', text: t(lang, 'noPublished') }));
  }

  const ref = legend.reference;
  if (ref && typeof ref.value === 'number') {
    root.append(
      el(
        'p',
        { class: 'legend-reference' },
        el('span', { class: 'ref-mark', 'aria-hidden': 'true', text: '◆' }),
        ` ${localized(ref, 'label', lang) || t(lang, 'referenceDefault')}: `,
        el('strong', { text: localized(ref, 'value_label', lang) || fmt(ref.value) }),
      ),
    );
  } else if (!compact && legend.reference === null && !change) {
    root.append(el('p', { class: 'legend-reference muted', text: t(lang, 'referenceMissing') }));
  }

  const specials = Array.isArray(legend.specials) ? legend.specials : [];
  if (specials.length > 0) {
    const sl = el('ul', { class: 'legend-specials', 'aria-label': t(lang, 'specials') });
    for (const s of specials) {
      sl.append(el('li', { class: `legend-special status-${s.status ?? 'other'}` }, swatch(s), el('span', { class: 'label', text: localized(s, 'label', lang) || s.status }), countOf(s, lang)));
    }
    root.append(sl);
  }

  if (change) root.append(el('p', { class: 'legend-note legend-not-comparable', text: t(lang, 'notComparableLegend', change.base) }));

  const demoNote = localized(legend.provenance, 'note', lang);
  for (const n of notesOf(legend, lang)) {
    if (compact && n === demoNote) continue; // the demo label says it
    root.append(el('p', { class: 'legend-note', text: n }));
  }

  if (!compact) {
    const expl = el('div', { class: 'explanation' });
    const explanation = localized(indicator, 'explanation', lang);
    if (explanation) expl.append(el('h4', { text: t(lang, 'whatMeans') }), el('p', { text: explanation }));
    const num = localized(indicator, 'numerator', lang);
    const den = localized(indicator, 'denominator', lang);
    if (num && den) expl.append(el('p', { class: 'muted', text: t(lang, 'numDen', num, den) }));
    const polarityText = localized(indicator, 'polarity', lang) || localized(li, 'polarity', lang);
    if (polarityText) {
      const neutral = (indicator?.polarity ?? li.polarity) === 'neutral';
      expl.append(el('h4', { text: t(lang, neutral ? 'whyNoJudgement' : 'whyJudgement') }), el('p', { text: polarityText }));
    }
    if (expl.childElementCount > 0) root.append(expl);

    const prov = provenanceText(legend.provenance, lang);
    root.append(el('p', { class: 'legend-source', text: [legend.attribution || 'Bron: CBS / Kadaster', prov && t(lang, 'figures', prov)].filter(Boolean).join(' · ') }));
  }
  return root;
}

/**
 * Whether the legend says its values are (partly) generated demo data.
 * @param {Legend | null} legend
 */
export function legendIsDemo(legend) {
  return isDemo(legend?.provenance);
}
