// @ts-check
// Number and text formatting for the legend, popups, panels and exports, in
// Dutch (default) or English. Pure functions without DOM access, so that node
// tests can check them directly.

import { localeOf, localized, t } from './i18n.js';

/** @typedef {import('./i18n.js').Lang} Lang */
/** @typedef {Partial<import('./types.js').Indicator>} IndicatorLike */

/**
 * Formats n with the language's separators: 1234.5 → "1.234,5" (nl) or
 * "1,234.5" (en); '' for anything but a finite number.
 * @param {unknown} n
 * @param {number} [decimals]
 * @param {Lang} [lang]
 */
export function formatNumber(n, decimals = 0, lang = 'nl') {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  return new Intl.NumberFormat(localeOf(lang), {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: true,
  }).format(n);
}

/**
 * Returns how to write a value of the indicator's unit: "12,3%", "4,1 per 1.000".
 * @param {unknown} value
 * @param {IndicatorLike | undefined} indicator
 * @param {Lang} [lang]
 */
export function formatValue(value, indicator, lang = 'nl') {
  const decimals = Number.isInteger(indicator?.decimals) ? /** @type {number} */ (indicator?.decimals) : 1;
  const n = formatNumber(value, decimals, lang);
  if (n === '') return '';
  switch (indicator?.unit) {
    case 'percentage':
      return `${n}%`;
    case 'per1000':
      return lang === 'en' ? `${n} per 1,000` : `${n} per 1.000`;
    case 'years':
      return lang === 'en' ? `${n} years` : `${n} jaar`;
    default:
      return n;
  }
}

const CHANGE_UNITS = {
  nl: { percentage: 'procentpunt', per1000: 'per 1.000', years: 'jaar' },
  en: { percentage: 'percentage points', per1000: 'per 1,000', years: 'years' },
};

/**
 * Returns how to write a change (value − base value) in the indicator's
 * unit, always signed: "+1,2 procentpunt", "−0,4 per 1.000", "0,0 procentpunt".
 * @param {unknown} change
 * @param {IndicatorLike | undefined} indicator
 * @param {Lang} [lang]
 */
export function formatChange(change, indicator, lang = 'nl') {
  if (typeof change !== 'number' || !Number.isFinite(change)) return '';
  const decimals = Number.isInteger(indicator?.decimals) ? /** @type {number} */ (indicator?.decimals) : 1;
  const n = formatNumber(Math.abs(change), decimals, lang);
  // The sign of the rounded number: a change that rounds to zero has none.
  const sign = /[1-9]/.test(n) ? (change > 0 ? '+' : '−') : '';
  const unit = CHANGE_UNITS[lang][/** @type {keyof typeof CHANGE_UNITS.nl} */ (indicator?.unit)];
  return unit ? `${sign}${n} ${unit}` : `${sign}${n}`;
}

const UNIT_LABELS = {
  nl: { percentage: 'procent', per1000: 'per 1.000', count: 'aantal', score: 'score', years: 'jaar', index: 'index' },
  en: { percentage: 'per cent', per1000: 'per 1,000', count: 'number', score: 'score', years: 'years', index: 'index' },
};

/**
 * A short name for the unit, for the legend title.
 * @param {string | undefined} unit
 * @param {Lang} [lang]
 */
export function unitLabel(unit, lang = 'nl') {
  return UNIT_LABELS[lang][/** @type {keyof typeof UNIT_LABELS.nl} */ (unit)] ?? unit ?? '';
}

/**
 * Returns the counts a value was computed from, "1.234 van 5.678 inwoners
 * van 15 t/m 64 jaar", or '' when they are not both known.
 * @param {unknown} numerator
 * @param {unknown} denominator
 * @param {IndicatorLike | undefined} indicator
 * @param {Lang} [lang]
 */
export function formatCounts(numerator, denominator, indicator, lang = 'nl') {
  if (typeof numerator !== 'number' || typeof denominator !== 'number') return '';
  const what = localized(indicator, 'denominator', lang);
  const counts = t(lang, 'ofCounts', formatNumber(numerator, 0, lang), formatNumber(denominator, 0, lang));
  return what ? `${counts} ${what}` : counts;
}

/**
 * The text for a status other than ok ('' for ok).
 * @param {string | undefined} status
 * @param {number} [minObservations]
 * @param {Lang} [lang]
 */
export function statusText(status, minObservations = 10, lang = 'nl') {
  switch (status) {
    case 'ok':
      return '';
    case 'suppressed':
      return t(lang, 'suppressed', minObservations);
    case 'no_data':
      return t(lang, 'noData');
    case 'no_residents':
      return t(lang, 'noResidents');
    case 'outside':
    case 'outside_gemeente':
      return t(lang, 'outside');
    case 'not_comparable':
      return t(lang, 'notComparable');
    default:
      return status ? t(lang, 'noValue', status) : t(lang, 'noData');
  }
}

/**
 * Normalises a provenance list from a legend or feature: a string
 * ("demo", "demo,cbs"), an array of strings or of objects with an id, or a
 * legend's {sources: [...]}.
 * @param {unknown} provenance
 * @returns {string[]}
 */
export function provenanceIds(provenance) {
  if (provenance == null) return [];
  if (typeof provenance === 'object' && !Array.isArray(provenance)) {
    const p = /** @type {{sources?: unknown, id?: unknown}} */ (provenance);
    return provenanceIds(p.sources ?? p.id ?? []);
  }
  const list = Array.isArray(provenance) ? provenance : String(provenance).split(/[,;\s]+/);
  return list
    .map((p) => (typeof p === 'string' ? p : p?.id ?? p?.code ?? p?.provenance ?? p?.name ?? ''))
    .map((p) => String(p).trim().toLowerCase())
    .filter(Boolean);
}

/** Whether a provenance list contains generated demo values. */
export function isDemo(/** @type {unknown} */ provenance) {
  return provenanceIds(provenance).includes('demo');
}

/**
 * The text telling where a value comes from.
 * @param {unknown} provenance
 * @param {Lang} [lang]
 */
export function provenanceText(provenance, lang = 'nl') {
  return provenanceIds(provenance)
    .map((id) => (id === 'demo' ? t(lang, 'demoProvenance') : id === 'cbs' ? 'CBS' : id))
    .join(', ');
}
