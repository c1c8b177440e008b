// @ts-check
// The "embed this map" snippet: an <iframe> of /embed with the current
// selection and the chosen picker options. Pure, tested in node.

import { writeState } from './state.js';

/**
 * The <iframe> HTML that embeds the map as the state shows it.
 * @param {import('./state.js').State} state
 * @param {{base: string, title: string, width?: number, height?: number}} opts base is the page's URL
 */
export function embedSnippet(state, { base, title, width = 800, height = 600 }) {
  const src = new URL(`embed${writeState({ ...state, embed: true, area: '' })}`, new URL('./', base)).href;
  const attr = (/** @type {string} */ s) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<iframe src="${attr(src)}" title="${attr(title)}" width="${width}" height="${height}" style="border:0" loading="lazy"></iframe>`;
}
