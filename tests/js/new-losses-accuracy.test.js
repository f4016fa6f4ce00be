// new-losses-accuracy.test.js: the accuracy of the new losses (docs/semantics.md
// "New losses") measured against float64 definitions written here (Keras
// kl_divergence, LogitsDistillation, categorical_generalized_cross_entropy;
// Optax poly_loss_cross_entropy) on 300 random batches of 4 rows of 1 to 40
// classes: the largest relative error where the loss exceeds 1e-3 and the
// largest absolute error, printed, and held under bounds a little above the
// measured ones.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { EPS, rng } from './reference.js';

const clip01 = (v) => Math.min(Math.max(v, EPS), 1);
const softmax = (z, T = 1) => {
  const u = z.map((v) => v / T);
  const m = Math.max(...u);
  const e = u.map((v) => Math.exp(v - m));
  const S = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / S);
};
const klRow = (y, p) => y.reduce((s, _, j) => s + clip01(y[j]) * Math.log(clip01(y[j]) / clip01(p[j])), 0);
const polyRow = (y, z, eps) => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
  const p = softmax(z);
  return y.reduce((s, yj, j) => s + yj * (lse - z[j]) + eps * yj * (1 - p[j]), 0);
};

before(() => xent.init());

test('the new losses are accurate to the stated bounds against float64', (t) => {
  const rand = rng(31);
  const err = { klDivergence: [0, 0], logitsDistillation: [0, 0], 'generalized CE (probabilities)': [0, 0], 'generalized CE (logits)': [0, 0], polyLossCrossentropy: [0, 0] };
  const note = (k, got, want) => {
    const d = Math.abs(got - want);
    err[k][1] = Math.max(err[k][1], d);
    if (Math.abs(want) > 1e-3) err[k][0] = Math.max(err[k][0], d / Math.abs(want));
  };
  for (let it = 0; it < 300; it++) {
    const C = 1 + Math.floor(rand() * 40);
    const B = 4;
    const f = (g) => Float32Array.from({ length: B * C }, g);
    const y = f(() => rand());
    const p = f(() => rand());
    const z = f(() => (rand() - 0.5) * 20);
    const tz = f(() => (rand() - 0.5) * 20);
    const labels = Int32Array.from({ length: B }, () => Math.floor(rand() * C));
    const rows = (a) => Array.from({ length: B }, (_, b) => Array.from(a.slice(b * C, b * C + C)));
    const o = { shape: [B, C], reduction: 'none' };
    xent.klDivergence(y, p, o).losses.forEach((l, b) => note('klDivergence', l, klRow(rows(y)[b], rows(p)[b])));
    xent.logitsDistillation(tz, z, { ...o, temperature: 2.5 }).losses.forEach((l, b) => note('logitsDistillation', l, 6.25 * klRow(softmax(rows(tz)[b], 2.5), softmax(rows(z)[b], 2.5))));
    xent.categoricalGeneralizedCrossentropy(labels, p, { ...o, q: 0.7 }).losses.forEach((l, b) => note('generalized CE (probabilities)', l, (1 - rows(p)[b][labels[b]] ** 0.7) / 0.7));
    xent.categoricalGeneralizedCrossentropy(labels, z, { ...o, q: 0.7, fromLogits: true }).losses.forEach((l, b) => note('generalized CE (logits)', l, (1 - softmax(rows(z)[b])[labels[b]] ** 0.7) / 0.7));
    xent.polyLossCrossentropy(y, z, { ...o, epsilon: 2 }).losses.forEach((l, b) => note('polyLossCrossentropy', l, polyRow(rows(y)[b], rows(z)[b], 2)));
  }
  const bounds = { klDivergence: [1e-4, 3e-6], logitsDistillation: [5e-4, 1e-5], 'generalized CE (probabilities)': [1e-6, 3e-7], 'generalized CE (logits)': [1e-4, 3e-7], polyLossCrossentropy: [2e-6, 5e-5] };
  for (const [k, [rel, abs]] of Object.entries(err)) {
    t.diagnostic(`${k}: max relative ${rel.toExponential(2)} (loss > 1e-3), max absolute ${abs.toExponential(2)}`);
    assert.ok(rel <= bounds[k][0] && abs <= bounds[k][1], `${k}: ${rel} / ${abs} over ${bounds[k]}`);
  }
});
