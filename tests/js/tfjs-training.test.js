// tfjs-training.test.js: training TF.js models with xent/tfjs (js/tfjs.js) on
// the cpu and wasm backends in Node: tf.variableGrads and optimizer.minimize
// inside tf.tidy lower the loss and leave tf.memory().numTensors unchanged over
// 200 steps; a tfjs-layers model.compile({ loss }) + model.fit with sparse
// class-index targets ([batch, 1] float32) after acceptSparseLabels; and the
// errors for wrong dtypes, shapes and labels, which name the argument as the
// main API does (docs/semantics.md sections 2.2 and 2.5 for the label rules).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAdapter } from './tfjs-adapter-bundle.js';

let tf;
let tfl;
let xt;
let xent;
before(async () => {
  ({ tf, tfl, xt, xent } = await loadAdapter());
});

// Three separable classes in 4 dimensions: x ~ N(0, 1), class = argmax(x W).
function blobs(n, seed) {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, 4], 0, 1, 'float32', seed);
    const w = tf.randomNormal([4, 3], 0, 1, 'float32', seed + 1);
    const cls = tf.argMax(tf.matMul(x, w), 1);
    return { x, labels: cls, column: tf.reshape(tf.cast(cls, 'float32'), [n, 1]) };
  });
}

for (const backend of ['cpu', 'wasm']) {
  describe(`training with xent/tfjs on the TF.js ${backend} backend`, () => {
    before(async () => {
      await tf.setBackend(backend);
    });

    test('200 optimizer.minimize steps inside tf.tidy lower the loss and leave numTensors unchanged', () => {
      const data = blobs(128, 7);
      const w1 = tf.variable(tf.randomNormal([4, 16], 0, 0.5, 'float32', 3));
      const b1 = tf.variable(tf.zeros([16]));
      const w2 = tf.variable(tf.randomNormal([16, 3], 0, 0.5, 'float32', 4));
      const opt = tf.train.adam(0.02);
      const loss = () => {
        const h = tf.relu(tf.add(tf.matMul(data.x, w1), b1));
        return xt.sparseCategoricalCrossentropy(data.labels, tf.matMul(h, w2), { fromLogits: true });
      };
      const step = () => tf.tidy(() => opt.minimize(loss, true).dataSync()[0]);
      const first = step(); // creates the optimizer's slots
      const count = tf.memory().numTensors;
      const buffers = xent.memoryStats().liveTensors;
      let last;
      for (let i = 0; i < 200; i++) last = step();
      assert.equal(tf.memory().numTensors, count, 'tensors after 200 steps');
      assert.equal(xent.memoryStats().liveTensors, buffers, "xent's gradient buffers after 200 steps");
      assert.ok(buffers <= 2, `${buffers} gradient buffers kept for reuse`);
      assert.ok(last < 0.5 * first, `loss went from ${first} to ${last}`);
      opt.dispose();
      tf.dispose([w1, b1, w2, data.x, data.labels, data.column]);
    });

    test('a loss recorded on a tape but never differentiated frees its waiting gradient at the next call', () => {
      const z = tf.variable(tf.randomNormal([8, 5], 0, 1, 'float32', 13));
      const y = tf.tensor([0, 1, 2, 3, 4, 0, 1, 2], [8], 'int32');
      const count = tf.memory().numTensors;
      for (let step = 0; step < 10; step++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            xt.sparseCategoricalCrossentropy(y, tf.mul(z, 2), { fromLogits: true }); // a metric: not differentiated
            return xt.sparseCategoricalCrossentropy(y, z, { fromLogits: true });
          });
          assert.deepEqual(grads[z.name].shape, [8, 5]);
        });
        // The metric's gradient waits until the next call; at most two more are kept for reuse.
        assert.ok(xent.memoryStats().liveTensors <= 3, `${xent.memoryStats().liveTensors} buffers after step ${step}`);
      }
      tf.dispose(xt.sparseCategoricalCrossentropy(y, z, { fromLogits: true }));
      assert.ok(xent.memoryStats().liveTensors <= 2, 'only the buffers kept for reuse');
      assert.equal(tf.memory().numTensors, count);
      tf.dispose([z, y]);
    });

    test('tf.variableGrads through every loss gives a gradient of the predictions shape and no leak', () => {
      const z = tf.variable(tf.randomNormal([6, 3], 0, 1, 'float32', 11));
      const p = tf.variable(tf.sigmoid(tf.randomNormal([6, 3], 0, 1, 'float32', 12)));
      const dense = tf.tensor([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1]]);
      const sparse = tf.tensor([1, 0, 2, 1, 0, 2], [6], 'int32');
      const calls = {
        binaryCrossentropy: () => xt.binaryCrossentropy(dense, p),
        categoricalCrossentropy: () => xt.categoricalCrossentropy(dense, z, { fromLogits: true }),
        sparseCategoricalCrossentropy: () => xt.sparseCategoricalCrossentropy(sparse, z, { fromLogits: true }),
        binaryFocalCrossentropy: () => xt.binaryFocalCrossentropy(dense, p),
        categoricalFocalCrossentropy: () => xt.categoricalFocalCrossentropy(dense, z, { fromLogits: true }),
        sigmoidCrossEntropyWithLogits: () => tf.mean(xt.sigmoidCrossEntropyWithLogits(dense, z)),
        weightedCrossEntropyWithLogits: () => tf.mean(xt.weightedCrossEntropyWithLogits(dense, z, 2)),
        softmaxCrossEntropyWithLogits: () => tf.mean(xt.softmaxCrossEntropyWithLogits(dense, z)),
        sparseSoftmaxCrossEntropyWithLogits: () => tf.mean(xt.sparseSoftmaxCrossEntropyWithLogits(sparse, z)),
        klDivergence: () => xt.klDivergence(dense, p),
        logitsDistillation: () => xt.logitsDistillation(tf.mul(dense, 4), z, { temperature: 2 }),
        categoricalGeneralizedCrossentropy: () => xt.categoricalGeneralizedCrossentropy(sparse, z, { fromLogits: true }),
        polyLossCrossentropy: () => xt.polyLossCrossentropy(dense, z),
      };
      assert.deepEqual(Object.keys(calls).sort(), Object.keys(xt.LOSSES).sort());
      const count = tf.memory().numTensors;
      for (const [name, f] of Object.entries(calls)) {
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(f);
          assert.deepEqual(value.shape, [], name);
          const g = grads[(name === 'binaryCrossentropy' || name === 'binaryFocalCrossentropy' || name === 'klDivergence') ? p.name : z.name];
          assert.deepEqual(g.shape, [6, 3], name);
          assert.ok(g.dataSync().some((v) => v !== 0) && g.dataSync().every(Number.isFinite), name);
        });
      }
      assert.equal(tf.memory().numTensors, count);
      tf.dispose([z, p, dense, sparse]);
    });

    test('model.fit with sparse [batch, 1] targets trains after acceptSparseLabels, and rejects them before', async () => {
      const data = blobs(256, 21);
      const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 16, activation: 'relu', inputShape: [4] }), tfl.layers.dense({ units: 3 })] });
      model.compile({
        optimizer: tf.train.adam(0.05),
        loss: (yTrue, yPred) => xt.sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: true }),
        metrics: [tfl.metrics.sparseCategoricalAccuracy],
      });
      await assert.rejects(model.fit(data.x, data.column, { epochs: 1, verbose: 0 }), /target expected a batch of elements where each example has shape \[3\]/);
      assert.equal(xt.acceptSparseLabels(model), model);
      const h = await model.fit(data.x, data.column, { epochs: 8, batchSize: 32, verbose: 0 });
      const losses = h.history.loss;
      assert.ok(losses.at(-1) < 0.5 * losses[0], `loss ${losses.join(', ')}`);
      const count = tf.memory().numTensors;
      await model.fit(data.x, data.column, { epochs: 1, batchSize: 32, verbose: 0 });
      assert.equal(tf.memory().numTensors, count, 'tensors after one more epoch');
      const ev = model.evaluate(data.x, data.column);
      const [evLoss, evAcc] = ev.map((t) => t.dataSync()[0]);
      assert.ok(evLoss < 0.5 * losses[0] && evAcc > 0.9, `evaluate: loss ${evLoss}, accuracy ${evAcc}`);
      tf.dispose(ev);
      // int32 targets train too.
      const ints = tf.cast(data.column, 'int32');
      const hInt = await model.fit(data.x, ints, { epochs: 1, batchSize: 32, verbose: 0 });
      assert.ok(hInt.history.loss[0] < 0.5 * losses[0], `int32 targets: loss ${hInt.history.loss[0]}`);
      ints.dispose();
      // Non-integer and out-of-range targets are named errors.
      const half = tf.add(data.column, 0.5);
      await assert.rejects(model.fit(data.x, half, { epochs: 1, verbose: 0 }), (e) => e instanceof RangeError && /sparseCategoricalCrossentropy: yTrue\[\d+\] = [\d.]+ is not an integer/.test(e.message));
      const big = tf.add(data.column, 3);
      await assert.rejects(model.fit(data.x, big, { epochs: 1, verbose: 0 }), (e) => e instanceof RangeError && /yTrue\[\d+\] = \d+ is outside the valid range \[0, 3\)/.test(e.message));
      tf.dispose([half, big, data.x, data.labels, data.column]);
      model.dispose();
    });
  });
}

describe('xent/tfjs labels', () => {
  test('labels are constants: no gradient flows to a labels variable', () => {
    const y = tf.variable(tf.tensor([[0, 1, 0], [0.2, 0.3, 0.5]]));
    const z = tf.variable(tf.tensor([[1, 2, 3], [0, 1, 0]]));
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => xt.categoricalCrossentropy(y, z, { fromLogits: true }), [y, z]);
      assert.deepEqual(Object.keys(grads), [z.name]);
    });
    tf.dispose([y, z]);
  });
});

describe('xent/tfjs argument errors', () => {
  const z = () => tf.tensor([[1, 2, 3], [0, 1, 0]]);
  const cases = [
    ['a non-tensor prediction', () => xt.categoricalCrossentropy(tf.tensor([[0, 1, 0]]), [[1, 2, 3]]), TypeError, /^categoricalCrossentropy: yPred must be a tf\.Tensor/],
    ['an int32 prediction', () => xt.categoricalCrossentropy(tf.tensor([[0, 1, 0]]), tf.tensor([[1, 2, 3]], [1, 3], 'int32')), TypeError, /yPred must be a float32 tensor, got a int32 tensor/],
    ['a scalar prediction', () => xt.binaryCrossentropy(tf.scalar(1), tf.scalar(0.5)), RangeError, /yPred must have at least one dimension/],
    ['a string label tensor', () => xt.binaryCrossentropy(tf.tensor(['a', 'b']), tf.tensor([0.5, 0.5])), TypeError, /yTrue must be a float32 or int32 or bool tensor, got a string tensor/],
    ['dense labels of another shape', () => xt.categoricalCrossentropy(tf.tensor([[0, 1], [1, 0], [0, 1]]), z()), RangeError, /yTrue has shape \[3, 2\] but yPred has shape \[2, 3\]/],
    ['sparse labels of the wrong shape', () => xt.sparseCategoricalCrossentropy(tf.tensor([1, 0, 2], [3], 'int32'), z()), RangeError, /yTrue has shape \[3\] but yPred has shape \[2, 3\]; sparse labels need one class index per row, shape \[2\] or \[2, 1\]/],
    ['bool sparse labels', () => xt.sparseSoftmaxCrossEntropyWithLogits(tf.tensor([true, false], [2], 'bool'), z()), TypeError, /labels must be a int32 or float32 tensor, got a bool tensor/],
    ['non-integer sparse labels', () => xt.sparseCategoricalCrossentropy(tf.tensor([1, 0.5]), z()), RangeError, /yTrue\[1\] = 0\.5 is not an integer; sparse labels are class indices/],
    ['a disposed prediction', () => { const t = z(); t.dispose(); return xt.softmaxCrossEntropyWithLogits(tf.tensor([[0, 1, 0], [1, 0, 0]]), t); }, TypeError, /logits is a tf\.Tensor that was disposed/],
    ['the shape option', () => xt.categoricalCrossentropy(tf.tensor([[0, 1, 0], [1, 0, 0]]), z(), { shape: [2, 3] }), TypeError, /option 'shape' does not apply to xent\/tfjs/],
    ['an unknown option', () => xt.categoricalCrossentropy(tf.tensor([[0, 1, 0], [1, 0, 0]]), z(), { from_logits: true }), TypeError, /unknown option 'from_logits' \(did you mean fromLogits\?\)/],
    ['a missing posWeight', () => xt.weightedCrossEntropyWithLogits(tf.tensor([[0, 1, 0], [1, 0, 0]]), z()), TypeError, /posWeight must be a number/],
    ['a sample weight tensor of the wrong length', () => xt.binaryCrossentropy(tf.tensor([[0, 1, 0], [1, 0, 0]]), tf.sigmoid(z()), { sampleWeight: tf.tensor([1, 2, 3]) }), RangeError, /options\.sampleWeight has 3 values but the batch has 2 examples/],
  ];
  for (const [what, call, type, message] of cases) {
    test(`${what} is a ${type.name} naming the argument, and leaks no tensor`, () => {
      const count = tf.memory().numTensors;
      assert.throws(() => tf.tidy(call), (e) => e instanceof type && message.test(e.message));
      assert.equal(tf.memory().numTensors, count);
    });
  }

  test('acceptSparseLabels before compile says to compile first', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4] })] });
    assert.throws(() => xt.acceptSparseLabels(model), /call it after model\.compile/);
    assert.throws(() => xt.acceptSparseLabels({}), TypeError);
    model.compile({ optimizer: 'sgd', loss: xt.sparseCategoricalCrossentropy });
    assert.throws(() => xt.acceptSparseLabels(model, 'nope'), /outputs names no output of this model/);
    model.dispose();
  });
});
