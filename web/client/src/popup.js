// @ts-check
// The popup of a clicked area: its name, the value of the chosen group with
// its counts or status, the Nederland value of that group and provenance.

import { el } from './dom.js';
import { formatChange, formatCounts, formatValue, isDemo, provenanceText, statusText } from './format.js';
import { t } from './i18n.js';

/**
 * @param {Record<string, any>} props a tile feature's properties (README, Tiles)
 * @param {{indicator: import('./types.js').Indicator | undefined, indicatorName: string, groupName: string, gemeente: string, minObservations: number, lang: import('./i18n.js').Lang, year?: number | null, base?: number | null}} ctx
 */
export function popupContent(props, { indicator, indicatorName, groupName, gemeente, minObservations, lang, year = null, base = null }) {
  const root = el('div', { class: 'popup' }, el('h3', { text: props.name ?? props.code ?? '' }));
  const add = (/** @type {string} */ text, /** @type {string} */ cls) => root.append(el('p', { class: cls, text }));
  if (props.gemeente_name && props.gemeente_name !== props.name) add(t(lang, 'gemeenteOf', props.gemeente_name), 'muted');
  add(`${indicatorName} — ${groupName}`, 'popup-indicator');
  if (base != null) {
    // The change map: value, base value and change, or why there is none.
    const v = (/** @type {unknown} */ x) => (typeof x === 'number' ? formatValue(x, indicator, lang) : '—');
    add(t(lang, 'valueOfYear', year ?? '', v(props.value)), 'popup-value');
    add(t(lang, 'valueOfYear', base, v(props.base_value)), 'popup-base');
    if (props.status === 'ok' && typeof props.change === 'number') add(t(lang, 'changeOf', formatChange(props.change, indicator, lang)), 'popup-change');
    else if (props.status === 'not_comparable') add(t(lang, 'notComparableNote', base, year ?? ''), 'popup-status popup-not-comparable');
    else add(statusText(props.status, minObservations, lang), 'popup-status');
  } else if (props.status === 'ok' && typeof props.value === 'number') {
    add(formatValue(props.value, indicator, lang), 'popup-value');
    const counts = formatCounts(props.numerator, props.denominator, indicator, lang);
    if (counts) add(counts, 'popup-counts');
  } else {
    add(statusText(props.status, minObservations, lang), 'popup-status');
  }
  if (typeof props.nl_value === 'number') add(t(lang, 'nlSameGroup', formatValue(props.nl_value, indicator, lang)), 'popup-nl');
  if (gemeente && props.gemeente_code && props.gemeente_code !== gemeente) add(t(lang, 'outsideGemeente'), 'muted');
  const prov = provenanceText(props.provenance, lang);
  if (prov) add(t(lang, 'provenance', prov), isDemo(props.provenance) ? 'popup-prov demo' : 'popup-prov');
  return root;
}
