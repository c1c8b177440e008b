// @ts-check
// The "embed this map" dialog and its snippet: an <iframe> of /embed with
// the current selection and the chosen picker options. embedSnippet is
// pure, tested in node.

import { t } from './i18n.js';
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

/**
 * Wires the embed dialog: its button opens it with the snippet of the current
 * state, its options rewrite the snippet, Kopiëren copies it.
 * @param {() => import('./state.js').State} state
 * @param {() => string} title the iframe's title, for screen readers
 */
export function wireEmbedDialog(state, title) {
  const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
  const update = () => {
    const hide = [$('embed-hide-group').checked && 'group', $('embed-hide-indicator').checked && 'indicator'].filter(Boolean);
    $('embed-code').value = embedSnippet({ ...state(), hide, lock: $('embed-lock').checked }, { base: location.href, title: title() });
    $('embed-copied').textContent = '';
  };
  $('embed-open').addEventListener('click', () => {
    update();
    $('embed-dialog').showModal();
  });
  for (const id of ['embed-hide-group', 'embed-hide-indicator', 'embed-lock']) $(id).addEventListener('change', update);
  $('embed-copy').addEventListener('click', async () => {
    $('embed-code').select();
    await navigator.clipboard?.writeText($('embed-code').value).catch(() => document.execCommand('copy'));
    $('embed-copied').textContent = t(state().lang, 'embedCopied');
  });
}
