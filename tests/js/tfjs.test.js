// tfjs.test.js: xent against TensorFlow.js 4 (tfjs-core + the cpu backend,
// gradients by tf.grad) for every loss TF.js has, on random and extreme
// inputs (docs/semantics.md section 5):
//   tf.losses.sigmoidCrossEntropy  <-> sigmoidCrossEntropyWithLogits, binaryCrossentropy({ fromLogits })
//   tf.losses.softmaxCrossEntropy  <-> softmaxCrossEntropyWithLogits, categoricalCrossentropy({ fromLogits })
//   softmaxCrossEntropy(oneHot(y)) <-> sparseSoftmaxCrossEntropyWithLogits, sparseCategoricalCrossentropy({ fromLogits })
//   tfjs-layers' binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy
//     (what tf.metrics.* and compile({ loss }) run) <-> the probability paths.
// The three layers functions are composed here from tfjs-core ops exactly as
// docs/semantics.md section 5.2 describes their source (the sparse one has no
// tf.metrics export, and composing them exposes the documented differences);
// values and gradients are still computed by TF.js kernels and autodiff. The
// real tf.metrics functions are checked in tfjs-metrics.test.js. TF.js has no focal loss and no
// weighted_cross_entropy_with_logits. Where the semantics differ (section 5.3
// and xent's decisions), the test states the difference and checks it, rather
// than widening the tolerance.
//
// Tolerance: TF.js rounds every intermediate tensor to float32, so a result is
// compared within 1e-5 relative of its own magnitude plus 1e-6 absolute (about
// 100 float32 ulps: log-sum-exp and the logit round trip of the layers BCE
// chain 6 to 8 rounded ops and cancel terms). Prints the largest deviation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { loadTf } from './tfjs-bundle.js';
import { EPS, deviation, rng } from './reference.js';

const RTOL = 1e-5;
const ATOL = 1e-6;
const worst = {};

let tf;
before(async () => {
  tf = await loadTf();
  await xent.init();
});

function close(name, kind, got, want) {
  const dev = deviation(got, want, RTOL, ATOL);
  const w = (worst[name] ||= { losses: 0, loss: 0, grad: 0 });
  w[kind] = Math.max(w[kind], dev.relative);
  assert.ok(dev.excess <= 1, `${name} ${kind}[${dev.at}]: xent ${got[dev.at]}, TF.js ${want[dev.at]}`);
}

// TF.js value and gradient of a scalar function of one input tensor.
function tfValueAndGrad(f, x, shape) {
  return tf.tidy(() => {
    const t = tf.tensor(x, shape);
    const { value, grad } = tf.valueAndGrad(f)(t);
    return { value: value.dataSync()[0], grad: grad.dataSync().slice() };
  });
}
const tfValues = (f) => tf.tidy(() => f().dataSync().slice());

// tfjs-layers' losses (docs/semantics.md 5.2), from tfjs-core ops.
const layers = {
  binaryCrossentropy(y, p) {
    const eps = tf.backend().epsilon();
    const q = tf.clipByValue(p, eps, 1 - eps);
    const logit = tf.log(tf.div(q, tf.sub(1, q)));
    return tf.mean(tf.losses.sigmoidCrossEntropy(y, logit, undefined, 0, tf.Reduction.NONE), -1);
  },
  categoricalCrossentropy(y, p, fromLogits = false) {
    const eps = tf.backend().epsilon();
    const q = fromLogits ? tf.softmax(p) : tf.div(p, tf.sum(p, -1, true));
    return tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(q, eps, 1 - eps))), -1));
  },
  sparseCategoricalCrossentropy(labels, p, fromLogits = false) {
    const eps = tf.backend().epsilon();
    const C = p.shape[p.shape.length - 1];
    const oneHot = tf.cast(tf.oneHot(tf.cast(tf.floor(labels), 'int32'), C), 'float32');
    return layers.categoricalCrossentropy(oneHot, tf.clipByValue(p, eps, 1 - eps), fromLogits);
  },
};

const rand = rng(4242);
const uniform = (lo, hi) => lo + (hi - lo) * rand();
const f32 = (n, f) => Float32Array.from({ length: n }, f);
const oneHotRows = (batch, classes, ints) => {
  const y = new Float32Array(batch * classes);
  ints.forEach((k, b) => (y[b * classes + k] = 1));
  return y;
};

const SHAPES = [[1, 1], [3, 2], [4, 5], [2, 33], [3, 1000]];
const EXTREME_LOGITS = [1e30, -1e30, 90, -90, 0, 17, -17, 1e-30];
const EXTREME_PROBS = [0, 1, 1e-7, 1 - 1e-7, 1e-30, 0.5, 1e-3, 0.999];

// Extreme rows hold each extreme value, the huge ones at most once per row: a
// maximum of 1e30 shared by k classes is a documented difference (below).
function logitsFor(batch, classes, extreme) {
  if (!extreme) return f32(batch * classes, () => uniform(-8, 8));
  const z = new Float32Array(batch * classes);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < classes; j++) {
      const k = (j + 3 * b) % classes;
      z[b * classes + j] = k < EXTREME_LOGITS.length ? EXTREME_LOGITS[k] : uniform(-90, 90);
    }
  }
  return z;
}

describe('sigmoid cross-entropy from logits matches tf.losses.sigmoidCrossEntropy', () => {
  for (const [batch, classes] of SHAPES) {
    for (const extreme of [false, true]) {
      test(`[${batch}, ${classes}]${extreme ? ' at extreme logits' : ''}`, () => {
        const n = batch * classes;
        const shape = [batch, classes];
        const y = f32(n, () => (rand() < 0.3 ? rand() : rand() < 0.5 ? 1 : 0));
        const z = logitsFor(batch, classes, extreme);
        const yT = () => tf.tensor(y, shape);
        // Elementwise and unreduced; gradient of the sum.
        const ours = xent.sigmoidCrossEntropyWithLogits(y, z, { shape, gradient: true });
        close('sigmoidCrossEntropyWithLogits', 'losses', ours.losses, tfValues(() => tf.losses.sigmoidCrossEntropy(yT(), tf.tensor(z, shape), undefined, 0, tf.Reduction.NONE)));
        const sum = tfValueAndGrad((x) => tf.losses.sigmoidCrossEntropy(yT(), x, undefined, 0, tf.Reduction.SUM), z, shape);
        close('sigmoidCrossEntropyWithLogits', 'grad', ours.grad, sum.grad);
        // Keras binary cross-entropy from logits: the mean over classes, then over
        // the batch, is TF.js's mean over all elements (SUM_BY_NONZERO_WEIGHTS
        // without weights); label smoothing is y(1 - s) + s/2 in both.
        for (const labelSmoothing of [0, 0.2]) {
          const k = xent.binaryCrossentropy(y, z, { shape, fromLogits: true, labelSmoothing, gradient: true });
          const t = tfValueAndGrad((x) => tf.losses.sigmoidCrossEntropy(yT(), x, undefined, labelSmoothing), z, shape);
          close('binaryCrossentropy', 'loss', [k.loss], [t.value]);
          close('binaryCrossentropy', 'grad', k.grad, t.grad);
          const perExample = tfValues(() => tf.mean(tf.losses.sigmoidCrossEntropy(yT(), tf.tensor(z, shape), undefined, labelSmoothing, tf.Reduction.NONE), -1));
          close('binaryCrossentropy', 'losses', k.losses, perExample);
        }
      });
    }
  }
});

describe('softmax cross-entropy from logits matches tf.losses.softmaxCrossEntropy', () => {
  for (const [batch, classes] of SHAPES) {
    for (const extreme of [false, true]) {
      test(`[${batch}, ${classes}]${extreme ? ' at extreme logits' : ''}`, () => {
        const n = batch * classes;
        const shape = [batch, classes];
        const z = logitsFor(batch, classes, extreme);
        const ints = Int32Array.from({ length: batch }, () => Math.floor(rand() * classes));
        const oneHot = oneHotRows(batch, classes, ints);
        // Soft rows summing to 1 (the case where TF.js's gradient is exact).
        const soft = f32(n, () => rand());
        for (let b = 0; b < batch; b++) {
          let s = 0;
          for (let j = 0; j < classes; j++) s += soft[b * classes + j];
          for (let j = 0; j < classes; j++) soft[b * classes + j] /= s;
        }
        for (const y of [oneHot, soft]) {
          const ours = xent.softmaxCrossEntropyWithLogits(y, z, { shape, gradient: true });
          close('softmaxCrossEntropyWithLogits', 'losses', ours.losses, tfValues(() => tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), tf.tensor(z, shape), undefined, 0, tf.Reduction.NONE)));
          const sum = tfValueAndGrad((x) => tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), x, undefined, 0, tf.Reduction.SUM), z, shape);
          close('softmaxCrossEntropyWithLogits', 'grad', ours.grad, sum.grad);
          // Keras categorical cross-entropy from logits, smoothing y(1 - s) + s/C
          // (TF.js divides by shape[1], the same axis for 2-D inputs).
          for (const labelSmoothing of [0, 0.1]) {
            const k = xent.categoricalCrossentropy(y, z, { shape, fromLogits: true, labelSmoothing, gradient: true });
            const t = tfValueAndGrad((x) => tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), x, undefined, labelSmoothing), z, shape);
            close('categoricalCrossentropy', 'loss', [k.loss], [t.value]);
            close('categoricalCrossentropy', 'grad', k.grad, t.grad);
          }
        }
        // Integer labels: TF.js has no sparse op; tf.oneHot then softmaxCrossEntropy
        // (tf.oneHot needs at least 2 classes).
        if (classes < 2) return;
        const sparse = xent.sparseSoftmaxCrossEntropyWithLogits(ints, z, { shape, gradient: true });
        const oh = () => tf.cast(tf.oneHot(tf.tensor1d(ints, 'int32'), classes), 'float32');
        close('sparseSoftmaxCrossEntropyWithLogits', 'losses', sparse.losses, tfValues(() => tf.losses.softmaxCrossEntropy(oh(), tf.tensor(z, shape), undefined, 0, tf.Reduction.NONE)));
        const t = tfValueAndGrad((x) => tf.losses.softmaxCrossEntropy(oh(), x), z, shape);
        close('sparseSoftmaxCrossEntropyWithLogits', 'grad', sparse.grad, tfValueAndGrad((x) => tf.losses.softmaxCrossEntropy(oh(), x, undefined, 0, tf.Reduction.SUM), z, shape).grad);
        const k = xent.sparseCategoricalCrossentropy(ints, z, { shape, fromLogits: true, gradient: true });
        close('sparseCategoricalCrossentropy', 'loss', [k.loss], [t.value]);
        close('sparseCategoricalCrossentropy', 'grad', k.grad, t.grad);
      });
    }
  }

  test("documented difference: TF.js's float32 log-sum-exp drops log k when k logits tie at a huge maximum; xent keeps it", () => {
    const z = [[1e30, 1e30, -5]];
    const y = [[1, 0, 0]];
    const theirs = tfValues(() => tf.losses.softmaxCrossEntropy(tf.tensor(y), tf.tensor(z), undefined, 0, tf.Reduction.NONE))[0];
    assert.equal(theirs, 0, 'TF.js: 1e30 + log 2 rounds to 1e30 before the subtraction');
    const ours = xent.softmaxCrossEntropyWithLogits(y, z, { gradient: true });
    close('softmaxCrossEntropyWithLogits', 'losses', ours.losses, [Math.LN2]);
    close('softmaxCrossEntropyWithLogits', 'grad', ours.grad, [-0.5, 0.5, 0]);
  });

  test('documented difference: for label rows not summing to 1, xent returns the exact gradient (sum y) softmax - y, TF.js softmax - y', () => {
    const shape = [2, 4];
    const y = new Float32Array([0.5, 0.2, 0, 0, 1, 1, 0, 1]); // row sums 0.7 and 3
    const z = new Float32Array([1, -2, 0.5, 3, 0, 2, -1, 1]);
    const ours = xent.softmaxCrossEntropyWithLogits(y, z, { shape, gradient: true });
    const theirs = tfValueAndGrad((x) => tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), x, undefined, 0, tf.Reduction.SUM), z, shape).grad;
    const softmax = tfValues(() => tf.softmax(tf.tensor(z, shape)));
    const rowSum = [0.7, 3];
    // xent = TF.js + (sum y - 1) softmax, element by element.
    const expected = theirs.map((g, i) => g + (rowSum[Math.floor(i / 4)] - 1) * softmax[i]);
    close('softmaxCrossEntropyWithLogits', 'grad', ours.grad, expected);
    // The losses agree: only the gradient convention differs.
    close('softmaxCrossEntropyWithLogits', 'losses', ours.losses, tfValues(() => tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), tf.tensor(z, shape), undefined, 0, tf.Reduction.NONE)));
  });
});

describe("the probability paths match tfjs-layers' losses (what tf.metrics and compile() use)", () => {
  for (const [batch, classes] of SHAPES) {
    for (const extreme of [false, true]) {
      test(`[${batch}, ${classes}]${extreme ? ' at probabilities of exactly 0 and 1' : ''}`, () => {
        const n = batch * classes;
        const shape = [batch, classes];
        const p = f32(n, (_, i) => (extreme ? EXTREME_PROBS[(i * 5 + 1) % EXTREME_PROBS.length] : uniform(0.001, 0.999)));
        const bits = f32(n, () => (rand() < 0.5 ? 1 : 0));
        const ints = Int32Array.from({ length: batch }, () => Math.floor(rand() * classes));
        const oneHot = oneHotRows(batch, classes, ints);

        const b = xent.binaryCrossentropy(bits, p, { shape, gradient: true });
        close('binaryCrossentropy', 'losses', b.losses, tfValues(() => layers.binaryCrossentropy(tf.tensor(bits, shape), tf.tensor(p, shape))));
        const tb = tfValueAndGrad((x) => tf.mean(layers.binaryCrossentropy(tf.tensor(bits, shape), x)), p, shape);
        close('binaryCrossentropy', 'loss', [b.loss], [tb.value]);
        // TF.js differentiates relu(x) - x y + log1p(exp(-|x|)) at x = logit(p) by
        // adding float32 terms of the size of the upstream gradient that cancel
        // to about sigmoid(x) - y = -(1 - p); the chain rule through logit(p) then
        // multiplies that rounding by 1 / (p (1 - p)). Near p = 1 its gradient is
        // off by about 2^-24 / (1 - p) relative (25% at the clip bound 1 - 2^-23;
        // the documented-difference test below). Those elements are compared with
        // the float64 reference in api.test.js instead.
        const exact = (i) => !(p[i] > 1 - 2 ** -10 && p[i] <= 1 - 2 ** -23);
        const keep = Array.from(p.keys()).filter(exact);
        close('binaryCrossentropy', 'grad', keep.map((i) => b.grad[i]), keep.map((i) => tb.grad[i]));

        // Rows with a positive sum (an all-zero row is a documented difference below).
        const c = xent.categoricalCrossentropy(oneHot, p, { shape, gradient: true });
        const tc = tfValueAndGrad((x) => tf.mean(layers.categoricalCrossentropy(tf.tensor(oneHot, shape), x)), p, shape);
        const rowsPositive = Array.from({ length: batch }, (_, r) => p.subarray(r * classes, (r + 1) * classes).some((v) => v > 0)).every(Boolean);
        if (rowsPositive) {
          close('categoricalCrossentropy', 'losses', c.losses, tfValues(() => layers.categoricalCrossentropy(tf.tensor(oneHot, shape), tf.tensor(p, shape))));
          close('categoricalCrossentropy', 'loss', [c.loss], [tc.value]);
          close('categoricalCrossentropy', 'grad', c.grad, tc.grad);
        }

        // Sparse: Keras clips, logs, then normalises (log S' - log p'_y); tfjs-layers
        // clips, one-hots, normalises by S' and clips again: the same value and
        // gradient unless the second clip bites (p'_y / S' outside the clip bounds).
        const s = xent.sparseCategoricalCrossentropy(ints, p, { shape, gradient: true });
        if (classes < 2) return; // tf.oneHot needs at least 2 classes
        const floatLabels = () => tf.tensor(Float32Array.from(ints), [batch]);
        const ts = tfValueAndGrad((x) => tf.mean(layers.sparseCategoricalCrossentropy(floatLabels(), x)), p, shape);
        const secondClip = Array.from(ints).some((k, r) => {
          const row = Array.from(p.subarray(r * classes, (r + 1) * classes), (v) => Math.min(Math.max(v, EPS), 1 - 2 ** -23));
          const q = row[k] / row.reduce((a, v) => a + v, 0);
          return q < EPS || q > 1 - 2 ** -23;
        });
        if (!secondClip) {
          close('sparseCategoricalCrossentropy', 'loss', [s.loss], [ts.value]);
          close('sparseCategoricalCrossentropy', 'grad', s.grad, ts.grad);
        }
      });
    }
  }

  test("documented difference: near p = 1 TF.js's float32 gradient of the binary loss cancels; xent's is exact", () => {
    // Six examples: the mean's upstream gradient 1/6 is not a power of two.
    const p = new Float32Array(6).fill(1 - 2 ** -23); // the upper clip bound, where the gradient still flows
    const y = new Float32Array(6).fill(1);
    const exact = (p[0] - 1) / (p[0] * (1 - p[0])) / 6; // d/dp of mean(-log p)
    const theirs = tfValueAndGrad((x) => tf.mean(layers.binaryCrossentropy(tf.tensor(y, [6, 1]), x)), p, [6, 1]).grad[0];
    const ours = xent.binaryCrossentropy(y, p, { shape: [6, 1], gradient: true }).grad[0];
    close('binaryCrossentropy', 'grad', [ours], [exact]);
    assert.ok(Math.abs(theirs - exact) > 0.1 * Math.abs(exact), `TF.js gives ${theirs}, the exact gradient is ${exact}`);
  });

  test('documented difference: an all-zero probability row is NaN in TF.js (and Keras) and finite in xent', () => {
    const y = [[0, 1, 0]];
    const p = [[0, 0, 0]];
    const theirs = tfValues(() => layers.categoricalCrossentropy(tf.tensor(y), tf.tensor(p)));
    assert.ok(Number.isNaN(theirs[0]), 'TF.js: 0/0 in the normalisation');
    const ours = xent.categoricalCrossentropy(y, p, { gradient: true });
    close('categoricalCrossentropy', 'loss', [ours.loss], [-Math.log(EPS)]);
    assert.deepEqual(Array.from(ours.grad), [0, 0, 0]);
  });

  test("documented difference: tfjs-layers' sparse loss clips logits before the softmax; xent uses the exact log-softmax", () => {
    const z = [[4, -1, 0.5]];
    const theirs = tfValues(() => layers.sparseCategoricalCrossentropy(tf.tensor([0], [1], 'float32'), tf.tensor(z), true))[0];
    const exact = tfValues(() => tf.losses.softmaxCrossEntropy(tf.tensor([[1, 0, 0]]), tf.tensor(z), undefined, 0, tf.Reduction.NONE))[0];
    const ours = xent.sparseCategoricalCrossentropy([0], z, { fromLogits: true }).loss;
    close('sparseCategoricalCrossentropy', 'loss', [ours], [exact]);
    assert.ok(Math.abs(theirs - ours) > 0.5, `tfjs-layers gives ${theirs} (softmax of the clipped logits), xent ${ours}`);
  });

  test('documented difference: an out-of-range sparse label is a zero one-hot row (loss 0) in TF.js and an error in xent', () => {
    const theirs = tfValues(() => tf.losses.softmaxCrossEntropy(tf.cast(tf.oneHot(tf.tensor1d([3], 'int32'), 3), 'float32'), tf.tensor([[1, 2, 3]]), undefined, 0, tf.Reduction.NONE));
    assert.equal(theirs[0], 0);
    assert.throws(() => xent.sparseSoftmaxCrossEntropyWithLogits([3], [[1, 2, 3]]), RangeError);
  });
});

after(() => {
  const lines = Object.entries(worst).map(([fn, w]) => `${fn.padEnd(36)} losses ${w.losses.toExponential(2)}  loss ${w.loss.toExponential(2)}  grad ${w.grad.toExponential(2)}`);
  console.log(`# largest relative difference vs TensorFlow.js ${tf ? tf.version_core : ''} (cpu backend):\n# ${lines.join('\n# ')}`);
});
