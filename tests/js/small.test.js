// small.test.js: the small-call path of the JS API (index.js `small()`, the
// live page's case: Float32Array predictions of at most 64 values) against the
// float64 reference (reference.js) and against the general path, which takes
// the same call when its inputs are plain arrays. Also what a fast path could
// get wrong: an options object mutated between calls, an option of one call
// left over in the next, outputs that alias the inputs, views of wasm memory
// across memory growth, and the calls it must refuse (their errors are the
// general path's).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import * as R from './reference.js';

before(() => xent.init());

const RTOL = 1e-6;
const ATOL = 1e-7;

function close(got, want, what) {
  const dev = R.deviation(got, want, RTOL, ATOL);
  assert.ok(dev.excess <= 1, `${what}: [${dev.at}] = ${got[dev.at]} but the float64 reference gives ${want[dev.at]}`);
}

function closeLoss(got, want, what) {
  assert.ok(Math.abs(got - want) <= RTOL * Math.abs(want) + ATOL, `${what}: loss ${got} but the float64 reference gives ${want}`);
}

const sameBits = (a, b, what) => assert.deepEqual(Array.from(a), Array.from(b), what);

// 2 x 4 data, rounded to float32 so the reference sees what the kernels see.
const r = R.rng(61);
const batch = 2;
const classes = 4;
const shape = [batch, classes];
const logits = Float32Array.from({ length: 8 }, () => 6 * r() - 3);
const probs = Float32Array.from({ length: 8 }, () => 0.05 + 0.9 * r());
const soft = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.25, 0, 0.5, 0.25]);
const bits = Float32Array.from([0, 1, 1, 0, 1, 0, 0, 1]);
const labels = Int32Array.from([3, 1]);
// Probabilities whose rows sum to 1, for the categorical losses on probabilities.
const dist = Float32Array.from(probs, (v, i) => v / (probs[i & ~3] + probs[(i & ~3) + 1] + probs[(i & ~3) + 2] + probs[(i & ~3) + 3]));

// Every function, its small typed-array call and its reference; `plain` makes
// the same call with plain arrays, which the small path does not take.
const CASES = [
  ['binaryCrossentropy', (t, p, o) => xent.binaryCrossentropy(t, p, o), bits, probs, { gradient: true }, () => R.binaryCrossentropy(bits, probs, batch, classes, {})],
  ['categoricalCrossentropy', (t, p, o) => xent.categoricalCrossentropy(t, p, o), soft, logits, { fromLogits: true, labelSmoothing: 0.1, gradient: true },
    () => R.categoricalCrossentropy(soft, logits, batch, classes, { fromLogits: true, labelSmoothing: 0.1 })],
  ['sparseCategoricalCrossentropy', (t, p, o) => xent.sparseCategoricalCrossentropy(t, p, o), labels, logits, { fromLogits: true, reduction: 'sum', gradient: true },
    () => R.sparseCategoricalCrossentropy(labels, logits, batch, classes, { fromLogits: true, reduction: 'sum' })],
  ['binaryFocalCrossentropy', (t, p, o) => xent.binaryFocalCrossentropy(t, p, o), bits, probs, { applyClassBalancing: true, gradient: true },
    () => R.binaryFocalCrossentropy(bits, probs, batch, classes, { applyClassBalancing: true })],
  ['categoricalFocalCrossentropy', (t, p, o) => xent.categoricalFocalCrossentropy(t, p, o), soft, dist, { gradient: true }, () => R.categoricalFocalCrossentropy(soft, dist, batch, classes, {})],
  ['sigmoidCrossEntropyWithLogits', (t, p, o) => xent.sigmoidCrossEntropyWithLogits(t, p, o), bits, logits, { gradient: true }, () => R.sigmoidCrossEntropyWithLogits(bits, logits)],
  ['weightedCrossEntropyWithLogits', (t, p, o) => xent.weightedCrossEntropyWithLogits(t, p, 2.5, o), bits, logits, { gradient: true }, () => R.weightedCrossEntropyWithLogits(bits, logits, 2.5)],
  ['softmaxCrossEntropyWithLogits', (t, p, o) => xent.softmaxCrossEntropyWithLogits(t, p, o), soft, logits, { gradient: true }, () => R.softmaxCrossEntropyWithLogits(soft, logits, batch, classes)],
  ['sparseSoftmaxCrossEntropyWithLogits', (t, p, o) => xent.sparseSoftmaxCrossEntropyWithLogits(t, p, o), labels, logits, { gradient: true },
    () => R.sparseSoftmaxCrossEntropyWithLogits(labels, logits, batch, classes)],
];

describe('small typed-array calls', () => {
  for (const [name, call, yTrue, yPred, options, reference] of CASES) {
    test(`${name} matches the float64 reference, and the general path bit for bit`, () => {
      const yPred32 = Float32Array.from(yPred);
      const fast = call(yTrue, yPred32, { ...options, shape });
      if (reference) {
        const want = reference();
        close(fast.losses, want.losses, `${name} losses`);
        close(fast.grad, want.grad, `${name} grad`);
        if (want.loss !== undefined) closeLoss(fast.loss, want.loss, name);
      }
      const general = call(Array.from(yTrue), Array.from(yPred32), { ...options, shape });
      assert.equal(fast.loss, general.loss, `${name} loss`);
      sameBits(fast.losses, general.losses, `${name} losses`);
      sameBits(fast.grad, general.grad, `${name} grad`);

      const losses = new Float32Array(fast.losses.length).fill(NaN);
      const grad = new Float32Array(8).fill(NaN);
      const into = call(yTrue, yPred32, { ...options, shape, out: { losses, grad } });
      assert.equal(into.losses, losses, 'out.losses is returned');
      assert.equal(into.grad, grad, 'out.grad is returned');
      sameBits(losses, fast.losses, `${name} out.losses`);
      sameBits(grad, fast.grad, `${name} out.grad`);

      const noGrad = call(yTrue, yPred32, { ...options, gradient: false, shape });
      assert.equal(noGrad.grad, undefined, 'no gradient unless asked');
      sameBits(noGrad.losses, fast.losses, `${name} losses without the gradient`);
    });
  }

  test('a 1-D prediction is one example, as on the general path', () => {
    const z = Float32Array.from([1, -2, 0.5]);
    const got = xent.sparseCategoricalCrossentropy(Int32Array.of(2), z, { fromLogits: true, gradient: true });
    const want = R.sparseSoftmaxCrossEntropyWithLogits([2], z, 1, 3);
    close(got.losses, want.losses, 'losses');
    closeLoss(got.loss, want.losses[0], 'loss');
    close(got.grad, want.grad, 'grad');
    const general = xent.sparseCategoricalCrossentropy(2, [1, -2, 0.5], { fromLogits: true, gradient: true });
    sameBits(got.grad, general.grad, 'grad');
  });

  test('reduction none gives no loss and the gradient of the sum', () => {
    const got = xent.sparseCategoricalCrossentropy(labels, logits, { shape, fromLogits: true, reduction: 'none', gradient: true });
    const want = R.sparseSoftmaxCrossEntropyWithLogits(labels, logits, batch, classes);
    assert.equal(got.loss, undefined);
    close(got.losses, want.losses, 'losses');
    close(got.grad, want.grad, 'grad');
  });
});

describe('small zero-copy tensors', () => {
  test('tensors in, tensors out: the kernel reads and writes them in place, with the reference values', () => {
    const tY = xent.tensor([batch], 'int32');
    const tZ = xent.tensor(shape);
    const tL = xent.tensor([batch]);
    const tG = xent.tensor(shape);
    try {
      tY.data.set(labels);
      tZ.data.set(logits);
      const got = xent.sparseCategoricalCrossentropy(tY, tZ, { fromLogits: true, out: { losses: tL, grad: tG } });
      assert.equal(got.losses, tL, 'out.losses is the tensor');
      assert.equal(got.grad, tG, 'out.grad is the tensor');
      const want = R.sparseCategoricalCrossentropy(labels, logits, batch, classes, { fromLogits: true });
      closeLoss(got.loss, want.loss, 'loss');
      close(tL.data, want.losses, 'losses');
      close(tG.data, want.grad, 'grad');
      const copies = xent.sparseCategoricalCrossentropy(labels, logits, { shape, fromLogits: true, gradient: true });
      assert.equal(got.loss, copies.loss);
      sameBits(tG.data, copies.grad, 'grad equals the typed-array call');

      const nn = xent.sparseSoftmaxCrossEntropyWithLogits(tY, tZ, { gradient: true });
      close(nn.losses, want.losses, 'tf.nn losses into new arrays');
      assert.ok(nn.grad instanceof Float32Array);
      sameBits(nn.grad, xent.sparseSoftmaxCrossEntropyWithLogits(labels, logits, { shape, gradient: true }).grad, 'tf.nn grad');
    } finally {
      for (const t of [tY, tZ, tL, tG]) t.free();
    }
  });

  test('tensors mix with typed arrays, and label tensors of other shapes or dtypes still work', () => {
    const tZ = xent.tensor(shape);
    const tSoft = xent.tensor(shape);
    const tSoft1 = xent.tensor([8]);
    const tLabelsF = xent.tensor([batch]);
    try {
      tZ.data.set(logits);
      tSoft.data.set(soft);
      tSoft1.data.set(soft);
      tLabelsF.data.set([3, 1]);
      const want = R.categoricalCrossentropy(soft, logits, batch, classes, { fromLogits: true });
      const grad = new Float32Array(8);
      for (const yTrue of [soft, tSoft, tSoft1]) {
        grad.fill(NaN);
        const got = xent.categoricalCrossentropy(yTrue, tZ, { fromLogits: true, out: { grad } });
        closeLoss(got.loss, want.loss, 'loss');
        close(grad, want.grad, 'grad');
      }
      const sparse = xent.sparseCategoricalCrossentropy(tLabelsF, tZ, { fromLogits: true }); // float32 labels: copied and checked
      closeLoss(sparse.loss, R.sparseCategoricalCrossentropy(labels, logits, batch, classes, { fromLogits: true }).loss, 'float32 label tensor');
      const flat = xent.tensor([8]);
      flat.data.set(logits);
      try {
        const viaShape = xent.sparseCategoricalCrossentropy(labels, flat, { shape, fromLogits: true }); // options.shape with a tensor
        closeLoss(viaShape.loss, sparse.loss, 'a flat tensor with options.shape');
      } finally {
        flat.free();
      }
    } finally {
      for (const t of [tZ, tSoft, tSoft1, tLabelsF]) t.free();
    }
  });

  test('freed tensors and tensors of the wrong size keep their errors', () => {
    const tZ = xent.tensor(shape);
    const tG = xent.tensor([6]);
    const tY = xent.tensor([batch], 'int32');
    try {
      assert.throws(() => xent.sparseCategoricalCrossentropy(labels, tZ, { out: { grad: tG } }), (e) => e instanceof RangeError && /options\.out\.grad must hold 8 values, got a tensor of 6/.test(e.message));
      tY.free();
      assert.throws(() => xent.sparseCategoricalCrossentropy(tY, tZ), (e) => e instanceof TypeError && /yTrue is a tensor that was freed/.test(e.message));
      tZ.free();
      assert.throws(() => xent.sparseCategoricalCrossentropy(labels, tZ), (e) => e instanceof TypeError && /yPred is a tensor that was freed/.test(e.message));
    } finally {
      for (const t of [tZ, tG, tY]) t.free();
    }
  });
});

describe('what a fast path could get wrong', () => {
  test('a reused options object is read afresh on every call, even when mutated in place', () => {
    const losses = new Float32Array(2);
    const grad = new Float32Array(8);
    const o = { fromLogits: true, gradient: true, shape: [2, 4], out: { losses, grad } };
    const a = xent.sparseCategoricalCrossentropy(labels, logits, o);
    closeLoss(a.loss, R.sparseCategoricalCrossentropy(labels, logits, 2, 4, { fromLogits: true }).loss, 'first call');

    o.shape[0] = 4; // now [4, 2]: four examples of two classes
    o.shape[1] = 2;
    o.out = { grad };
    const four = Int32Array.from([1, 0, 0, 1]);
    const b = xent.sparseCategoricalCrossentropy(four, logits, o);
    closeLoss(b.loss, R.sparseCategoricalCrossentropy(four, logits, 4, 2, { fromLogits: true }).loss, 'after the shape changed in place');
    assert.equal(b.losses.length, 4);
    close(grad, R.sparseCategoricalCrossentropy(four, logits, 4, 2, { fromLogits: true }).grad, 'grad after the shape changed');

    o.fromLogits = false;
    o.shape = [2, 4];
    const p = dist;
    const c = xent.sparseCategoricalCrossentropy(labels, p, o);
    closeLoss(c.loss, R.sparseCategoricalCrossentropy(labels, p, 2, 4, {}).loss, 'after fromLogits changed');

    o.fromLogit = true;
    assert.throws(() => xent.sparseCategoricalCrossentropy(labels, p, o), (e) => e instanceof TypeError && /unknown option 'fromLogit' \(did you mean fromLogits\?\)/.test(e.message));
    delete o.fromLogit;
    o.out.extra = 1;
    assert.throws(() => xent.sparseCategoricalCrossentropy(labels, p, o), (e) => e instanceof TypeError && /options\.out has an unknown key 'extra'/.test(e.message));
    delete o.out.extra;
    o.out.grad = new Float32Array(3);
    assert.throws(() => xent.sparseCategoricalCrossentropy(labels, p, o), (e) => e instanceof RangeError && /options\.out\.grad must have length 8, got 3/.test(e.message));
    o.out.grad = grad;
    o.shape[1] = 3;
    assert.throws(() => xent.sparseCategoricalCrossentropy(labels, p, o), (e) => e instanceof RangeError && /yPred has 8 values but options\.shape \[2, 3\] needs 6/.test(e.message));
    o.shape[1] = 4;
    o.gradient = 'yes';
    assert.throws(() => xent.sparseCategoricalCrossentropy(labels, p, o), (e) => e instanceof TypeError && /options\.gradient must be true or false/.test(e.message));
    o.gradient = true;
    const d = xent.sparseCategoricalCrossentropy(labels, p, o);
    assert.equal(d.loss, c.loss, 'the same call after the errors gives the same loss');
  });

  test('an option that one call sets (epsilon, q, temperature, a mask, per-class alpha) is back at its default in the next call', () => {
    // poly-1 from logits, float64: -log p_y + epsilon (1 - p_y), p = softmax(z); mean over the batch.
    const poly = (epsilon) => {
      let sum = 0;
      for (let b = 0; b < batch; b++) {
        const z = Array.from(logits.subarray(b * classes, (b + 1) * classes));
        const m = Math.max(...z);
        const s = z.reduce((a, v) => a + Math.exp(v - m), 0);
        const py = Math.exp(z[labels[b]] - m) / s;
        sum += -Math.log(py) + epsilon * (1 - py);
      }
      return sum / batch;
    };
    const oneHot = Float32Array.from({ length: 8 }, (_, i) => (i % classes === labels[i >> 2] ? 1 : 0));
    const want = R.sparseCategoricalCrossentropy(labels, logits, batch, classes, { fromLogits: true });
    const plainSparse = (what) => {
      const got = xent.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, gradient: true, shape });
      closeLoss(got.loss, want.loss, what);
      close(got.grad, want.grad, `${what}: grad`);
    };
    closeLoss(xent.polyLossCrossentropy(oneHot, logits, { epsilon: 0.5, shape }).loss, poly(0.5), 'poly-1 with epsilon 0.5');
    closeLoss(xent.polyLossCrossentropy(oneHot, logits, { shape }).loss, poly(2), 'poly-1 with the default epsilon 2, after a call with 0.5');
    xent.categoricalGeneralizedCrossentropy(labels, dist, { q: 0.9, shape });
    xent.logitsDistillation(logits, logits.slice().reverse(), { temperature: 7, shape });
    plainSparse('sparse after calls with q and temperature');
    xent.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, mask: [true, false], shape });
    plainSparse('sparse after a masked call');
    xent.categoricalFocalCrossentropy(soft, dist, { alpha: [0.1, 0.2, 0.3, 0.4], shape });
    xent.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, sampleWeight: 2, shape });
    plainSparse('sparse after calls with a per-class alpha and a scalar sample weight');
    closeLoss(xent.polyLossCrossentropy(oneHot, logits, { shape }).loss, poly(2), 'poly-1 with the default epsilon at the end');
  });

  test('an output may be the input it is computed from', () => {
    const z = Float32Array.from(logits);
    const want = R.sparseSoftmaxCrossEntropyWithLogits(labels, logits, batch, classes);
    const got = xent.sparseSoftmaxCrossEntropyWithLogits(labels, z, { shape, out: { grad: z } });
    assert.equal(got.grad, z);
    close(z, want.grad, 'grad written over the logits');
  });

  test('views of wasm memory work as small inputs and outputs, also after the memory grows', () => {
    const tz = xent.tensor(shape);
    const tg = xent.tensor(shape);
    const want = R.sparseSoftmaxCrossEntropyWithLogits(labels, logits, batch, classes);
    try {
      tz.data.set(logits);
      // Plain Float32Array views, not tensors: the small path copies from and to them.
      const z = new Float32Array(tz.data.buffer, tz.data.byteOffset, 8);
      const g = new Float32Array(tg.data.buffer, tg.data.byteOffset, 8);
      xent.sparseSoftmaxCrossEntropyWithLogits(labels, z, { shape, out: { grad: g } });
      close(tg.data, want.grad, 'grad in wasm memory');

      const before = xent.memoryStats().memoryBytes;
      const big = xent.tensor([1 << 22]); // 16 MB: the memory grows and old views detach
      try {
        assert.ok(xent.memoryStats().memoryBytes > before, 'the memory grew');
        tg.data.fill(0);
        const z2 = new Float32Array(tz.data.buffer, tz.data.byteOffset, 8);
        const g2 = new Float32Array(tg.data.buffer, tg.data.byteOffset, 8);
        const got = xent.sparseSoftmaxCrossEntropyWithLogits(labels, z2, { shape, out: { grad: g2 } });
        close(tg.data, want.grad, 'grad in wasm memory after growth');
        close(got.losses, want.losses, 'losses after growth');
      } finally {
        big.free();
      }
    } finally {
      tz.free();
      tg.free();
    }
  });

  test('small calls the fast path refuses give the general path its errors', () => {
    const rangeWith = (f, re) => assert.throws(f, (e) => e instanceof RangeError && re.test(e.message));
    const typeWith = (f, re) => assert.throws(f, (e) => e instanceof TypeError && re.test(e.message));
    rangeWith(() => xent.sparseCategoricalCrossentropy(Int32Array.of(3, 9), logits, { shape }), /yTrue\[1\] = 9 is outside the valid range \[0, 4\)/);
    rangeWith(() => xent.sparseCategoricalCrossentropy(Int32Array.of(3), logits, { shape }), /yTrue has shape \[1\] but yPred has shape \[2, 4\]/);
    rangeWith(() => xent.categoricalCrossentropy(new Float32Array(6), logits, { shape }), /yTrue has shape \[6\] but yPred has shape \[2, 4\]/);
    rangeWith(() => xent.binaryCrossentropy(bits, probs, { shape, out: { losses: new Float32Array(3) } }), /options\.out\.losses must have length 2, got 3/);
    typeWith(() => xent.binaryCrossentropy(bits, probs, { shape, out: { grad: new Float64Array(8) } }), /options\.out\.grad must be a Float32Array \(or a float32 tensor\), got a Float64Array of length 8/);
    rangeWith(() => xent.categoricalCrossentropy(new Float32Array(0), new Float32Array(0)), /yPred has shape \[0\]: the last dimension \(the classes\) must be at least 1/);
    rangeWith(() => xent.sigmoidCrossEntropyWithLogits(bits, logits, { shape: [3, 3] }), /logits has 8 values but options\.shape \[3, 3\] needs 9/);
    rangeWith(() => xent.binaryCrossentropy(bits, probs, { shape, sampleWeight: [1, 2, 3] }), /options\.sampleWeight has 3 values but the batch has 2 examples/);
    rangeWith(() => xent.sparseCategoricalCrossentropy(Int32Array.of(3, -2), logits, { shape, fromLogits: true }), /yTrue\[1\] = -2 is outside the valid range \[0, 4\)/);
  });
});
