// seeds.js: writes the seed corpus of the fuzz targets,
// tests/fuzz/corpus/<function>/<seed>, in the byte format that fuzz_xent.c
// decodes (shape, options, weights, predictions, labels). The same few seeds
// serve every target: small rows on both paths, weights, extreme values,
// long rows and columns, sparse labels, a shape error, and the per-example
// binary loss whose scalar and f32x4 sums once differed. Run by hand after
// changing the format: node tests/fuzz/seeds.js
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const here = new URL('./', import.meta.url);
const entries = readFileSync(new URL('entries.h', here), 'utf8').match(/X\([A-Z_]+, *xent_[a-z0-9_]+\)/g)
  .map((line) => line.match(/(xent_[a-z0-9_]+)/)[1]);

// Indices into fuzz_xent.c's SPECIAL table, and grid values b -> (b - 130) / 8.
const S = { zero: 0, one: 1, half: 2, eps: 4, oneMinusEps: 5, big: 20, huge: 22, max: 24, tiny: 28, w20: 29, nan: 34, inf: 35 };
const grid = (v) => Math.round(v * 8) + 130;

// shape: mode, batch, classes(-1); options: flags, logits/reduction, smoothing, alpha, gamma, h.
function seed({ mode = 0, batch, classes, extra = [], flags = 0, g = 0, h = 1, sw = [], cw = [], pos = grid(2), pred, yTrue, labels = [] }) {
  return Uint8Array.from([mode, batch, classes - 1, ...extra, flags, g, 0, 0, 0, h, ...sw, ...cw, pos, ...pred, ...yTrue, ...labels]);
}
const n = (k, f) => Array.from({ length: k }, (_, i) => f(i));

const seeds = {
  'logits-3x4': seed({ batch: 3, classes: 4, g: 1, pred: n(12, (i) => grid((i % 7) - 3)), yTrue: n(12, (i) => (i % 4 === 1 ? S.one : S.zero)), labels: [1, 2, 3] }),
  'probabilities-2x5': seed({ batch: 2, classes: 5, g: 0 | (1 << 2), pred: n(10, (i) => grid(0.125 * (i % 8))), yTrue: n(10, (i) => (i % 5 === 2 ? S.one : S.half)), labels: [2, 0] }),
  'weights-4x3': seed({ batch: 4, classes: 3, g: 1 | (3 << 2), h: 0x61, sw: [grid(1), grid(0), grid(2.5), S.w20], cw: [grid(1), S.w20, grid(0.5)], pred: n(12, (i) => grid(i - 6)), yTrue: n(12, (i) => (i % 3 === 0 ? S.one : S.zero)), labels: [0, 1, 2, 1] }),
  'extremes-2x6': seed({ batch: 2, classes: 6, g: 1, pos: S.max, pred: [S.big, S.huge, S.max, S.tiny, S.eps, S.oneMinusEps, S.zero, S.one, 23, 25, 21, S.half], yTrue: [S.huge, S.max, S.one, S.zero, 23, S.half, S.one, S.zero, S.zero, S.one, S.max, S.tiny], labels: [5, 0] }),
  'nonfinite-1x4': seed({ batch: 1, classes: 4, g: 1, pred: [S.nan, S.inf, S.one, S.zero], yTrue: [S.one, S.zero, S.nan, S.zero], labels: [1] }),
  'long-row-2x300': seed({ mode: 0x80, batch: 0, classes: 1, extra: [1, 43, 2], g: 1, pred: n(600, (i) => grid(((i * 37) % 160) / 8 - 10)), yTrue: n(600, (i) => (i % 300 === 7 ? S.one : S.zero)), labels: [7, 299] }),
  'column-600': seed({ mode: 0x40, batch: 0, classes: 1, extra: [2, 88], g: 0, pred: n(600, (i) => (i % 13 === 0 ? S.eps : grid((i % 9) / 8))), yTrue: n(600, (i) => (i % 3 === 0 ? S.one : S.zero)) }),
  // One row of 13 classes, hard labels and 0/1 probabilities: the per-example
  // binary and focal losses whose scalar and f32x4 sums used to differ by 1 ulp.
  'sum-order-1x13': seed({ batch: 1, classes: 13, g: 0, pred: [0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0].map((v) => (v ? S.one : S.zero)), yTrue: [0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0].map((v) => (v ? S.one : S.zero)), labels: [2] }),
  'bad-labels-3x2': seed({ batch: 3, classes: 2, g: 1, h: 0, pred: n(6, (i) => grid(i)), yTrue: n(6, () => S.half), labels: [0, 250, 1] }),
  'shape-error': seed({ mode: 31, batch: 4, classes: 3, pred: [], yTrue: [] }),
};

for (const fn of entries) {
  const dir = new URL(`corpus/${fn}/`, here);
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(seeds)) writeFileSync(new URL(name, dir), bytes);
}
console.log(`seeds.js: ${Object.keys(seeds).length} seeds for each of ${entries.length} targets`);
