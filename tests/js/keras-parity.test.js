// keras-parity.test.js: the cases where Keras 3's reduction and weighting
// surprise (docs/semantics.md, "Keras behaviours that surprise"), each against
// the float64 Keras pipeline of keras-reduce.js (written from
// keras/src/losses/loss.py reduce_weighted_values / squeeze_or_expand_to_same_rank
// / apply_mask / reduce_values, and the trainers' class-weight code) fed with
// per-example losses and gradients from reference.js; gradients also against
// finite differences; every case run on both wasm builds, whose per-example
// losses and gradients must agree bit for bit.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import * as ref from './reference.js';
import { deviation, finiteDifference, rng } from './reference.js';
import { kerasClassWeight, kerasReduce, tensor } from './keras-reduce.js';

const f32 = (a) => Float32Array.from(a);
const close = (got, want, what, rtol = 2e-6, atol = 1e-7) => {
  const d = deviation(Array.from(got), Array.from(want), rtol, atol);
  assert.ok(d.excess <= 1, `${what}: off at ${d.at} (${got[d.at]} vs ${want[d.at]}), relative ${d.relative}`);
};

// Per-example losses and gradient rows, unweighted, from reference.js.
function perExample(name, yTrue, yPred, rows, classes, options) {
  const r = ref[name](Array.from(yTrue), Array.from(yPred), rows, classes, { ...options, reduction: 'none' });
  const dL = [];
  for (let b = 0; b < rows; b++) dL.push(Array.from(r.grad.slice(b * classes, (b + 1) * classes)));
  return { L: Array.from(r.losses), dL };
}

// One case: xent's call against the Keras pipeline. `sw` and `mask` are the
// Keras tensors ({ shape, data } or null); `xentOptions` what the JS API gets.
function check(what, name, yTrue, yPred, predShape, xentOptions, keras) {
  const classes = predShape[predShape.length - 1];
  const lossShape = predShape.slice(0, -1);
  const rows = yPred.length / classes;
  const { L, dL } = perExample(name, yTrue, yPred, rows, classes, keras.options || {});
  const k = kerasReduce(lossShape, L, keras.sw || null, keras.mask || null, keras.reduction);
  const r = xent[name](yTrue, yPred, { shape: predShape, gradient: true, ...xentOptions });
  if (keras.reduction === 'none' || keras.reduction === null) assert.equal(r.loss, undefined, `${what}: an unreduced call has no loss`);
  else close([r.loss], [k.loss], `${what}: loss`);
  assert.deepEqual(r.lossesShape, k.weighted.shape, `${what}: lossesShape`);
  close(r.losses, k.weighted.data, `${what}: losses`);
  const g = [];
  for (let b = 0; b < rows; b++) for (let j = 0; j < classes; j++) g.push(k.coef[b] * dL[b][j]);
  close(r.grad, g, `${what}: gradient`, 2e-5, 1e-7);
  return { r, k };
}

const rand = rng(20260);
const probs = (rows, classes) => {
  const out = [];
  for (let b = 0; b < rows; b++) {
    const row = Array.from({ length: classes }, () => 0.05 + rand());
    const s = row.reduce((a, c) => a + c, 0);
    out.push(...row.map((v) => v / s));
  }
  return f32(out);
};
const oneHot = (labels, classes) => f32(labels.flatMap((l) => Array.from({ length: classes }, (_, j) => (j === l ? 1 : 0))));

const results = [];
function recorded(what, r) {
  results.push([what, r]);
  return r;
}

describe('Keras 3 parity', () => {
  before(() => xent.init({ backend: 'wasm-simd' }));

  test('a scalar sampleWeight with mean_with_sample_weight divides by the scalar itself, giving the plain sum of the losses (loss.py reduce_values)', () => {
    const p = probs(4, 3);
    const y = oneHot([0, 2, 1, 1], 3);
    const { r, k } = check('scalar weight', 'categoricalCrossentropy', y, p, [4, 3], { sampleWeight: 0.5, reduction: 'mean_with_sample_weight' },
      { sw: tensor([], [0.5]), reduction: 'mean_with_sample_weight' });
    const plain = xent.categoricalCrossentropy(y, p, { shape: [4, 3], reduction: 'sum' }).loss;
    close([r.loss], [plain], 'the sum of the unweighted losses');
    recorded('scalar sampleWeight, mean_with_sample_weight', { got: r.loss, want: k.loss });
  });

  test('per-sequence weights [batch, 1] on [batch, time] losses broadcast over time, and mean_with_sample_weight divides by their sum as given (T times the weighted mean)', () => {
    const [B, T, C] = [3, 4, 5];
    const p = probs(B * T, C);
    const labels = Array.from({ length: B * T }, () => Math.floor(rand() * C));
    const y = oneHot(labels, C);
    const w = [0.5, 2, 1.25];
    for (const reduction of ['mean_with_sample_weight', 'sum_over_batch_size', 'sum', 'none']) {
      const { r, k } = check(`[B,1] ${reduction}`, 'categoricalCrossentropy', y, p, [B, T, C], { sampleWeight: w.map((v) => [v]), reduction },
        { sw: tensor([B, 1], w), reduction });
      if (reduction === 'mean_with_sample_weight') recorded('[batch,1] weights on [batch,time], mean_with_sample_weight', { got: r.loss, want: k.loss });
      // A flat [batch] array is taken as [batch, 1] (Keras itself would fail to broadcast [3] against [3, 4]).
      const flat = xent.categoricalCrossentropy(y, p, { shape: [B, T, C], sampleWeight: f32(w), reduction, gradient: true });
      assert.deepEqual(Array.from(flat.losses), Array.from(r.losses), 'a flat [batch] weight is a weight per sequence');
      assert.deepEqual(Array.from(flat.grad), Array.from(r.grad));
      const t = xent.tensor([B, 1]);
      t.data.set(w);
      const fromTensor = xent.categoricalCrossentropy(y, p, { shape: [B, T, C], sampleWeight: t, reduction, gradient: true });
      t.free();
      assert.deepEqual(Array.from(fromTensor.losses), Array.from(r.losses), 'a [batch, 1] tensor broadcasts the same');
      assert.equal(fromTensor.loss, r.loss);
      // Sparse labels and binary losses over sequences follow the same pipeline.
      check(`sparse [B,1] ${reduction}`, 'sparseCategoricalCrossentropy', Int32Array.from(labels), p, [B, T, C], { sampleWeight: w.map((v) => [v]), reduction },
        { sw: tensor([B, 1], w), reduction });
      check(`binary [B,1] ${reduction}`, 'binaryCrossentropy', y, p, [B, T, C], { sampleWeight: w.map((v) => [v]), reduction },
        { sw: tensor([B, 1], w), reduction });
    }
  });

  test('class weights on a one-column soft label of exactly 0.5 pick class 0: Keras rounds half to even (data_adapter_utils.class_weight_to_sample_weights)', () => {
    const y = f32([0.5, 0.5000001, 0.4999999, 1, 0, 1.5]);
    const p = f32([0.3, 0.6, 0.2, 0.9, 0.1, 0.7]);
    const cw = [3, 5];
    const sw = Array.from(y, (v) => kerasClassWeight([v], cw));
    assert.deepEqual(sw, [3, 5, 3, 5, 3, 1], 'the reference rounds half to even and weighs an unknown class 1');
    for (const reduction of ['mean_with_sample_weight', 'sum_over_batch_size']) {
      const { r, k } = check(`class weight 0.5 ${reduction}`, 'binaryCrossentropy', y, p, [6, 1], { classWeight: cw, reduction },
        { sw: tensor([6], sw), reduction });
      if (reduction === 'mean_with_sample_weight') recorded('class weight, one-column label 0.5', { got: r.losses[0], want: k.weighted.data[0] });
    }
  });

  test('categorical focal alpha as a per-class list weighs each class term (losses.py categorical_focal_crossentropy: alpha broadcast along the class axis)', () => {
    const [B, C] = [5, 6];
    const p = probs(B, C);
    const y = oneHot([0, 1, 5, 3, 3], C);
    const alpha = [0.1, 0.9, 0.25, 0.5, 0.75, 1];
    const gamma = 2;
    // Keras' formula in float64: q = clip(p / sum p), loss = sum_j alpha_j (1 - q_j)^gamma (-y_j log q_j).
    const row = (yy, pp) => {
      const s = pp.reduce((a, c) => a + c, 0);
      let l = 0;
      for (let j = 0; j < C; j++) {
        const q = Math.min(Math.max(pp[j] / s, ref.EPS), ref.ONE_MINUS_EPS);
        l += alpha[j] * (1 - q) ** gamma * -yy[j] * Math.log(q);
      }
      return l;
    };
    const losses = [];
    for (let b = 0; b < B; b++) losses.push(row(Array.from(y.slice(b * C, b * C + C)), Array.from(p.slice(b * C, b * C + C))));
    const r = xent.categoricalFocalCrossentropy(y, p, { shape: [B, C], alpha, gamma, gradient: true });
    close(r.losses, losses, 'per-class alpha losses');
    const mean = losses.reduce((a, c) => a + c, 0) / B;
    close([r.loss], [mean], 'per-class alpha loss');
    const fd = finiteDifference((x) => {
      let t = 0;
      for (let b = 0; b < B; b++) t += row(Array.from(y.slice(b * C, b * C + C)), Array.from(x.slice(b * C, b * C + C)));
      return t / B;
    }, Float64Array.from(p));
    close(r.grad, fd, 'per-class alpha gradient vs finite differences', 1e-4, 1e-6);
    const same = xent.categoricalFocalCrossentropy(y, p, { shape: [B, C], alpha: new Array(C).fill(0.25), gamma, gradient: true });
    const scalar = xent.categoricalFocalCrossentropy(y, p, { shape: [B, C], alpha: 0.25, gamma, gradient: true });
    assert.deepEqual(Array.from(same.grad), Array.from(scalar.grad), 'a constant list equals the number, bit for bit');
    recorded('categorical focal per-class alpha', { got: r.loss, want: mean });
  });

  test('rank > 2 inputs give losses of the leading shape, and lossesShape says so', () => {
    const [B, T, U, C] = [2, 3, 2, 4];
    const p = probs(B * T * U, C);
    const labels = Array.from({ length: B * T * U }, () => Math.floor(rand() * C));
    const y = oneHot(labels, C);
    check('rank 4 categorical', 'categoricalCrossentropy', y, p, [B, T, U, C], {}, { reduction: 'sum_over_batch_size' });
    const sparse = xent.sparseCategoricalCrossentropy(Int32Array.from(labels), p, { shape: [B, T, U, C] });
    assert.deepEqual(sparse.lossesShape, [B, T, U]);
    // Sparse labels shaped [..., 1] are squeezed, as Keras squeezes them.
    const nestedLabels = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (__, t) => Array.from({ length: U }, (___, u) => [labels[(b * T + t) * U + u]])));
    const squeezed = xent.sparseCategoricalCrossentropy(nestedLabels, p, { shape: [B, T, U, C] });
    assert.deepEqual(squeezed.lossesShape, [B, T, U]);
    assert.deepEqual(Array.from(squeezed.losses), Array.from(sparse.losses));
    const nested = xent.binaryCrossentropy([[[1], [0]], [[0], [1]]], [[[0.7], [0.2]], [[0.4], [0.9]]]);
    assert.deepEqual(nested.lossesShape, [2, 2, 1].slice(0, -1));
    assert.deepEqual(xent.sigmoidCrossEntropyWithLogits(y, p, { shape: [B, T, U, C] }).lossesShape, [B, T, U, C]);
    recorded('rank 4 lossesShape', { got: JSON.stringify(sparse.lossesShape), want: JSON.stringify([B, T, U]) });
  });

  test("reduction 'mean' is 'sum_over_batch_size' and null is 'none', as Keras 3's standardize_reduction allows", () => {
    const p = probs(3, 4);
    const y = oneHot([1, 2, 3], 4);
    const mean = check("'mean'", 'categoricalCrossentropy', y, p, [3, 4], { reduction: 'mean' }, { reduction: 'mean' });
    const sobs = xent.categoricalCrossentropy(y, p, { shape: [3, 4], reduction: 'sum_over_batch_size' });
    assert.equal(mean.r.loss, sobs.loss);
    const none = check('null', 'categoricalCrossentropy', y, p, [3, 4], { reduction: null }, { reduction: null });
    assert.equal(none.r.loss, undefined);
    recorded("reduction 'mean'", { got: mean.r.loss, want: mean.k.loss });
  });

  test('sampleWeight in the shapes Keras accepts broadcasts as Keras broadcasts it', () => {
    const [B, T, C] = [2, 3, 4];
    const p = probs(B * T, C);
    const y = oneHot(Array.from({ length: B * T }, () => Math.floor(rand() * C)), C);
    const cases = [
      ['[B,T]', [[1, 2, 3], [0.5, 0, 4]], tensor([B, T], [1, 2, 3, 0.5, 0, 4])],
      ['[B,T,1]', [[[1], [2], [3]], [[0.5], [0], [4]]], tensor([B, T, 1], [1, 2, 3, 0.5, 0, 4])],
      ['[1,T]', [[1, 2, 3]], tensor([1, T], [1, 2, 3])],
      ['[T] (one weight per time step)', [0.5, 1, 2], tensor([T], [0.5, 1, 2])],
      ['[1]', [3], tensor([1], [3])],
      ['scalar', 1.5, tensor([], [1.5])],
    ];
    for (const [what, given, keras] of cases) {
      for (const reduction of ['mean_with_sample_weight', 'sum_over_batch_size', 'none']) {
        const { r, k } = check(`${what} ${reduction}`, 'categoricalCrossentropy', y, p, [B, T, C], { sampleWeight: given, reduction }, { sw: keras, reduction });
        if (reduction === 'mean_with_sample_weight') recorded(`sampleWeight ${what}, mean_with_sample_weight`, { got: r.loss, want: k.loss });
      }
    }
    assert.throws(() => xent.categoricalCrossentropy(y, p, { shape: [B, T, C], sampleWeight: [[1, 2]] }), RangeError, 'a [1, 2] weight does not broadcast against [2, 3]');
    assert.throws(() => xent.categoricalCrossentropy(y, p, { shape: [B, T, C], sampleWeight: [[[1, 2, 3]], [[1, 2, 3]]] }), /more values/);
  });

  test('a Keras mask on dense labels zeroes the masked losses and leaves the mean (loss.py apply_mask)', () => {
    const [B, T, C] = [2, 4, 3];
    const p = probs(B * T, C);
    const y = oneHot(Array.from({ length: B * T }, () => Math.floor(rand() * C)), C);
    const mask = [true, true, false, true, true, false, false, true];
    for (const reduction of ['sum_over_batch_size', 'mean_with_sample_weight', 'sum', 'none']) {
      for (const [sw, ksw] of [[undefined, null], [[[2], [0.5]], tensor([B, 1], [2, 0.5])], [0.75, tensor([], [0.75])]]) {
        const { r, k } = check(`mask ${reduction} ${JSON.stringify(sw)}`, 'categoricalCrossentropy', y, p, [B, T, C], { mask: [mask.slice(0, 4), mask.slice(4)], sampleWeight: sw, reduction },
          { mask: tensor([B, T], mask), sw: ksw, reduction });
        if (reduction === 'mean_with_sample_weight' && sw === 0.75) recorded('mask with a scalar weight, mean_with_sample_weight', { got: r.loss, want: k.loss });
      }
    }
    const masked = xent.binaryCrossentropy(y, p, { shape: [B, T, C], mask: Uint8Array.from(mask, Number) });
    const both = check('binary mask', 'binaryCrossentropy', y, p, [B, T, C], { mask }, { mask: tensor([B, T], mask), reduction: 'sum_over_batch_size' });
    assert.equal(masked.loss, both.r.loss);
    assert.throws(() => xent.binaryCrossentropy(y, p, { shape: [B, T, C], mask: [true] }), /options\.mask has 1 values/);
  });

  test('ignore_class with a scalar weight divides mean_with_sample_weight by the broadcast weights of the kept examples (apply_mask multiplies before the sum)', () => {
    const p = probs(5, 3);
    const labels = Int32Array.from([0, 2, 1, 2, 0]);
    const { r, k } = check('ignore + scalar', 'sparseCategoricalCrossentropy', labels, p, [5, 3], { ignoreClass: 2, sampleWeight: 0.5, reduction: 'mean_with_sample_weight' },
      { options: {}, sw: tensor([], [0.5]), mask: tensor([5], Array.from(labels, (l) => l !== 2)), reduction: 'mean_with_sample_weight' });
    recorded('ignoreClass with a scalar weight', { got: r.loss, want: k.loss });
  });

  test('a 1-D prediction is one example whose scalar loss Keras returns times a scalar weight, unreduced', () => {
    const y = f32([0, 1, 0]);
    const p = f32([0.2, 0.7, 0.4]);
    const { r, k } = check('scalar loss', 'binaryCrossentropy', y, p, [3], { sampleWeight: 2, reduction: 'mean_with_sample_weight' },
      { sw: tensor([], [2]), reduction: 'mean_with_sample_weight' });
    assert.equal(k.reduced, false, 'Keras returns the scalar as it is');
    assert.deepEqual(r.lossesShape, []);
    recorded('1-D prediction, scalar weight', { got: r.loss, want: k.loss });
  });

  test('the table of cases, xent against the Keras-source reference', (t) => {
    assert.ok(results.length >= 10);
    for (const [what, { got, want }] of results) t.diagnostic(`${what}: xent ${got}, Keras reference ${want}`);
  });
});

describe('both builds agree bit for bit on the weighted, masked and shaped calls', () => {
  const calls = () => {
    const r2 = rng(99);
    const [B, T, C] = [3, 5, 7];
    const n = B * T * C;
    const p = Float32Array.from({ length: n }, () => r2());
    const z = Float32Array.from({ length: n }, () => (r2() - 0.5) * 16);
    const y = Float32Array.from({ length: n }, () => (r2() < 0.3 ? 1 : 0));
    const labels = Int32Array.from({ length: B * T }, () => Math.floor(r2() * C));
    const mask = Array.from({ length: B * T }, () => r2() < 0.7);
    const base = { shape: [B, T, C], gradient: true };
    const alpha = Array.from({ length: C }, () => r2());
    return [
      xent.categoricalCrossentropy(y, p, { ...base, sampleWeight: [[1], [2], [0.5]], reduction: 'mean_with_sample_weight' }),
      xent.categoricalCrossentropy(y, z, { ...base, fromLogits: true, mask, sampleWeight: 0.5 }),
      xent.sparseCategoricalCrossentropy(labels, z, { ...base, fromLogits: true, mask, ignoreClass: 2 }),
      xent.binaryCrossentropy(y, p, { ...base, sampleWeight: [0.5, 1, 2, 3, 4], reduction: 'mean_with_sample_weight' }),
      xent.binaryFocalCrossentropy(y, z, { ...base, fromLogits: true, mask, classWeight: [1, 2, 3, 4, 5, 6, 7] }),
      xent.categoricalFocalCrossentropy(y, z, { ...base, fromLogits: true, alpha, mask }),
      xent.categoricalFocalCrossentropy(y, p, { ...base, alpha }),
    ];
  };
  test('per-example losses and gradients of the f32x4 and scalar builds are identical', async () => {
    await xent.init({ backend: 'wasm-simd' });
    const a = calls();
    await xent.init({ backend: 'wasm' });
    const b = calls();
    await xent.init({ backend: 'wasm-simd' });
    for (let i = 0; i < a.length; i++) {
      assert.deepEqual(new Uint32Array(a[i].losses.buffer.slice(0)), new Uint32Array(b[i].losses.buffer.slice(0)), `call ${i}: losses`);
      assert.deepEqual(new Uint32Array(a[i].grad.buffer.slice(0)), new Uint32Array(b[i].grad.buffer.slice(0)), `call ${i}: gradient`);
      close([a[i].loss], [b[i].loss], `call ${i}: reduced loss`);
    }
  });
});

