// seeds.js: writes the seed corpus of the fuzz targets,
// tests/fuzz/corpus/<function>/<seed>, in the byte format that fuzz_xent.c
// decodes (shape, options, weights, predictions, labels), and for the sampler
// and the sampled losses in fuzz_sampled.c's. The same few seeds
// serve every target: small rows on both paths, weights, extreme values,
// long rows and columns, sparse labels, a shape error, and the per-example
// binary loss whose scalar and f32x4 sums once differed. Run by hand after
// changing the format: node tests/fuzz/seeds.js
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const here = new URL('./', import.meta.url);
const entries = readFileSync(new URL('entries.h', here), 'utf8').match(/X\([A-Z_]+, *xent_[a-z0-9_]+\)/g)
  .map((line) => line.match(/X\(([A-Z_]+), *(xent_[a-z0-9_]+)/).slice(1));

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

// fuzz_sampled.c's formats. A class id is two bytes (hi < 240, lo): (hi * 256 + lo) mod n.
const id = (k) => [k >> 8, k & 255];
const u32 = (v) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
// Sampler: mode (0x80 not unique, 0x40 ranges to 2000), flags, batch, numTrue-1,
// numSampled-1, range (two bytes, 1 + value mod 40 or 2000), seed lo and hi, true classes.
function sampler({ mode = 0x40, flags = 0, batch, numTrue, numSampled, range, seed = [7, 0], classes }) {
  return Uint8Array.from([mode, flags, batch, numTrue - 1, numSampled - 1, ...id(range - 1), ...u32(seed[0]), ...u32(seed[1]), ...classes.flatMap(id)]);
}
const samplerSeeds = {
  'unique-4x2-of-50': sampler({ batch: 4, numTrue: 2, numSampled: 8, range: 50, classes: n(8, (i) => (i * 7) % 50) }),
  'repeats-3x1-of-10': sampler({ mode: 0xc0, batch: 3, numTrue: 1, numSampled: 20, range: 10, seed: [1, 2], classes: [0, 9, 4] }),
  'all-24-of-24': sampler({ mode: 0, batch: 1, numTrue: 1, numSampled: 24, range: 24, seed: [0xdeadbeef, 0], classes: [23] }),
  'widest-range': sampler({ mode: 0x80 | 27, batch: 2, numTrue: 3, numSampled: 16, range: 1, seed: [0, 0xffffffff], classes: [0, 1, 2, 3, 4, 5] }),
  'bad-class': Uint8Array.from([0x40, 0, 2, 0, 3, ...id(99), 0, 0, 0, 1, 0, 0, 0, 0, ...id(5), 250]),
  'more-than-range-unique': sampler({ mode: 26, batch: 1, numTrue: 1, numSampled: 1, range: 5, classes: [1] }),
};
// Sampled losses: mode (0x40 dims to 40), flags (1 remove hits, 4 no log Q), grad
// flags, batch, dim-1, classes-1, numTrue-1, numSampled-1, inputs, weights,
// biases (values as above), labels, candidates (ids), expected counts (0: 1,
// 1: 0.5, 2: 0.01, 3: 1e-7, 203: 0, ...).
function sampled({ mode = 0, flags = 1, g = 0, batch, dim, classes, numTrue, numSampled, x, w, b, labels, cand, tec, sec }) {
  return Uint8Array.from([mode, flags, g, batch, dim - 1, classes - 1, numTrue - 1, numSampled - 1, ...x, ...w, ...b,
    ...labels.flatMap(id), ...cand.flatMap(id), ...tec, ...sec]);
}
const sampledSeeds = {
  'softmax-3x4-of-10': sampled({ batch: 3, dim: 4, classes: 10, numTrue: 1, numSampled: 5, x: n(12, (i) => grid((i % 5) / 4 - 0.5)), w: n(40, (i) => grid(((i * 3) % 11) / 8 - 0.6)), b: n(10, (i) => grid(i / 16)), labels: [1, 4, 9], cand: [0, 2, 3, 5, 8], tec: [1, 2, 0], sec: [0, 1, 2, 3, 2] }),
  'two-true-2x3-of-6': sampled({ flags: 0, batch: 2, dim: 3, classes: 6, numTrue: 2, numSampled: 4, x: n(6, (i) => grid(i - 2.5)), w: n(18, (i) => grid((i % 7) / 4 - 0.75)), b: n(6, () => grid(0)), labels: [0, 5, 2, 3], cand: [1, 4, 0, 2], tec: [0, 1, 2, 3], sec: [1, 1, 2, 2] }),
  'hits-and-duplicates': sampled({ batch: 2, dim: 5, classes: 4, numTrue: 1, numSampled: 6, x: n(10, (i) => grid(i / 4)), w: n(20, (i) => grid(-i / 8)), b: n(4, (i) => grid(i)), labels: [2, 3], cand: [2, 2, 3, 0, 2, 1], tec: [2, 3], sec: [0, 0, 1, 3, 2, 1] }),
  'extremes-1x9': sampled({ mode: 0x40, batch: 1, dim: 9, classes: 3, numTrue: 1, numSampled: 2, x: [S.max, S.huge, S.big, S.tiny, S.eps, S.zero, S.one, 25, 21], w: n(27, (i) => [S.max, 25, S.huge, 23, S.w20, S.one][i % 6]), b: [S.max, 25, S.zero], labels: [1], cand: [0, 2], tec: [5], sec: [6, 10] }),
  'nonfinite-and-bad-count': sampled({ batch: 2, dim: 2, classes: 3, numTrue: 1, numSampled: 2, x: [S.nan, S.one, S.inf, S.zero], w: n(6, () => grid(1)), b: n(3, () => grid(0)), labels: [0, 1], cand: [2, 1], tec: [0, 203], sec: [0, 0] }),
  'dim-33': sampled({ mode: 0x40, batch: 2, dim: 33, classes: 5, numTrue: 1, numSampled: 3, x: n(66, (i) => grid(((i * 5) % 17) / 8 - 1)), w: n(165, (i) => grid(((i * 3) % 13) / 8 - 0.8)), b: n(5, (i) => grid(i / 8)), labels: [4, 0], cand: [1, 2, 3], tec: [1, 2], sec: [1, 2, 3] }),
};

for (const [kind, fn] of entries) {
  const dir = new URL(`corpus/${fn}/`, here);
  mkdirSync(dir, { recursive: true });
  const set = kind === 'SAMPLER' ? samplerSeeds : kind === 'SAMPLED' ? sampledSeeds : seeds;
  for (const [name, bytes] of Object.entries(set)) writeFileSync(new URL(name, dir), bytes);
}
console.log(`seeds.js: ${Object.keys(seeds).length} seeds for each of ${entries.length - 3} loss targets, ` +
  `${Object.keys(samplerSeeds).length} for the sampler, ${Object.keys(sampledSeeds).length} for each sampled loss`);
