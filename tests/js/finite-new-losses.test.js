// finite-new-losses.test.js: the guarantees of docs/semantics.md section 9.2
// and 9.5 for the later losses (KL divergence, logits distillation,
// generalized cross-entropy, poly-1, per-class pos_weight), through both
// wasm modules: rows of extreme but finite values, labels near +-FLT_MAX
// among them, give finite per-example losses and gradients, bit-identical in
// the scalar and SIMD builds. The fuzz targets found both defects these rows
// reproduce: poly-1 losses of -7.04 and -19.7 for one row, and a NaN from
// the per-class weighted op; and a zero-weight generalized cross-entropy row
// with a prediction of FLT_MAX gave NaN.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { FLT_MAX } from './reference.js';

after(() => xent.init());

async function onBoth(f) {
  await xent.init({ backend: 'wasm' });
  const scalar = f();
  await xent.init({ backend: 'wasm-simd' });
  return [scalar, f()];
}
const bits = (v) => (v === undefined ? [] : Array.from(new Uint32Array(Float32Array.from(v).buffer)));

function check([s, v], what) {
  for (const k of ['losses', 'grad']) {
    assert.ok(s[k].every(Number.isFinite) && v[k].every(Number.isFinite), `${what}: ${k} not finite: ${Array.from(s[k])} / ${Array.from(v[k])}`);
    assert.deepEqual(bits(s[k]), bits(v[k]), `${what}: ${k} differ between the builds`);
  }
}

// Rows of 6 (a block of 4 and a tail of 2) and 13 values.
const Y = [
  [-11.125, -3e38, -1.125, FLT_MAX, 1e-45, -4.375],
  [0, 1, 0, 0, 3e38, 0.5, FLT_MAX, 1e30, -3e38, 0, 1, 2, -1],
];
const Z = [
  [0, 0, 0, -9.375, 0, 0],
  [FLT_MAX, 1, 0.5, -1e30, 0, 2, 1e-45, 3e38, -3e38, 10, -10, 0.25, 1],
];

describe('the later losses keep finite, build-identical outputs on extreme finite rows', () => {
  test('polyLossCrossentropy, klDivergence and logitsDistillation', async () => {
    for (let r = 0; r < Y.length; r++) {
      const y = Float32Array.from(Y[r]);
      const z = Float32Array.from(Z[r]);
      for (const epsilon of [2, 0, 1, -1, -1e30, 1e30, FLT_MAX]) check(await onBoth(() => xent.polyLossCrossentropy(y, z, { epsilon, gradient: true, reduction: 'sum' })), `poly ${r} ${epsilon}`);
      check(await onBoth(() => xent.klDivergence(y, z, { gradient: true })), `kl ${r}`);
      for (const temperature of [3, 1e-30, 1e30]) check(await onBoth(() => xent.logitsDistillation(y, z, { temperature, gradient: true })), `distillation ${r} ${temperature}`);
    }
  });

  test('categoricalGeneralizedCrossentropy and per-class weightedCrossEntropyWithLogits', async () => {
    for (let r = 0; r < Y.length; r++) {
      const z = Float32Array.from(Z[r]);
      const n = z.length;
      for (const fromLogits of [false, true]) {
        for (const q of [0.5, 1e-7, 1]) check(await onBoth(() => xent.categoricalGeneralizedCrossentropy([n - 1], z, { fromLogits, q, gradient: true })), `generalized ${r} ${fromLogits} ${q}`);
      }
      // A "probability" of FLT_MAX: (1 - p^q) / q is -Inf unsaturated, and NaN times a zero weight.
      check(await onBoth(() => xent.categoricalGeneralizedCrossentropy([0, 0], [[FLT_MAX, 0], [FLT_MAX, 1]], { q: 1, sampleWeight: [0, 1], reduction: 'none', gradient: true })), `generalized p = FLT_MAX ${r}`);
      const posWeight = Array.from({ length: n }, (_, i) => [FLT_MAX, -FLT_MAX, 0, 2][i % 4]);
      check(await onBoth(() => xent.weightedCrossEntropyWithLogits(Float32Array.from(Y[r]), z, posWeight, { gradient: true })), `weighted per class ${r}`);
    }
  });
});
