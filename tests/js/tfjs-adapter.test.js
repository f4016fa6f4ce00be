// tfjs-adapter.test.js: xent/tfjs (js/tfjs.js) on TF.js's cpu and wasm
// backends in Node: values and gradients (through tf.valueAndGrad, so through
// the adapter's tf.customGrad) against TF.js's own losses where TF.js has them
// (docs/semantics.md section 5.1: tf.losses.softmaxCrossEntropy,
// sigmoidCrossEntropy, logLoss) and against the float64 reference
// (reference.js) for the rest; output shapes of every reduction; gradients of
// per-example losses weighted by an upstream gradient. TF.js and the adapter
// are one bundle (tfjs-adapter-bundle.js), as a user's bundler makes them.
//
// Tolerance as in tfjs.test.js: 1e-5 relative + 1e-6 absolute (TF.js rounds
// each of its 6-8 intermediate tensors to float32), and the same against the
// float64 reference.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAdapter } from './tfjs-adapter-bundle.js';
import * as ref from './reference.js';

const RTOL = 1e-5;
const ATOL = 1e-6;
let tf;
let xt;
let backends;
before(async () => {
  ({ tf, xt, backends } = await loadAdapter());
});

// The largest relative error seen, per peer (TF.js or the float64 reference), printed at the end.
const worst = { 'TF.js': 0, float64: 0 };
let peer = 'TF.js';

function close(what, got, want) {
  assert.equal(got.length, want.length, `${what}: length`);
  const dev = ref.deviation(got, want, RTOL, ATOL);
  worst[peer] = Math.max(worst[peer], dev.relative);
  assert.ok(dev.excess <= 1, `${what}[${dev.at}]: xent/tfjs ${got[dev.at]}, expected ${want[dev.at]}`);
}

// Value and gradient of f at x (a fresh tensor), read back and disposed.
function valueAndGrad(f, x, shape) {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad(f)(tf.tensor(x, shape));
    return { value: value.dataSync().slice(), shape: value.shape, grad: grad.dataSync().slice() };
  });
}

const rand = ref.rng(1717);
const f32 = (n, f) => Float32Array.from({ length: n }, f);
const logits = (n) => f32(n, () => 8 * rand() - 4);
const probs = (n) => f32(n, () => 0.02 + 0.96 * rand());
const ints = (n, classes) => Int32Array.from({ length: n }, () => Math.floor(rand() * classes));
const oneHot = (labels, classes) => {
  const y = new Float32Array(labels.length * classes);
  labels.forEach((k, b) => (y[b * classes + k] = 1));
  return y;
};
const softRows = (batch, classes) => {
  const y = f32(batch * classes, () => rand());
  for (let b = 0; b < batch; b++) {
    let s = 0;
    for (let j = 0; j < classes; j++) s += y[b * classes + j];
    for (let j = 0; j < classes; j++) y[b * classes + j] /= s;
  }
  return y;
};

// A small shape (copied by loops) and one past the main API's 64-value fast path.
const SHAPES = [[3, 5], [37, 11]];

test('every loss of the main API has an entry in xent/tfjs LOSSES and an export of the same name', async () => {
  const { LOSS_EXPORTS } = await import('../../js/load.js');
  // The Keras-style losses spell "Crossentropy" (binaryCrossentropy, polyLossCrossentropy)
  // where the C names follow the upstream function (..._cross_entropy); the tf.nn
  // ops keep "CrossEntropyWithLogits".
  const camel = (c) => c.replace(/^xent_/, '').replace(/_([a-z])/g, (_, l) => l.toUpperCase()).replace(/CrossEntropy$/, 'Crossentropy');
  const names = LOSS_EXPORTS.map(camel);
  assert.deepEqual(Object.keys(xt.LOSSES).sort(), [...names].sort());
  for (const name of names) assert.equal(typeof xt[name], 'function', name);
});

after(() => {
  console.log(`xent/tfjs largest relative error: against TF.js's losses ${worst['TF.js'].toExponential(2)}, against the float64 reference ${worst.float64.toExponential(2)}`);
});

for (const backend of ['cpu', 'wasm']) {
  describe(`xent/tfjs on the TF.js ${backend} backend`, () => {
    before(async () => {
      assert.ok(backends.includes(backend));
      await tf.setBackend(backend);
    });

    for (const [batch, classes] of SHAPES) {
      const shape = [batch, classes];
      const n = batch * classes;

      test(`softmax losses from logits [${batch}, ${classes}] match tf.losses.softmaxCrossEntropy in value and gradient`, () => {
        peer = 'TF.js';
        const z = logits(n);
        const soft = softRows(batch, classes);
        const labels = ints(batch, classes);
        const hot = oneHot(labels, classes);
        const want = valueAndGrad((x) => tf.losses.softmaxCrossEntropy(tf.tensor(soft, shape), x), z, shape);
        const got = valueAndGrad((x) => xt.categoricalCrossentropy(tf.tensor(soft, shape), x, { fromLogits: true }), z, shape);
        assert.deepEqual(got.shape, []);
        close('categoricalCrossentropy loss', got.value, want.value);
        close('categoricalCrossentropy grad', got.grad, want.grad);
        // The rows op: one loss per row; the gradient of their sum is TF.js's SUM reduction's.
        const wantSum = valueAndGrad((x) => tf.losses.softmaxCrossEntropy(tf.tensor(soft, shape), x, undefined, 0, tf.Reduction.SUM), z, shape);
        const rows = tf.tidy(() => xt.softmaxCrossEntropyWithLogits(tf.tensor(soft, shape), tf.tensor(z, shape)).dataSync().slice());
        const wantRows = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.tensor(soft, shape), tf.tensor(z, shape), undefined, 0, tf.Reduction.NONE).dataSync().slice());
        close('softmaxCrossEntropyWithLogits losses', rows, wantRows);
        const gotSum = valueAndGrad((x) => tf.sum(xt.softmaxCrossEntropyWithLogits(tf.tensor(soft, shape), x)), z, shape);
        close('softmaxCrossEntropyWithLogits grad', gotSum.grad, wantSum.grad);
        // Sparse labels: TF.js needs them one-hot.
        const wantHot = valueAndGrad((x) => tf.losses.softmaxCrossEntropy(tf.tensor(hot, shape), x), z, shape);
        for (const dtype of ['int32', 'float32']) {
          const y = () => tf.tensor(Array.from(labels), [batch], dtype);
          const sparse = valueAndGrad((x) => xt.sparseCategoricalCrossentropy(y(), x, { fromLogits: true }), z, shape);
          close(`sparseCategoricalCrossentropy (${dtype} labels) loss`, sparse.value, wantHot.value);
          close(`sparseCategoricalCrossentropy (${dtype} labels) grad`, sparse.grad, wantHot.grad);
        }
        const column = valueAndGrad((x) => xt.sparseCategoricalCrossentropy(tf.tensor(Array.from(labels), [batch, 1]), x, { fromLogits: true }), z, shape);
        close('sparseCategoricalCrossentropy ([batch, 1] labels) grad', column.grad, wantHot.grad);
        const nn = valueAndGrad((x) => tf.mean(xt.sparseSoftmaxCrossEntropyWithLogits(tf.tensor(labels, [batch], 'int32'), x)), z, shape);
        close('sparseSoftmaxCrossEntropyWithLogits grad', nn.grad, wantHot.grad);
      });

      test(`sigmoid losses from logits [${batch}, ${classes}] match tf.losses.sigmoidCrossEntropy in value and gradient`, () => {
        peer = 'TF.js';
        const z = logits(n);
        const y = f32(n, () => (rand() < 0.3 ? rand() : rand() < 0.5 ? 1 : 0));
        const Y = () => tf.tensor(y, shape);
        for (const labelSmoothing of [0, 0.2]) {
          const want = valueAndGrad((x) => tf.losses.sigmoidCrossEntropy(Y(), x, undefined, labelSmoothing), z, shape);
          const got = valueAndGrad((x) => xt.binaryCrossentropy(Y(), x, { fromLogits: true, labelSmoothing }), z, shape);
          close(`binaryCrossentropy (smoothing ${labelSmoothing}) loss`, got.value, want.value);
          close(`binaryCrossentropy (smoothing ${labelSmoothing}) grad`, got.grad, want.grad);
        }
        const wantNone = tf.tidy(() => tf.losses.sigmoidCrossEntropy(Y(), tf.tensor(z, shape), undefined, 0, tf.Reduction.NONE).dataSync().slice());
        const elements = tf.tidy(() => {
          const out = xt.sigmoidCrossEntropyWithLogits(Y(), tf.tensor(z, shape));
          assert.deepEqual(out.shape, shape);
          return out.dataSync().slice();
        });
        close('sigmoidCrossEntropyWithLogits losses', elements, wantNone);
        const wantSum = valueAndGrad((x) => tf.losses.sigmoidCrossEntropy(Y(), x, undefined, 0, tf.Reduction.SUM), z, shape);
        const gotSum = valueAndGrad((x) => tf.sum(xt.sigmoidCrossEntropyWithLogits(Y(), x)), z, shape);
        close('sigmoidCrossEntropyWithLogits grad', gotSum.grad, wantSum.grad);
      });

      test(`binary cross-entropy on probabilities [${batch}, ${classes}] matches tf.losses.logLoss away from the clip`, () => {
        peer = 'TF.js';
        // logLoss adds 1e-7 inside the logs where Keras clips: within 1e-5 for p in [0.02, 0.98].
        const p = probs(n);
        const y = f32(n, () => (rand() < 0.5 ? 1 : 0));
        const want = valueAndGrad((x) => tf.losses.logLoss(tf.tensor(y, shape), x), p, shape);
        const got = valueAndGrad((x) => xt.binaryCrossentropy(tf.tensor(y, shape), x), p, shape);
        close('binaryCrossentropy loss', got.value, want.value);
        close('binaryCrossentropy grad', got.grad, want.grad);
      });

      test(`focal, weighted and probability losses [${batch}, ${classes}] match the float64 reference`, () => {
        peer = 'float64';
        const z = logits(n);
        const p = probs(n);
        const y01 = f32(n, () => (rand() < 0.4 ? 1 : 0));
        const soft = softRows(batch, classes);
        const cases = [
          ['binaryFocalCrossentropy', y01, z, { fromLogits: true, gamma: 2, alpha: 0.3, applyClassBalancing: true }],
          ['binaryFocalCrossentropy', y01, p, { gamma: 1.5 }],
          ['categoricalFocalCrossentropy', soft, z, { fromLogits: true, alpha: 0.25, gamma: 2 }],
          ['categoricalCrossentropy', soft, p, { labelSmoothing: 0.1 }],
          ['binaryCrossentropy', y01, z, { fromLogits: true, reduction: 'sum' }],
        ];
        for (const [name, y, x, options] of cases) {
          const want = ref[name](y, x, batch, classes, options);
          const got = valueAndGrad((t) => xt[name](tf.tensor(y, shape), t, options), x, shape);
          close(`${name} ${JSON.stringify(options)} loss`, got.value, [want.loss]);
          close(`${name} ${JSON.stringify(options)} grad`, got.grad, want.grad);
        }
        const posWeight = 3;
        const want = ref.weightedCrossEntropyWithLogits(y01, z, posWeight);
        const losses = tf.tidy(() => xt.weightedCrossEntropyWithLogits(tf.tensor(y01, shape), tf.tensor(z, shape), posWeight).dataSync().slice());
        close('weightedCrossEntropyWithLogits losses', losses, want.losses);
        const got = valueAndGrad((t) => tf.sum(xt.weightedCrossEntropyWithLogits(tf.tensor(y01, shape), t, posWeight)), z, shape);
        close('weightedCrossEntropyWithLogits grad', got.grad, want.grad);
      });

      test(`sparse labels [${batch}, ${classes}] with ignoreClass and tensor weights match the float64 reference`, () => {
        peer = 'float64';
        const z = logits(n);
        const labels = ints(batch, classes);
        labels[0] = classes - 1; // at least one ignored row
        const sw = f32(batch, () => 0.5 + rand());
        const cw = f32(classes, () => 0.5 + rand());
        for (const reduction of ['sum_over_batch_size', 'mean_with_sample_weight']) {
          const options = { fromLogits: true, ignoreClass: classes - 1, reduction };
          const want = ref.sparseCategoricalCrossentropy(labels, z, batch, classes, { ...options, sampleWeight: sw, classWeight: cw });
          const got = valueAndGrad((t) => xt.sparseCategoricalCrossentropy(tf.tensor(labels, [batch], 'int32'), t, {
            ...options, sampleWeight: tf.tensor(sw), classWeight: tf.tensor(cw),
          }), z, shape);
          close(`${reduction} loss`, got.value, [want.loss]);
          close(`${reduction} grad`, got.grad, want.grad);
        }
      });

      test(`reduction 'none' [${batch}, ${classes}] returns the batch shape and passes each example's upstream gradient`, () => {
        peer = 'float64';
        const z = logits(n);
        const labels = ints(batch, classes);
        const dy = f32(batch, () => 2 * rand() - 1);
        const want = ref.sparseCategoricalCrossentropy(labels, z, batch, classes, { fromLogits: true, reduction: 'none' });
        const got = valueAndGrad((t) => {
          const losses = xt.sparseCategoricalCrossentropy(tf.tensor(labels, [batch], 'int32'), t, { fromLogits: true, reduction: 'none' });
          assert.deepEqual(losses.shape, [batch]);
          return tf.sum(tf.mul(losses, tf.tensor(dy)));
        }, z, shape);
        const weighted = want.grad.map((g, i) => g * dy[Math.floor(i / classes)]);
        close("'none' grad", got.grad, weighted);
        const losses = tf.tidy(() => xt.sparseCategoricalCrossentropy(tf.tensor(labels, [batch], 'int32'), tf.tensor(z, shape), { fromLogits: true, reduction: 'none' }).dataSync().slice());
        close("'none' losses", losses, want.losses);
      });
    }

    test('a three-dimensional prediction keeps its batch dimensions with reduction none', () => {
      peer = 'float64';
      const shape = [2, 3, 4];
      const z = logits(24);
      const labels = ints(6, 4);
      const want = ref.sparseCategoricalCrossentropy(labels, z, 6, 4, { fromLogits: true, reduction: 'none' });
      const out = tf.tidy(() => {
        const t = xt.sparseCategoricalCrossentropy(tf.tensor(labels, [2, 3], 'int32'), tf.tensor(z, shape), { fromLogits: true, reduction: 'none' });
        return { shape: t.shape, values: t.dataSync().slice() };
      });
      assert.deepEqual(out.shape, [2, 3]);
      close('3-D losses', out.values, want.losses);
      const g = valueAndGrad((t) => xt.sparseCategoricalCrossentropy(tf.tensor(labels, [2, 3, 1], 'int32'), t, { fromLogits: true }), z, shape);
      close('3-D grad', g.grad, ref.sparseCategoricalCrossentropy(labels, z, 6, 4, { fromLogits: true }).grad);
    });

    test('a reduced loss under an upstream gradient other than 1 scales its gradient by it', () => {
      peer = 'float64';
      const z = logits(40);
      const soft = softRows(4, 10);
      const want = ref.categoricalCrossentropy(soft, z, 4, 10, { fromLogits: true });
      for (const k of [3, -0.5, 0]) {
        const got = valueAndGrad((t) => tf.mul(xt.categoricalCrossentropy(tf.tensor(soft, [4, 10]), t, { fromLogits: true }), k), z, [4, 10]);
        close(`grad times ${k}`, got.grad, want.grad.map((g) => k * g));
      }
    });

    test('a one-dimensional prediction is one example: a scalar loss from every kind of loss', () => {
      peer = 'float64';
      const z = [0.5, -1, 2];
      const want = ref.softmaxCrossEntropyWithLogits([0, 0, 1], z, 1, 3);
      const rows = valueAndGrad((t) => xt.softmaxCrossEntropyWithLogits(tf.tensor([0, 0, 1]), t), z, [3]);
      assert.deepEqual(rows.shape, []);
      close('rows op loss', rows.value, want.losses);
      close('rows op grad', rows.grad, want.grad);
      const none = valueAndGrad((t) => xt.sparseCategoricalCrossentropy(tf.scalar(2, 'int32'), t, { fromLogits: true, reduction: 'none' }), z, [3]);
      assert.deepEqual(none.shape, []);
      close("'none' loss", none.value, want.losses);
      const elements = valueAndGrad((t) => tf.sum(xt.sigmoidCrossEntropyWithLogits(tf.tensor([0, 0, 1]), t)), z, [3]);
      close('elementwise grad', elements.grad, ref.sigmoidCrossEntropyWithLogits([0, 0, 1], z).grad);
    });

    test('a loss and its gradient copy the predictions once into xent and the gradient once out', () => {
      // Counts the copies of at least the predictions' size made through typed
      // arrays' set and slice (how xent and TF.js move data) during one step.
      const [batch, classes] = [64, 1000];
      const x = tf.tensor(logits(batch * classes), [batch, classes]);
      const y = tf.tensor(ints(batch, classes), [batch], 'int32');
      const bytes = batch * classes * 4;
      const proto = Object.getPrototypeOf(Int8Array.prototype);
      const { set, slice } = proto;
      const copies = [];
      proto.set = function (src, offset) {
        if ((src.byteLength ?? src.length * 8) >= bytes) copies.push(`set ${this.constructor.name}`);
        return set.call(this, src, offset);
      };
      proto.slice = function (...args) {
        const r = slice.apply(this, args);
        if (r.byteLength >= bytes) copies.push(`slice ${this.constructor.name}`);
        return r;
      };
      let shape;
      try {
        tf.tidy(() => {
          const { grad } = tf.valueAndGrad((t) => xt.sparseCategoricalCrossentropy(y, t, { fromLogits: true }))(x);
          shape = grad.shape;
        });
      } finally {
        proto.set = set;
        proto.slice = slice;
      }
      assert.deepEqual(shape, [batch, classes]);
      assert.equal(copies.length, 2, copies.join(', '));
      tf.dispose([x, y]);
    });

    test('a call outside any gradient tape computes the loss and leaves only its result', () => {
      peer = 'float64';
      const y = tf.tensor([[0, 1, 0]]);
      const x = tf.tensor([[1, 2, 3]]);
      const n = tf.memory().numTensors;
      const out = xt.categoricalCrossentropy(y, x, { fromLogits: true });
      assert.equal(tf.memory().numTensors, n + 1);
      const want = ref.categoricalCrossentropy([0, 1, 0], [1, 2, 3], 1, 3, { fromLogits: true });
      close('loss', out.dataSync(), [want.loss]);
      tf.dispose([out, x, y]);
    });
  });
}
