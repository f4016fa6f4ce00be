// api.test.js: every function and option of the JS API against the float64
// reference (reference.js, written from docs/semantics.md), gradients against
// central finite differences, every accepted input form, zero-copy tensors and
// caller buffers, reduction 'none', empty batches, NaN propagation and the
// numerical extremes of the contract. Prints the largest deviation seen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import * as R from './reference.js';

const RTOL = 1e-6;
const ATOL = 1e-7;
const worst = {}; // function -> { loss, grad } largest relative error vs the reference

function record(fn, kind, dev) {
  const w = (worst[fn] ||= { losses: 0, loss: 0, grad: 0 });
  w[kind] = Math.max(w[kind], dev.relative);
}

function close(fn, kind, got, want, what) {
  const dev = R.deviation(got, want, RTOL, ATOL);
  record(fn, kind, dev);
  assert.ok(
    dev.excess <= 1,
    `${what}: ${kind}[${dev.at}] = ${got[dev.at]} but the float64 reference gives ${want[dev.at]} (${dev.excess.toFixed(2)}x the tolerance)`,
  );
}

before(() => xent.init());

// ---- Data ------------------------------------------------------------------------

const rand = R.rng(20261123);
const uniform = (lo, hi) => lo + (hi - lo) * rand();
const f32 = (n, f) => Float32Array.from({ length: n }, f);

function labelsFor(fn, batch, classes, soft) {
  if (fn === 'sparseCategoricalCrossentropy') return Int32Array.from({ length: batch }, () => Math.floor(rand() * classes));
  if (fn.startsWith('binary')) return f32(batch * classes, () => (soft ? rand() : rand() < 0.5 ? 1 : 0));
  // categorical: one-hot rows, or soft rows summing to 1
  const y = new Float32Array(batch * classes);
  for (let b = 0; b < batch; b++) {
    if (!soft) {
      y[b * classes + Math.floor(rand() * classes)] = 1;
      continue;
    }
    let s = 0;
    for (let j = 0; j < classes; j++) s += y[b * classes + j] = rand();
    for (let j = 0; j < classes; j++) y[b * classes + j] /= s;
  }
  return y;
}

function predsFor(fn, batch, classes, fromLogits) {
  if (fromLogits) return f32(batch * classes, () => uniform(-6, 6));
  if (fn.startsWith('binary')) return f32(batch * classes, () => uniform(0.02, 0.98));
  // probabilities for the categorical family: positive rows, normalised or not
  return f32(batch * classes, () => uniform(0.01, 1));
}

const KERAS = ['binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryFocalCrossentropy', 'categoricalFocalCrossentropy'];
const SHAPES = [[1, 1], [3, 1], [1, 3], [4, 4], [2, 5], [3, 7], [2, 8], [5, 33], [2, 1000]];

function optionSets(fn, batch, classes) {
  const sparse = fn === 'sparseCategoricalCrossentropy';
  const focal = fn.includes('Focal');
  const sets = [{}, { reduction: 'sum' }, { reduction: 'none' }, { reduction: 'mean_with_sample_weight' }];
  sets.push({ sampleWeight: f32(batch, () => uniform(0, 2)) });
  sets.push({ sampleWeight: f32(batch, () => uniform(0, 2)), reduction: 'mean_with_sample_weight' });
  sets.push({ classWeight: f32(!sparse && classes === 1 ? 2 : classes, () => uniform(0.5, 3)) });
  sets.push({ classWeight: f32(!sparse && classes === 1 ? 2 : classes, () => uniform(0.5, 3)), reduction: 'mean_with_sample_weight' });
  if (!sparse) sets.push({ labelSmoothing: 0.1 }, { labelSmoothing: 1 });
  if (sparse && classes > 1) sets.push({ ignoreClass: 0 }, { ignoreClass: 0, reduction: 'mean_with_sample_weight', sampleWeight: f32(batch, () => uniform(0, 2)) });
  if (focal) sets.push({ gamma: 0 }, { gamma: 0.5, alpha: 0.9 }, { gamma: 3.5, alpha: 0 });
  if (fn === 'binaryFocalCrossentropy') sets.push({ applyClassBalancing: true }, { applyClassBalancing: true, alpha: 0.6, gamma: 1 });
  return sets;
}

// ---- Every Keras loss and option against the reference ---------------------------------

for (const fn of KERAS) {
  describe(`${fn} matches the float64 reference`, () => {
    for (const fromLogits of [true, false]) {
      for (const [batch, classes] of SHAPES) {
        test(`fromLogits ${fromLogits}, shape [${batch}, ${classes}], every reduction and option`, () => {
          for (const soft of [false, true]) {
            const yTrue = labelsFor(fn, batch, classes, soft);
            const yPred = predsFor(fn, batch, classes, fromLogits);
            for (const extra of optionSets(fn, batch, classes)) {
              const options = { fromLogits, ...extra };
              const what = `${fn}(${JSON.stringify({ batch, classes, soft, ...options })})`;
              const got = xent[fn](yTrue, yPred, { ...options, shape: [batch, classes], gradient: true });
              const want = R[fn](yTrue, yPred, batch, classes, options);
              close(fn, 'losses', got.losses, want.losses, what);
              close(fn, 'grad', got.grad, want.grad, what);
              if (options.reduction === 'none') assert.equal(got.loss, undefined, `${what}: loss is undefined with reduction 'none'`);
              else close(fn, 'loss', [got.loss], [want.loss], what);
            }
          }
        });
      }
    }
  });
}

// ---- tf.nn ops ------------------------------------------------------------------------

describe('the tf.nn ops match the float64 reference', () => {
  for (const [batch, classes] of SHAPES) {
    test(`shape [${batch}, ${classes}]`, () => {
      const soft = labelsFor('categoricalCrossentropy', batch, classes, true);
      const multi = labelsFor('binaryCrossentropy', batch, classes, true);
      const ints = labelsFor('sparseCategoricalCrossentropy', batch, classes);
      const z = predsFor('', batch, classes, true);
      const o = { shape: [batch, classes], gradient: true };
      const cases = [
        ['sigmoidCrossEntropyWithLogits', xent.sigmoidCrossEntropyWithLogits(multi, z, o), R.sigmoidCrossEntropyWithLogits(multi, z)],
        ['weightedCrossEntropyWithLogits', xent.weightedCrossEntropyWithLogits(multi, z, 3.5, o), R.weightedCrossEntropyWithLogits(multi, z, 3.5)],
        ['weightedCrossEntropyWithLogits', xent.weightedCrossEntropyWithLogits(multi, z, 0.25, o), R.weightedCrossEntropyWithLogits(multi, z, 0.25)],
        ['softmaxCrossEntropyWithLogits', xent.softmaxCrossEntropyWithLogits(soft, z, o), R.softmaxCrossEntropyWithLogits(soft, z, batch, classes)],
        ['softmaxCrossEntropyWithLogits', xent.softmaxCrossEntropyWithLogits(multi, z, o), R.softmaxCrossEntropyWithLogits(multi, z, batch, classes)],
        ['sparseSoftmaxCrossEntropyWithLogits', xent.sparseSoftmaxCrossEntropyWithLogits(ints, z, o), R.sparseSoftmaxCrossEntropyWithLogits(ints, z, batch, classes)],
      ];
      for (const [fn, got, want] of cases) {
        assert.equal(got.losses.length, want.losses.length, `${fn}: number of losses`);
        close(fn, 'losses', got.losses, want.losses, fn);
        close(fn, 'grad', got.grad, want.grad, fn);
      }
    });
  }

  test('the sigmoid ops are elementwise and the softmax ops give one loss per row', () => {
    const z = [[1, 2, 3], [4, 5, 6]];
    const y = [[0, 1, 0], [1, 0, 0]];
    assert.equal(xent.sigmoidCrossEntropyWithLogits(y, z).losses.length, 6);
    assert.equal(xent.weightedCrossEntropyWithLogits(y, z, 2).losses.length, 6);
    assert.equal(xent.softmaxCrossEntropyWithLogits(y, z).losses.length, 2);
    assert.equal(xent.sparseSoftmaxCrossEntropyWithLogits([1, 0], z).losses.length, 2);
  });

  test('the gradient is returned only when asked for', () => {
    assert.equal(xent.sigmoidCrossEntropyWithLogits([1], [0.5]).grad, undefined);
    assert.equal(xent.binaryCrossentropy([1], [0.5]).grad, undefined);
    assert.equal(xent.binaryCrossentropy([1], [0.5], { gradient: true }).grad.length, 1);
  });
});

// ---- Gradients against central finite differences ----------------------------------------

describe('gradients equal central finite differences of the float64 loss', () => {
  const cases = [];
  for (const fn of KERAS) {
    for (const fromLogits of [true, false]) cases.push([fn, fromLogits]);
  }
  for (const [fn, fromLogits] of cases) {
    test(`${fn}, fromLogits ${fromLogits}`, () => {
      const batch = 3;
      const classes = fn.startsWith('binary') ? 4 : 5;
      const yTrue = labelsFor(fn, batch, classes, true);
      // Away from the clip bounds, where the loss is smooth.
      const yPred = fromLogits ? predsFor(fn, batch, classes, true) : f32(batch * classes, () => uniform(0.05, 0.95));
      const options = { fromLogits, labelSmoothing: fn.startsWith('sparse') ? undefined : 0.05, sampleWeight: [0.5, 1, 2] };
      if (fn.startsWith('sparse')) delete options.labelSmoothing;
      const got = xent[fn](yTrue, yPred, { ...options, shape: [batch, classes], gradient: true });
      const fd = R.finiteDifference((x) => R[fn](yTrue, x, batch, classes, options).loss, Float64Array.from(yPred));
      const dev = R.deviation(got.grad, fd, RTOL, 2 * ATOL);
      record(fn, 'grad', dev);
      assert.ok(dev.excess <= 1, `${fn}: grad[${dev.at}] = ${got.grad[dev.at]}, finite differences give ${fd[dev.at]}`);
    });
  }
  test('the tf.nn ops', () => {
    const y = f32(8, () => rand());
    const z = f32(8, () => uniform(-4, 4));
    const ops = [
      ['sigmoidCrossEntropyWithLogits', (x) => R.sigmoidCrossEntropyWithLogits(y, x).losses, xent.sigmoidCrossEntropyWithLogits(y, z, { gradient: true })],
      ['weightedCrossEntropyWithLogits', (x) => R.weightedCrossEntropyWithLogits(y, x, 2.5).losses, xent.weightedCrossEntropyWithLogits(y, z, 2.5, { gradient: true })],
      ['softmaxCrossEntropyWithLogits', (x) => R.softmaxCrossEntropyWithLogits(y, x, 2, 4).losses, xent.softmaxCrossEntropyWithLogits(y, z, { gradient: true, shape: [2, 4] })],
      ['sparseSoftmaxCrossEntropyWithLogits', (x) => R.sparseSoftmaxCrossEntropyWithLogits([3, 1], x, 2, 4).losses, xent.sparseSoftmaxCrossEntropyWithLogits([3, 1], z, { gradient: true, shape: [2, 4] })],
    ];
    for (const [fn, losses, got] of ops) {
      const fd = R.finiteDifference((x) => losses(x).reduce((a, v) => a + v, 0), Float64Array.from(z));
      const dev = R.deviation(got.grad, fd, RTOL, 2 * ATOL);
      record(fn, 'grad', dev);
      assert.ok(dev.excess <= 1, `${fn}: grad[${dev.at}] = ${got.grad[dev.at]}, finite differences give ${fd[dev.at]}`);
    }
  });
});

// ---- Input forms -------------------------------------------------------------------------

describe('inputs', () => {
  const yT = [[0, 1, 0], [0, 0, 1]];
  const yP = [[0.2, 0.7, 0.1], [0.3, 0.3, 0.4]];
  const flatT = new Float32Array(yT.flat());
  const flatP = new Float32Array(yP.flat());

  test('nested arrays, flat typed arrays with shape, Float64Arrays and plain arrays give the same result', () => {
    const a = xent.categoricalCrossentropy(yT, yP, { gradient: true });
    const b = xent.categoricalCrossentropy(flatT, flatP, { shape: [2, 3], gradient: true });
    const c = xent.categoricalCrossentropy(Float64Array.from(flatT), Float64Array.from(flatP), { shape: [2, 3], gradient: true });
    const d = xent.categoricalCrossentropy(yT.flat(), yP.flat(), { shape: [2, 3], gradient: true });
    const e = xent.categoricalCrossentropy(flatT, yP, { gradient: true }); // flat labels take the nested prediction's shape
    const f = xent.categoricalCrossentropy(yT, flatP, { gradient: true }); // and the other way round
    for (const r of [b, c, d, e, f]) {
      assert.equal(r.loss, a.loss);
      assert.deepEqual(r.losses, a.losses);
      assert.deepEqual(r.grad, a.grad);
    }
    assert.equal(a.losses.length, 2);
  });

  test('a 1-D prediction is one example', () => {
    const r = xent.categoricalCrossentropy([0, 1, 0], [0.2, 0.7, 0.1]);
    assert.equal(r.losses.length, 1);
    close('categoricalCrossentropy', 'loss', [r.loss], [-Math.log(Math.fround(0.7) / (Math.fround(0.2) + Math.fround(0.7) + Math.fround(0.1)))], '1-D');
    // Keras' binary cross-entropy of a rank-1 prediction: the mean over all of it.
    const b = xent.binaryCrossentropy([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8], { fromLogits: true });
    assert.equal(b.losses.length, 1);
    assert.ok(Math.abs(b.loss - 0.8654579) < 1e-6, `Keras docstring value 0.8654, got ${b.loss}`);
  });

  test('sparse labels may be Int32Array, integer-valued floats, plain or [batch, 1] nested arrays, or a number for one example', () => {
    const want = xent.sparseCategoricalCrossentropy(new Int32Array([1, 2]), yP).losses;
    assert.deepEqual(xent.sparseCategoricalCrossentropy(new Float64Array([1, 2]), yP).losses, want);
    assert.deepEqual(xent.sparseCategoricalCrossentropy([1, 2], yP).losses, want);
    assert.deepEqual(xent.sparseCategoricalCrossentropy([[1], [2]], yP).losses, want);
    assert.deepEqual(xent.sparseCategoricalCrossentropy(1, yP[0]).losses, want.subarray(0, 1));
    assert.deepEqual(xent.sparseSoftmaxCrossEntropyWithLogits(2, [1, 2, 3]).losses.length, 1);
  });

  test('labels of shape [batch] go with a [batch, 1] prediction (Keras squeezes them)', () => {
    const r = xent.binaryCrossentropy([1, 0], [[0.9], [0.2]]);
    const s = xent.binaryCrossentropy([[1], [0]], [[0.9], [0.2]]);
    assert.deepEqual(r.losses, s.losses);
  });

  test('higher-rank inputs treat every leading dimension as batch (per-token labels)', () => {
    const z = [[[1, 2, 3], [0, 0, 1]], [[2, 2, 2], [5, -1, 0]]]; // [2, 2, 3]
    const labels = [[2, 0], [1, 0]]; // [2, 2]
    const nested = xent.sparseCategoricalCrossentropy(labels, z, { fromLogits: true, gradient: true });
    const flat = xent.sparseCategoricalCrossentropy(new Int32Array([2, 0, 1, 0]), new Float32Array(z.flat(2)), { fromLogits: true, shape: [2, 2, 3], gradient: true });
    assert.equal(nested.losses.length, 4);
    assert.deepEqual(nested.losses, flat.losses);
    assert.deepEqual(nested.grad, flat.grad);
    const want = R.sparseCategoricalCrossentropy([2, 0, 1, 0], z.flat(2), 4, 3, { fromLogits: true });
    close('sparseCategoricalCrossentropy', 'losses', nested.losses, want.losses, 'rank 3');
  });

  test('sampleWeight may be a number, an array, a typed array or a tensor', () => {
    const a = xent.categoricalCrossentropy(yT, yP, { sampleWeight: 2, reduction: 'sum' });
    const b = xent.categoricalCrossentropy(yT, yP, { sampleWeight: [2, 2], reduction: 'sum' });
    const c = xent.categoricalCrossentropy(yT, yP, { sampleWeight: new Float64Array([2, 2]), reduction: 'sum' });
    const d = xent.categoricalCrossentropy(yT, yP, { reduction: 'sum' });
    const t = xent.tensor([2]);
    t.data.set([2, 2]);
    const e = xent.categoricalCrossentropy(yT, yP, { sampleWeight: t, classWeight: [1, 1, 1], reduction: 'sum' });
    t.free();
    assert.equal(a.loss, b.loss);
    assert.equal(a.loss, c.loss);
    assert.equal(a.loss, e.loss, 'a tensor of weights, passed without a copy');
    close('categoricalCrossentropy', 'loss', [a.loss], [2 * d.loss], 'sampleWeight 2');
  });

  test("with reduction 'none' the loss is undefined and grad is the gradient of the sum of the weighted losses", () => {
    const w = [0.5, 3];
    const none = xent.categoricalCrossentropy(yT, yP, { reduction: 'none', sampleWeight: w, gradient: true });
    const sum = xent.categoricalCrossentropy(yT, yP, { reduction: 'sum', sampleWeight: w, gradient: true });
    assert.equal(none.loss, undefined);
    assert.deepEqual(none.grad, sum.grad);
    close('categoricalCrossentropy', 'loss', [none.losses[0] + none.losses[1]], [sum.loss], 'sum of none');
  });

  test('an empty batch reduces to 0 with no losses', () => {
    for (const fn of KERAS) {
      const yTrue = fn.startsWith('sparse') ? new Int32Array(0) : new Float32Array(0);
      const r = xent[fn](yTrue, new Float32Array(0), { shape: [0, 3], gradient: true });
      assert.equal(r.loss, 0, fn);
      assert.equal(r.losses.length, 0, fn);
      assert.equal(r.grad.length, 0, fn);
    }
    assert.equal(xent.sparseCategoricalCrossentropy([0, 0], yP, { ignoreClass: 0 }).loss, 0, 'an all-ignored batch reduces to 0');
  });

  test('NaN or Infinity in the data propagates to the loss of the example that holds it, and only that one', () => {
    const p = [[0.2, NaN, 0.1], [0.3, 0.3, 0.4]];
    const r = xent.categoricalCrossentropy(yT, p, { gradient: true });
    assert.ok(Number.isNaN(r.losses[0]));
    assert.ok(Number.isFinite(r.losses[1]));
    assert.ok(Number.isNaN(r.loss));
    const s = xent.sigmoidCrossEntropyWithLogits([1, 0], [NaN, 2]);
    assert.ok(Number.isNaN(s.losses[0]) && Number.isFinite(s.losses[1]));
    const i = xent.sparseSoftmaxCrossEntropyWithLogits([0, 1], [[Infinity, 1], [1, 2]]);
    assert.ok(!Number.isFinite(i.losses[0]) && Number.isFinite(i.losses[1]));
  });
});

// ---- Zero-copy tensors and caller buffers ------------------------------------------------

describe('tensors in wasm memory and caller-supplied outputs', () => {
  test('tensors are accepted without copying: a large call does not grow the scratch arena', () => {
    const batch = 512;
    const classes = 1000;
    const logits = xent.tensor([batch, classes]);
    const labels = xent.tensor([batch], 'int32');
    const losses = xent.tensor([batch]);
    const grad = xent.tensor([batch, classes]);
    const z = logits.data;
    for (let i = 0; i < z.length; i++) z[i] = uniform(-5, 5);
    const l = labels.data;
    for (let i = 0; i < batch; i++) l[i] = Math.floor(rand() * classes);
    const arena = xent.memoryStats().arenaBytes;
    const r = xent.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, out: { losses, grad } });
    assert.ok(xent.memoryStats().arenaBytes <= Math.max(arena, 64 * 1024), 'the arena did not grow to hold the 2 MB inputs');
    assert.equal(r.losses, losses);
    assert.equal(r.grad, grad);
    const want = R.sparseCategoricalCrossentropy(labels.data, logits.data, batch, classes, { fromLogits: true });
    close('sparseCategoricalCrossentropy', 'losses', losses.data, want.losses, 'tensor');
    close('sparseCategoricalCrossentropy', 'grad', grad.data, want.grad, 'tensor');
    close('sparseCategoricalCrossentropy', 'loss', [r.loss], [want.loss], 'tensor');
    // The views of a tensor (tensor.data) are accepted as well, also without a copy.
    const again = xent.sparseCategoricalCrossentropy(labels.data, logits.data, { fromLogits: true, shape: [batch, classes], out: { losses: losses.data, grad: grad.data } });
    assert.equal(again.loss, r.loss);
    assert.ok(xent.memoryStats().arenaBytes <= Math.max(arena, 64 * 1024));
    for (const t of [logits, labels, losses, grad]) t.free();
  });

  test('tensor.data is re-created after the wasm memory grows', () => {
    const t = xent.tensor([4]);
    t.data.set([1, 2, 3, 4]);
    const before = xent.memoryStats().memoryBytes;
    const big = xent.tensor([4 << 20]); // 16 MB: the memory must grow
    assert.ok(xent.memoryStats().memoryBytes > before, 'memory grew');
    assert.deepEqual(Array.from(t.data), [1, 2, 3, 4]);
    big.free();
    t.free();
    assert.throws(() => t.data, TypeError);
    t.free(); // freeing twice is harmless
  });

  test('without caller buffers every call returns fresh arrays that later calls do not overwrite', () => {
    const a = xent.sparseSoftmaxCrossEntropyWithLogits([1], [1, 2, 3], { gradient: true });
    const keep = [Array.from(a.losses), Array.from(a.grad)];
    const big = f32(3 * 100, () => uniform(-1, 1));
    const b = xent.sparseSoftmaxCrossEntropyWithLogits([0], [3, 2, 1], { gradient: true });
    const c = xent.sigmoidCrossEntropyWithLogits(big, big, { gradient: true });
    assert.notEqual(a.grad, b.grad);
    assert.equal(c.losses.buffer === a.losses.buffer, false);
    assert.deepEqual([Array.from(a.losses), Array.from(a.grad)], keep);
  });

  test('caller buffers receive the outputs, and the same objects are returned', () => {
    const losses = new Float32Array(2);
    const grad = new Float32Array(6);
    const y = [[0, 1, 0], [0, 0, 1]];
    const p = [[1, 2, 3], [3, 2, 1]];
    const r = xent.categoricalCrossentropy(y, p, { fromLogits: true, out: { losses, grad } });
    const want = xent.categoricalCrossentropy(y, p, { fromLogits: true, gradient: true });
    assert.equal(r.losses, losses);
    assert.equal(r.grad, grad);
    assert.deepEqual(losses, want.losses);
    assert.deepEqual(grad, want.grad);
    const big = new Float32Array(200 * 100);
    const bl = new Float32Array(200);
    const z = f32(200 * 100, () => uniform(-3, 3));
    const ints = Int32Array.from({ length: 200 }, () => Math.floor(rand() * 100));
    xent.sparseSoftmaxCrossEntropyWithLogits(ints, z, { shape: [200, 100], out: { losses: bl, grad: big } });
    const w = xent.sparseSoftmaxCrossEntropyWithLogits(ints, z, { shape: [200, 100], gradient: true });
    assert.deepEqual(bl, w.losses);
    assert.deepEqual(big, w.grad);
  });

  test('short views of wasm memory stay correct when a call grows the memory', () => {
    const labels = xent.tensor([2], 'int32');
    labels.data.set([1, 0]);
    const small = xent.tensor([2]);
    const before = xent.memoryStats().memoryBytes;
    const z = f32(2 * 3_000_000, () => 0); // 24 MB of logits: the arena must grow
    const r = xent.sparseSoftmaxCrossEntropyWithLogits(labels.data, z, { shape: [2, 3_000_000], out: { losses: small.data } });
    assert.ok(xent.memoryStats().memoryBytes > before, 'memory grew during the call');
    close('sparseSoftmaxCrossEntropyWithLogits', 'losses', small.data, [Math.log(3_000_000), Math.log(3_000_000)], 'grown');
    assert.equal(r.losses, r.losses);
    labels.free();
    small.free();
  });
});

// ---- The extremes of the numerics contract ---------------------------------------------------

describe('extreme inputs give finite results that match the reference', () => {
  const extremeLogits = [1e30, -1e30, 90, -90, 0, 88.7, -103, 3.4e38, -3.4e38];
  const extremeProbs = [0, 1, 1e-7, 0.9999999, 1e-30, 0.5, Math.fround(1e-7), 1 - 2 ** -23, 1e-45];
  for (const fn of KERAS) {
    for (const fromLogits of [true, false]) {
      test(`${fn}, fromLogits ${fromLogits}`, () => {
        const values = fromLogits ? extremeLogits : extremeProbs;
        const classes = values.length;
        const batch = 4;
        const yPred = new Float32Array(batch * classes);
        for (let b = 0; b < batch; b++) for (let j = 0; j < classes; j++) yPred[b * classes + j] = values[(j + b) % classes];
        const yTrue = labelsFor(fn, batch, classes, false);
        const options = { fromLogits };
        const got = xent[fn](yTrue, yPred, { ...options, shape: [batch, classes], gradient: true });
        for (const v of [...got.losses, ...got.grad, got.loss]) assert.ok(Number.isFinite(v), `${fn}: finite output, got ${v}`);
        const want = R[fn](yTrue, yPred, batch, classes, options);
        close(fn, 'losses', got.losses, want.losses, `${fn} extreme`);
        close(fn, 'grad', got.grad, want.grad, `${fn} extreme`);
      });
    }
  }

  test('one class and 100000 classes', () => {
    for (const fn of KERAS) {
      for (const classes of [1, 100000]) {
        const batch = 2;
        const yTrue = labelsFor(fn, batch, classes, fn.startsWith('categorical'));
        const yPred = predsFor(fn, batch, classes, true);
        const got = xent[fn](yTrue, yPred, { fromLogits: true, shape: [batch, classes], gradient: true });
        const want = R[fn](yTrue, yPred, batch, classes, { fromLogits: true });
        close(fn, 'losses', got.losses, want.losses, `${fn} with ${classes} classes`);
        close(fn, 'grad', got.grad, want.grad, `${fn} with ${classes} classes`);
      }
    }
  });

  test('a loss beyond the float32 range saturates at FLT_MAX instead of becoming Infinity', () => {
    const z = [[3.4e38, -3.4e38]];
    for (const r of [
      xent.sparseSoftmaxCrossEntropyWithLogits([1], z, { gradient: true }),
      xent.sparseCategoricalCrossentropy([1], z, { fromLogits: true, gradient: true }),
      xent.categoricalCrossentropy([[0, 1]], z, { fromLogits: true, gradient: true }),
    ]) {
      assert.equal(r.losses[0], R.FLT_MAX);
      assert.deepEqual(Array.from(r.grad), [1, -1]);
    }
  });

  test('the tf.nn ops at logits of +-1e30', () => {
    const z = new Float32Array([1e30, -1e30, 0, 90]);
    const y = new Float32Array([0.25, 1, 0, 0.75]);
    const o = { shape: [1, 4], gradient: true };
    for (const [fn, got, want] of [
      ['sigmoidCrossEntropyWithLogits', xent.sigmoidCrossEntropyWithLogits(y, z, o), R.sigmoidCrossEntropyWithLogits(y, z)],
      ['weightedCrossEntropyWithLogits', xent.weightedCrossEntropyWithLogits(y, z, 2, o), R.weightedCrossEntropyWithLogits(y, z, 2)],
      ['softmaxCrossEntropyWithLogits', xent.softmaxCrossEntropyWithLogits(y, z, o), R.softmaxCrossEntropyWithLogits(y, z, 1, 4)],
      ['sparseSoftmaxCrossEntropyWithLogits', xent.sparseSoftmaxCrossEntropyWithLogits([1], z, o), R.sparseSoftmaxCrossEntropyWithLogits([1], z, 1, 4)],
    ]) {
      close(fn, 'losses', got.losses, want.losses, `${fn} at 1e30`);
      close(fn, 'grad', got.grad, want.grad, `${fn} at 1e30`);
    }
  });
});

describe('inspect and recommend', () => {
  test('inspect reads one-hot labels and softmax outputs from the data', () => {
    const r = xent.inspect([[0, 1, 0], [1, 0, 0]], [[0.2, 0.5, 0.3], [0.6, 0.2, 0.2]]);
    assert.equal(r.labels, 'onehot');
    assert.equal(r.output, 'softmax');
    assert.equal(r.rows, 2);
    assert.equal(r.classes, 3);
    const s = xent.inspect(new Float32Array([2, 0]), new Float32Array([1, -2, 3, 0.5, 7, -1]), { shape: [2, 3] });
    assert.equal(s.labelCols, 1);
    assert.equal(s.output, 'logits');
  });

  test('recommend works from declarations, and from data after init', () => {
    const r = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'logits' });
    assert.equal(r.xent.fn, 'sparseCategoricalCrossentropy');
    // Declared encodings checked against the data: here the "softmax" output holds logits.
    const d = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'softmax', yTrue: [1, 0], yPred: [[2, -1, 3], [0.5, 2, -2]] });
    assert.ok(d.warnings.length > 0, 'the data contradicts the declared softmax output');
    assert.ok(Array.isArray(xent.DECISION_TABLE) && xent.DECISION_TABLE.length > 0);
  });
});

after(() => {
  const lines = Object.entries(worst).map(([fn, w]) => `${fn.padEnd(36)} losses ${w.losses.toExponential(2)}  loss ${w.loss.toExponential(2)}  grad ${w.grad.toExponential(2)}`);
  console.log(`# largest relative error vs the float64 reference (${xent.backend}):\n# ${lines.join('\n# ')}`);
});

describe('README.md API section', () => {
  test('every example runs', async () => {
    const { readFile, writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { pathToFileURL, fileURLToPath } = await import('node:url');
    const root = new URL('../../', import.meta.url);
    const text = await readFile(new URL('README.md', root), 'utf8');
    const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length >= 12, 'one example per function');
    const dir = await mkdtemp(join(tmpdir(), 'xent-docs-'));
    const index = new URL('js/index.js', root).href;
    try {
      for (const [i, block] of blocks.entries()) {
        let code = block.replaceAll("from 'xent'", `from '${index}'`).replaceAll("'node_modules/xent/", `'${fileURLToPath(root)}`);
        if (!code.includes(index)) code = `import * as xent from '${index}';\nawait xent.init();\n${code}`;
        const file = join(dir, `example-${i}.mjs`);
        await writeFile(file, `const console = { log() {} };\n${code}`);
        await import(pathToFileURL(file).href);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await xent.init({ backend: 'wasm-simd' }); // the last example loaded the scalar module
  });
});
