// Dutch number and text formatting for the legend and popups. Pure functions
// without DOM access, so that node tests can check them directly.

/** Formats n with a decimal comma and thousands dots: 1234.5 → "1.234,5". */
export function formatNumber(n, decimals = 0) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  return new Intl.NumberFormat('nl-NL', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: true,
  }).format(n);
}

/** Returns how to write a value of the given unit: "12,3%", "4,1 per 1.000". */
export function formatValue(value, indicator) {
  const decimals = Number.isInteger(indicator?.decimals) ? indicator.decimals : 1;
  const n = formatNumber(value, decimals);
  if (n === '') return '';
  switch (indicator?.unit) {
    case 'percentage':
      return `${n}%`;
    case 'per1000':
      return `${n} per 1.000`;
    case 'years':
      return `${n} jaar`;
    default:
      return n;
  }
}

/** A short Dutch name for the unit, for the legend title. */
export function unitLabel(unit) {
  switch (unit) {
    case 'percentage':
      return 'procent';
    case 'per1000':
      return 'per 1.000';
    case 'count':
      return 'aantal';
    case 'score':
      return 'score';
    case 'years':
      return 'jaar';
    case 'index':
      return 'index';
    default:
      return unit || '';
  }
}

/**
 * Returns the counts a value was computed from, "1.234 van 5.678 inwoners
 * van 15 t/m 64 jaar", or '' when they are not both known.
 */
export function formatCounts(numerator, denominator, indicator) {
  if (typeof numerator !== 'number' || typeof denominator !== 'number') return '';
  const what = indicator?.denominator_nl ? ` ${indicator.denominator_nl}` : '';
  return `${formatNumber(numerator, 0)} van ${formatNumber(denominator, 0)}${what}`;
}

/** The Dutch text for a feature status other than ok. */
export function statusText(status, minObservations = 10) {
  switch (status) {
    case 'ok':
      return '';
    case 'suppressed':
      return `geheim: minder dan ${minObservations} waarnemingen`;
    case 'no_data':
      return 'geen gegevens';
    case 'no_residents':
      return 'geen inwoners in deze groep';
    case 'outside':
    case 'outside_gemeente':
      return 'buiten de gekozen gemeente';
    default:
      return status ? `geen waarde (${status})` : 'geen gegevens';
  }
}

/**
 * Normalises a provenance list from a legend or feature: a string
 * ("demo", "demo,cbs"), an array of strings or of objects with an id, or a
 * legend's {sources: [...]}.
 */
export function provenanceIds(provenance) {
  if (provenance == null) return [];
  // A legend's provenance is {sources: [...], note_nl}.
  if (typeof provenance === 'object' && !Array.isArray(provenance)) return provenanceIds(provenance.sources ?? provenance.id ?? []);
  const list = Array.isArray(provenance) ? provenance : String(provenance).split(/[,;\s]+/);
  return list
    .map((p) => (typeof p === 'string' ? p : p?.id ?? p?.code ?? p?.provenance ?? p?.name ?? ''))
    .map((p) => String(p).trim().toLowerCase())
    .filter(Boolean);
}

/** Whether a provenance list contains generated demo values. */
export function isDemo(provenance) {
  return provenanceIds(provenance).includes('demo');
}

/** The Dutch text telling where a value comes from. */
export function provenanceText(provenance) {
  const ids = provenanceIds(provenance);
  if (ids.length === 0) return '';
  return ids
    .map((id) => {
      switch (id) {
        case 'demo':
          return 'demodata (geen echte CBS-cijfers)';
        case 'cbs':
          return 'CBS';
        default:
          return id;
      }
    })
    .join(', ');
}
