// semantics.test.js: statements of docs/semantics.md that no other test pins
// down, each checked through the JS API against values computed here in
// float64 from the document's formulas: decision 8 (an empty batch reduces to
// 0), decision 3 (an all-zero probability row), decision 11 (a loss beyond
// FLT_MAX saturates) and section 8.4 (NaN and infinite inputs stay in their
// example). The Keras weighting rules of "Keras behaviours that surprise" are
// keras-parity.test.js's.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';

before(async () => {
  await xent.init();
});

const EPS = Math.fround(1e-7);
const FLT_MAX = 3.4028234663852886e38;
// Binary cross-entropy of one element on the probability path (2.3), float64.
const bce = (y, p) => {
  const q = Math.min(Math.max(p, EPS), 1 - 2 ** -23);
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
};
const close = (got, want, what) =>
  assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want) + 1e-7, `${what}: got ${got}, want ${want}`);

test('an empty batch reduces to 0 with every reduction (decision 8)', () => {
  for (const reduction of ['sum_over_batch_size', 'sum', 'mean_with_sample_weight']) {
    const r = xent.categoricalCrossentropy(new Float32Array(0), new Float32Array(0), { shape: [0, 3], reduction, gradient: true });
    assert.equal(r.loss, 0, reduction);
    assert.equal(r.losses.length, 0);
    assert.equal(r.grad.length, 0);
  }
  assert.equal(xent.sparseCategoricalCrossentropy(new Int32Array(0), new Float32Array(0), { shape: [0, 4] }).loss, 0);
});

test('an all-zero probability row costs -log(eps) times the label sum and has zero gradient (decision 3)', () => {
  const r = xent.categoricalCrossentropy([[0, 1, 0], [0.25, 0.5, 0.25]], [[0, 0, 0], [0, 0, 0]], { gradient: true, reduction: 'none' });
  close(r.losses[0], -Math.log(EPS), 'one-hot row');
  close(r.losses[1], -Math.log(EPS), 'soft row summing to 1');
  assert.deepEqual(Array.from(r.grad), [0, 0, 0, 0, 0, 0]);
  const f = xent.categoricalFocalCrossentropy([[0, 1, 0]], [[0, 0, 0]], { gradient: true });
  assert.ok(Number.isFinite(f.loss) && f.loss > 0, `focal loss ${f.loss}`);
  assert.deepEqual(Array.from(f.grad), [0, 0, 0]);
});

test('a loss beyond the float32 range saturates at FLT_MAX for finite logits (decision 11)', () => {
  const r = xent.softmaxCrossEntropyWithLogits([[0, 1, 0]], [[3e38, -3e38, 0]], { gradient: true });
  assert.equal(r.losses[0], FLT_MAX); // the true loss is 6e38
  assert.deepEqual(Array.from(r.grad), [1, -1, 0]);
  const b = xent.binaryCrossentropy([[0]], [[3e38]], { fromLogits: true });
  close(b.loss, Math.fround(3e38), 'binary logits 3e38 with label 0');
});

test('a NaN stays in its example: its loss is NaN, the other examples are unchanged (section 8.4)', () => {
  for (const fromLogits of [false, true]) {
    const clean = xent.categoricalCrossentropy([[0, 1, 0], [1, 0, 0]], [[0.2, 0.5, 0.3], [0.3, 0.3, 0.4]], { fromLogits, gradient: true, reduction: 'none' });
    const dirty = xent.categoricalCrossentropy([[0, 1, 0], [1, 0, 0]], [[NaN, 0.5, 0.3], [0.3, 0.3, 0.4]], { fromLogits, gradient: true, reduction: 'none' });
    assert.ok(Number.isNaN(dirty.losses[0]));
    assert.equal(dirty.losses[1], clean.losses[1]);
    assert.deepEqual(Array.from(dirty.grad.subarray(3)), Array.from(clean.grad.subarray(3)));
    const reduced = xent.categoricalCrossentropy([[0, 1, 0], [1, 0, 0]], [[NaN, 0.5, 0.3], [0.3, 0.3, 0.4]], { fromLogits });
    assert.ok(Number.isNaN(reduced.loss), 'the reduced loss is NaN');
  }
});

test('an infinite probability is clipped on the binary and sparse paths: a capped loss and zero gradient (section 8.4)', () => {
  const r = xent.binaryCrossentropy([[0, 1]], [[Infinity, 0.4]], { gradient: true });
  close(r.loss, (-Math.log(2 ** -23) + bce(1, 0.4)) / 2, 'binary');
  assert.equal(r.grad[0], 0);
  const s = xent.sparseCategoricalCrossentropy([1], [[Infinity, 0.5, 0.2]], { gradient: true });
  const clipped = [1 - 2 ** -23, 0.5, 0.2];
  close(s.loss, Math.log(clipped[0] + clipped[1] + clipped[2]) - Math.log(0.5), 'sparse');
  assert.equal(s.grad[0], 0);
});

test('an infinite logit gives the limit where the binary logits formula has one, else NaN as in TensorFlow (section 8.4)', () => {
  const r = xent.binaryCrossentropy([[1], [0], [1]], [[-Infinity], [-Infinity], [Infinity]], { fromLogits: true, gradient: true, reduction: 'none' });
  assert.equal(r.losses[0], FLT_MAX); // -log sigmoid(-inf) = inf, reported as FLT_MAX
  assert.ok(Number.isNaN(r.losses[1]), 'label 0 at -inf: inf * 0');
  assert.ok(Number.isNaN(r.losses[2]), 'label 1 at +inf: inf - inf');
  assert.deepEqual(Array.from(r.grad), [-1, 0, 0]); // sigmoid(x) - y at the limits
});
