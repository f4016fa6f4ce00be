// finite.test.js: two guarantees of docs/semantics.md ("Guarantees:
// validation, non-finite values, sizes, aliasing") checked through both wasm
// modules: finite inputs, however extreme (labels and weights near FLT_MAX),
// give finite losses and gradients, saturating at +-FLT_MAX; and per-element
// losses and gradients of the scalar and SIMD builds are bit-identical,
// including the per-example losses of multi-column binary and focal losses,
// whose row sums once ran in a different order in the two builds.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { EPS, FLT_MAX, ONE_MINUS_EPS, rng } from './reference.js';

after(() => xent.init());

// f() run on the scalar build, then on the SIMD build.
async function onBoth(f) {
  await xent.init({ backend: 'wasm' });
  const scalar = f();
  await xent.init({ backend: 'wasm-simd' });
  return [scalar, f()];
}

const bits = (v) => (v === undefined ? [] : Array.from(new Uint32Array(Float32Array.from(ArrayBuffer.isView(v) ? v : [v]).buffer)));
const finite = (r) => ['loss', 'losses', 'grad'].every((k) => r[k] === undefined || (ArrayBuffer.isView(r[k]) ? r[k].every(Number.isFinite) : Number.isFinite(r[k])));

function sameAndFinite(results, what) {
  const [s, v] = results;
  assert.ok(finite(s) && finite(v), `${what}: not finite: ${JSON.stringify([s, v], (k, x) => (ArrayBuffer.isView(x) ? Array.from(x) : x))}`);
  assert.deepEqual(bits(s.losses), bits(v.losses), `${what}: per-example losses differ between the builds`);
  assert.deepEqual(bits(s.grad), bits(v.grad), `${what}: gradients differ between the builds`);
}

describe('finite inputs give finite outputs, in both builds', () => {
  test('a sample weight of 3e38 with reduction sum saturates the binary gradient at -FLT_MAX instead of -Infinity', async () => {
    const results = await onBoth(() => xent.binaryCrossentropy([[1]], [[0.5]], { sampleWeight: 3e38, reduction: 'sum', gradient: true }));
    sameAndFinite(results, 'binaryCrossentropy');
    const [r] = results;
    // Loss 3e38 ln 2 fits in float32; the gradient 3e38 (0.5 - 1) / 0.25 = -6e38 does not.
    assert.ok(Math.abs(r.loss - Math.fround(3e38) * Math.log(2)) <= 1e-6 * r.loss);
    assert.equal(r.grad[0], -FLT_MAX);
  });

  test('sampleWeight 1e20 times classWeight 1e20 saturates the weight: a zero loss stays 0 instead of NaN', async () => {
    for (const reduction of ['sum_over_batch_size', 'sum', 'mean_with_sample_weight', 'none']) {
      const call = () => xent.categoricalCrossentropy([[1, 0]], [[100, -100]], { fromLogits: true, sampleWeight: [1e20], classWeight: [1e20, 1], reduction, gradient: true });
      const results = await onBoth(call);
      sameAndFinite(results, reduction);
      assert.equal(results[0].losses[0], 0);
    }
    const [r] = await onBoth(() => xent.sparseCategoricalCrossentropy([0], [[0.999, 0.001]], { sampleWeight: [1e20], classWeight: [1e20, 1], gradient: true }));
    // Weight FLT_MAX times -log(0.999) (computed as log(0.999 + 0.001) - log(0.999): 1e-4 relative).
    assert.ok(Math.abs(r.loss - FLT_MAX * -Math.log(Math.fround(0.999))) <= 1e-4 * r.loss);
  });

  test('sigmoidCrossEntropyWithLogits with a label of 3e38 has a finite gradient', async () => {
    for (const x of [0, 1, -1, 50, -50]) {
      const results = await onBoth(() => xent.sigmoidCrossEntropyWithLogits([3e38, -3e38, FLT_MAX], [x, x, x], { gradient: true }));
      sameAndFinite(results, `logit ${x}`);
      assert.ok(results[0].grad[0] < -1e38 && results[0].grad[1] > 1e38);
    }
  });

  test('weightedCrossEntropyWithLogits with a label of 2 and posWeight FLT_MAX has a finite loss', async () => {
    for (const x of [0, 5, -5, 100, -100, 1e30, -1e30]) {
      const results = await onBoth(() => xent.weightedCrossEntropyWithLogits([2, 0.5, -3e38], [x, x, x], FLT_MAX, { gradient: true }));
      sameAndFinite(results, `logit ${x}`);
    }
    // Logit 0: the true loss (1 + (q - 1) 2) log 2 is 4.7e38, beyond float32.
    // The weight 1 + (q - 1) 2 saturates first, so the loss is FLT_MAX log 2:
    // finite, not the true value (the guarantee is finiteness, not accuracy,
    // once an intermediate leaves the float range).
    const [r] = await onBoth(() => xent.weightedCrossEntropyWithLogits([2], [0], FLT_MAX));
    assert.ok(Math.abs(r.losses[0] - FLT_MAX * Math.LN2) <= 1e-6 * r.losses[0]);
  });

  test('every loss on a grid of extreme finite labels, predictions and weights is finite and the same in both builds', async () => {
    const labels = [0, 1, 0.5, -1, 2, 1e30, -1e30, 3e38, -3e38, FLT_MAX];
    const preds = [0, 1, 0.5, 1e-7, 2, -1, 100, -100, 1e30, -1e30, FLT_MAX, -FLT_MAX];
    const y = Float32Array.from({ length: labels.length * preds.length }, (_, i) => labels[i % labels.length]);
    const p = Float32Array.from({ length: y.length }, (_, i) => preds[Math.floor(i / labels.length)]);
    const rows = preds.length;
    const shape = [rows, labels.length];
    const sampleWeight = Float32Array.from({ length: rows }, (_, i) => [0, 1, 3e38, -3e38, 1e20][i % 5]);
    const classWeight = Float32Array.from({ length: labels.length }, (_, i) => [1e20, 0, -2, FLT_MAX][i % 4]);
    const ints = Int32Array.from({ length: rows }, (_, i) => i % labels.length);
    for (const fromLogits of [false, true]) {
      for (const reduction of ['sum_over_batch_size', 'sum', 'mean_with_sample_weight', 'none']) {
        const o = { shape, fromLogits, reduction, sampleWeight, classWeight, gradient: true };
        for (const fn of ['binaryCrossentropy', 'categoricalCrossentropy', 'binaryFocalCrossentropy', 'categoricalFocalCrossentropy']) {
          sameAndFinite(await onBoth(() => xent[fn](y, p, o)), `${fn} ${fromLogits} ${reduction}`);
        }
        sameAndFinite(await onBoth(() => xent.sparseCategoricalCrossentropy(ints, p, o)), `sparse ${fromLogits} ${reduction}`);
      }
    }
    sameAndFinite(await onBoth(() => xent.sigmoidCrossEntropyWithLogits(y, p, { gradient: true })), 'sigmoid');
    sameAndFinite(await onBoth(() => xent.softmaxCrossEntropyWithLogits(y, p, { shape, gradient: true })), 'softmax');
    sameAndFinite(await onBoth(() => xent.sparseSoftmaxCrossEntropyWithLogits(ints, p, { shape, gradient: true })), 'sparse softmax');
    for (const q of [FLT_MAX, -FLT_MAX, 0, 1e20]) sameAndFinite(await onBoth(() => xent.weightedCrossEntropyWithLogits(y, p, q, { gradient: true })), `weighted ${q}`);
  });
});

describe('scalar and SIMD builds agree bit for bit per element', () => {
  test('the 13-class binary row of hard labels and 0/1 probabilities gives one per-example loss in both builds, that of a float64 reference', async () => {
    const y = [[0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0]];
    const p = [[0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0]];
    const [s, v] = await onBoth(() => xent.binaryCrossentropy(y, p, { gradient: true }));
    assert.deepEqual(bits(s.losses), bits(v.losses));
    // Element losses of Keras' clipped formula, then the mean over the 13 classes.
    const q = (pi) => Math.min(Math.max(pi, EPS), ONE_MINUS_EPS);
    const ref = y[0].reduce((acc, yi, i) => acc - (yi ? Math.log(q(p[0][i])) : Math.log(1 - q(p[0][i]))), 0) / 13;
    assert.ok(Math.abs(s.losses[0] - ref) <= 2e-7 * ref, `${s.losses[0]} vs ${ref}`);
  });

  test('100 000 rows of hard labels and saturated probabilities or integer logits give the same per-example losses and gradients in both builds', async () => {
    // Element losses from a handful of values (-log 1e-7, -log 2^-23, -log(1 - 1e-7), ...)
    // make row sums that land on float32 rounding ties; before the scalar
    // kernels summed in the SIMD lane order, about 1 call in 300 here differed.
    const rand = rng(278);
    const pick = [0, 1, EPS, ONE_MINUS_EPS, 0.5];
    const cases = Array.from({ length: 400 }, () => {
      const c = 3 + Math.floor(rand() * 30);
      const n = 250 * c;
      return {
        shape: [250, c],
        y: Float32Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0)),
        p: Float32Array.from({ length: n }, () => pick[Math.floor(rand() * pick.length)]),
        z: Float32Array.from({ length: n }, () => Math.round((rand() - 0.5) * 60)),
      };
    });
    const run = () => cases.flatMap(({ shape, y, p, z }) => [false, true].flatMap((fromLogits) => {
      const o = { shape, fromLogits, gradient: true };
      const x = fromLogits ? z : p;
      return [xent.binaryCrossentropy(y, x, o), xent.binaryFocalCrossentropy(y, x, o), xent.categoricalFocalCrossentropy(y, x, o)];
    }));
    const [s, v] = await onBoth(run);
    let differ = 0;
    for (let i = 0; i < s.length; i++) {
      if (bits(s[i].losses).join() !== bits(v[i].losses).join() || bits(s[i].grad).join() !== bits(v[i].grad).join()) differ++;
    }
    assert.equal(differ, 0, `${differ} of ${s.length} calls differ between the builds`);
  });
});
