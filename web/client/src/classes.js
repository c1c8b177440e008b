// @ts-check
// Classes shared by the side-by-side maps: quantile breaks over the values of
// every shown group, and the server's fill-color expression with its step
// replaced by them. Pure, tested in node.

/** ColorBrewer YlGnBu, sequential and colour-blind safe, by number of classes. */
const YLGNBU = {
  1: ['#41b6c4'],
  2: ['#a1dab4', '#225ea8'],
  3: ['#edf8b1', '#7fcdbb', '#2c7fb8'],
  4: ['#ffffcc', '#a1dab4', '#41b6c4', '#225ea8'],
  5: ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'],
  6: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'],
  7: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'],
};

/**
 * Quantile classes over values: up to n (at most 7) classes [min, next min), breaks
 * rounded to decimals, never empty or overlapping.
 * @param {number[]} values
 * @param {number} n
 * @param {number} decimals
 * @returns {{min: number, max: number, color: string}[]}
 */
export function sharedClasses(values, n, decimals) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const f = 10 ** decimals;
  const round = (/** @type {number} */ v) => Math.round(v * f) / f;
  /** @type {number[]} */
  const breaks = [];
  for (let k = 1; k < n; k++) {
    const b = round(sorted[Math.floor((k * sorted.length) / n)]);
    if (b > round(sorted[0]) && b <= round(sorted[sorted.length - 1]) && !breaks.includes(b)) breaks.push(b);
  }
  const mins = [round(sorted[0]), ...breaks];
  const colors = YLGNBU[/** @type {1|2|3|4|5|6|7} */ (Math.min(mins.length, 7))];
  return mins.map((min, i) => ({ min, max: i + 1 < mins.length ? mins[i + 1] : round(sorted[sorted.length - 1]), color: colors[i] }));
}

/**
 * Replaces the step of a server fill-color expression with the shared classes.
 * @param {unknown} expr
 * @param {{min: number, color: string}[]} classes
 * @returns {unknown}
 */
export function withClasses(expr, classes) {
  if (!Array.isArray(expr)) return expr;
  if (expr[0] === 'step') return ['step', expr[1], classes[0].color, ...classes.slice(1).flatMap((c) => [c.min, c.color])];
  return expr.map((e) => withClasses(e, classes));
}
