// @ts-check
// Exports of what the map shows: a CSV of the values of the areas on screen
// (UTF-8 with BOM so Excel reads the accents; in Dutch ";" and a decimal
// comma, in English "," and a decimal point) and a PNG of the map with its
// title, legend, source line and the demo label when it applies.

import { formatValue, isDemo, statusText } from './format.js';
import { csvColumns, localized, t } from './i18n.js';

/** @typedef {import('./i18n.js').Lang} Lang */
/** @typedef {import('./types.js').Legend} Legend */
/** @typedef {import('./types.js').Indicator} Indicator */

/**
 * The properties of an area feature in a tile (README, Tiles), and the group when it differs from the
 * chosen one (side-by-side maps).
 * @typedef {{code: string, name?: string, level?: string, gemeente_name?: string, status?: string, value?: number, numerator?: number, denominator?: number, provenance?: string, group?: string, base_value?: number, change?: number}} AreaProps
 */

/**
 * Writes a number for a CSV cell: no grouping, the language's decimal separator.
 * @param {unknown} n
 * @param {Lang} lang
 */
export function csvNumber(n, lang) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  const s = String(n);
  return lang === 'nl' ? s.replace('.', ',') : s;
}

/**
 * The CSV text (with BOM) of areas' values; with a base year (change map)
 * also the base year, its value and the change.
 * @param {AreaProps[]} areas
 * @param {{lang: Lang, indicator: string, group: string, year: number | null, base?: number | null, minObservations: number}} ctx
 */
export function csvOf(areas, { lang, indicator, group, year, base = null, minObservations }) {
  const sep = lang === 'nl' ? ';' : ',';
  const cell = (/** @type {unknown} */ v) => {
    const s = v == null ? '' : String(v);
    return s.includes(sep) || /["\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [csvColumns(lang, base != null).map(cell).join(sep)];
  for (const a of areas) {
    const ok = a.status === 'ok';
    const status = ok ? 'ok' : statusText(a.status, minObservations, lang);
    // On a change map a not comparable area still has its value of the year.
    const valued = ok || (base != null && typeof a.value === 'number');
    const row = [a.code, a.name, a.level, a.gemeente_name, indicator, a.group ?? group, year, valued ? csvNumber(a.value, lang) : '', ok ? csvNumber(a.numerator, lang) : '', ok ? csvNumber(a.denominator, lang) : '', status, a.provenance];
    if (base != null) row.push(base, csvNumber(a.base_value, lang), ok ? csvNumber(a.change, lang) : '');
    lines.push(row.map(cell).join(sep));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * Offers a blob as a download.
 * @param {Blob} blob
 * @param {string} name
 */
export function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * Draws the map canvas with a title above it and the legend, source line and
 * demo label around it, and returns the PNG.
 * @param {HTMLCanvasElement} mapCanvas
 * @param {{legend: Legend | null, title: string, subtitle: string, lang: Lang, indicator: Indicator | undefined}} ctx
 * @returns {Promise<Blob>}
 */
export function pngOf(mapCanvas, { legend, title, subtitle, lang, indicator }) {
  const cssWidth = mapCanvas.clientWidth || Number.parseFloat(mapCanvas.style.width) || mapCanvas.width;
  const scale = mapCanvas.width / cssWidth;
  const legendW = 300 * scale;
  const head = 64 * scale;
  const foot = 34 * scale;
  const entries = [
    ...(legend?.classes ?? []).map((c) => ({ color: c.color, outline: '#555', label: localized(c, 'label', lang) || formatValue(c.min, indicator, lang) })),
    ...(legend?.specials ?? []).filter((s) => s.status !== 'outside' || legend?.scope?.type === 'gemeente').map((s) => ({ color: s.color, outline: s.outline, label: localized(s, 'label', lang) })),
  ];
  const demo = isDemo(legend?.provenance);
  const canvas = document.createElement('canvas');
  canvas.width = mapCanvas.width + legendW;
  canvas.height = Math.max(mapCanvas.height, (entries.length * 24 + 120) * scale) + head + foot;
  const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const font = (/** @type {number} */ px, bold = false) => `${bold ? '700 ' : ''}${px * scale}px system-ui, sans-serif`;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(mapCanvas, 0, head);

  g.fillStyle = '#1a1a1a';
  g.font = font(20, true);
  const textW = canvas.width - (demo ? 360 : 24) * scale;
  g.fillText(title, 12 * scale, 28 * scale, textW);
  g.font = font(14);
  g.fillStyle = '#4a4a4a';
  g.fillText(subtitle, 12 * scale, 50 * scale, textW);

  const x = mapCanvas.width + 16 * scale;
  let y = head + 24 * scale;
  g.fillStyle = '#1a1a1a';
  g.font = font(15, true);
  g.fillText(t(lang, 'legend'), x, y);
  y += 12 * scale;
  g.font = font(13);
  for (const e of entries) {
    g.fillStyle = e.color;
    g.fillRect(x, y, 28 * scale, 16 * scale);
    g.strokeStyle = e.outline ?? '#555';
    g.strokeRect(x, y, 28 * scale, 16 * scale);
    g.fillStyle = '#1a1a1a';
    g.fillText(e.label, x + 36 * scale, y + 13 * scale, legendW - 56 * scale);
    y += 24 * scale;
  }
  const ref = legend?.reference;
  if (ref) {
    y += 12 * scale;
    g.fillText(`◆ ${localized(ref, 'label', lang)}: ${localized(ref, 'value_label', lang)}`, x, y, legendW - 24 * scale);
  }

  g.fillStyle = '#1a1a1a';
  g.font = font(13);
  g.fillText(`${legend?.attribution || 'Bron: CBS / Kadaster'}`, 12 * scale, canvas.height - 12 * scale);
  if (demo) {
    // In the title band, right, where it covers neither map nor legend.
    const label = t(lang, 'demoLabel');
    g.font = font(15, true);
    const w = g.measureText(label).width + 24 * scale;
    g.fillStyle = '#7a2e00';
    g.fillRect(canvas.width - w - 12 * scale, 12 * scale, w, 28 * scale);
    g.fillStyle = '#ffffff';
    g.fillText(label, canvas.width - w, 32 * scale);
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG failed'))), 'image/png'));
}
