// @ts-check
// One search box for gemeenten, wijken and buurten: suggestions from
// /api/areas (case and accents ignored, any part of the name) while typing,
// resolved to an area on Enter or on choosing a suggestion.

import { findAreas } from './api.js';
import { option } from './dom.js';
import { t } from './i18n.js';

/** @typedef {import('./types.js').Area} Area */
/** @typedef {import('./i18n.js').Lang} Lang */

const LEVEL_KEYS = /** @type {const} */ ({ gemeente: 'levelGemeente', wijk: 'levelWijk', buurt: 'levelBuurt' });

/**
 * How a suggestion reads: "Wijk 03 Overvecht (wijk, Utrecht)", "Utrecht (gemeente)".
 * @param {Area} a
 * @param {Lang} lang
 */
export function areaLabel(a, lang) {
  const key = LEVEL_KEYS[/** @type {keyof typeof LEVEL_KEYS} */ (a.level)];
  const level = key ? t(lang, key).toLowerCase() : a.level;
  return a.level === 'gemeente' || !a.gemeente_name ? `${a.name} (${level})` : `${a.name} (${level}, ${a.gemeente_name})`;
}

export class Search {
  /**
   * @param {HTMLInputElement} input
   * @param {HTMLDataListElement} list
   * @param {() => Lang} lang
   */
  constructor(input, list, lang) {
    this.input = input;
    this.list = list;
    /** @type {Map<string, Area>} the suggestions by label */
    this.byLabel = new Map();
    this.seq = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      if (this.byLabel.has(input.value)) return;
      timer = setTimeout(() => this.suggest(input.value, lang()), 200);
    });
  }

  /**
   * Fills the suggestions for text.
   * @param {string} text
   * @param {Lang} lang
   */
  async suggest(text, lang) {
    const seq = ++this.seq;
    if (text.trim().length < 2) return;
    const areas = await findAreas(text.trim()).catch(() => []);
    if (seq !== this.seq) return;
    this.byLabel = new Map(areas.slice(0, 15).map((a) => [areaLabel(a, lang), a]));
    this.list.replaceChildren(...[...this.byLabel.keys()].map((label) => option(label, '')));
  }

  /**
   * The area text names: a suggestion, a gemeente's exact name or code, or
   * the server's best match; null when nothing matches.
   * @param {string} text
   * @param {Area[]} gemeenten
   * @returns {Promise<Area | null>}
   */
  async resolve(text, gemeenten) {
    const q = text.trim().toLowerCase();
    const exact = this.byLabel.get(text) ?? gemeenten.find((a) => a.name.toLowerCase() === q || a.code.toLowerCase() === q);
    if (exact) return exact;
    return (await findAreas(text.trim()))[0] ?? null;
  }
}
