// leak.test.js: nothing leaks or corrupts wasm memory. After the first call of
// each function, 100 000 more calls (of every input form, with and without the
// gradient, caller buffers and errors) leave the wasm memory and the scratch
// arena's high-water mark exactly as they were, and the last result equals the
// first. Tensor allocation and release return every byte.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';

const CALLS = 100_000;

before(() => xent.init());

const z = new Float32Array([0.5, -1, 2, 0.25, 3, -2, 1, 0]);
const p = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.7, 0.1, 0.1, 0.1]);
const soft = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25]);
const bits = new Float32Array([0, 1, 1, 0, 1, 0, 0, 1]);
const labels = new Int32Array([3, 0]);
const shape = [2, 4];
const outLosses = new Float32Array(2);
const outGrad = new Float32Array(8);

const CASES = {
  binaryCrossentropy: () => xent.binaryCrossentropy(bits, p, { shape, gradient: true }),
  'binaryCrossentropy (logits, caller buffers)': () => xent.binaryCrossentropy(bits, z, { shape, fromLogits: true, out: { losses: outLosses, grad: outGrad } }),
  categoricalCrossentropy: () => xent.categoricalCrossentropy(soft, z, { shape, fromLogits: true, labelSmoothing: 0.1, gradient: true }),
  'categoricalCrossentropy (nested arrays)': () => xent.categoricalCrossentropy([[0, 0, 0, 1], [1, 0, 0, 0]], [[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1]]),
  sparseCategoricalCrossentropy: () => xent.sparseCategoricalCrossentropy(labels, z, { shape, fromLogits: true, gradient: true, sampleWeight: [1, 2], classWeight: [1, 1, 2, 3] }),
  'sparseCategoricalCrossentropy (float labels, ignoreClass)': () => xent.sparseCategoricalCrossentropy([3, 0], p, { shape, ignoreClass: 0, reduction: 'none' }),
  binaryFocalCrossentropy: () => xent.binaryFocalCrossentropy(bits, p, { shape, applyClassBalancing: true, gradient: true }),
  categoricalFocalCrossentropy: () => xent.categoricalFocalCrossentropy(soft, z, { shape, fromLogits: true, gradient: true }),
  sigmoidCrossEntropyWithLogits: () => xent.sigmoidCrossEntropyWithLogits(bits, z, { gradient: true }),
  weightedCrossEntropyWithLogits: () => xent.weightedCrossEntropyWithLogits(bits, z, 2.5, { gradient: true }),
  softmaxCrossEntropyWithLogits: () => xent.softmaxCrossEntropyWithLogits(soft, z, { shape, gradient: true }),
  sparseSoftmaxCrossEntropyWithLogits: () => xent.sparseSoftmaxCrossEntropyWithLogits(labels, z, { shape, gradient: true }),
  inspect: () => xent.inspect(labels, z, { shape }),
};

const snapshot = (r) => JSON.stringify(r, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));

describe(`the heap is the same after ${CALLS} calls as after the first`, () => {
  for (const [name, call] of Object.entries(CASES)) {
    test(name, () => {
      const first = snapshot(call());
      const after1 = xent.memoryStats();
      let last;
      for (let i = 0; i < CALLS; i++) last = call();
      const afterN = xent.memoryStats();
      assert.equal(afterN.memoryBytes, after1.memoryBytes, 'wasm memory size');
      assert.equal(afterN.arenaBytes, after1.arenaBytes, 'scratch arena high-water mark');
      assert.equal(afterN.liveTensors, after1.liveTensors, 'live tensors');
      assert.equal(snapshot(last), first, 'the 100 000th result equals the first');
    });
  }

  test('calls that throw (in JS or in the C core) leak nothing', () => {
    const calls = [
      () => xent.sparseCategoricalCrossentropy(new Int32Array([3, 9]), z, { shape }), // the C core reports the label
      () => xent.sparseCategoricalCrossentropy([3, 0.5], z, { shape }), // JS reports it while copying
      () => xent.categoricalCrossentropy(soft, z, { shape: [4, 2], fromLogit: true }),
      () => xent.weightedCrossEntropyWithLogits(bits, z, NaN),
    ];
    for (const c of calls) assert.throws(c);
    const after1 = xent.memoryStats();
    for (let i = 0; i < CALLS / 4; i++) {
      for (const c of calls) {
        try {
          c();
        } catch {
          // expected
        }
      }
    }
    assert.deepEqual(xent.memoryStats(), after1);
  });

  test('tensors return all their memory when freed', () => {
    const t0 = xent.tensor([2, 4]);
    t0.free();
    const after1 = xent.memoryStats();
    for (let i = 0; i < CALLS; i++) {
      const t = xent.tensor([2, 4]);
      const l = xent.tensor([2], 'int32');
      t.data.set(z);
      l.data.set(labels);
      xent.sparseSoftmaxCrossEntropyWithLogits(l, t);
      t.free();
      l.free();
    }
    assert.deepEqual(xent.memoryStats(), after1);
  });

  test('a large call grows the arena once; later calls of that size or smaller reuse it', () => {
    const big = new Float32Array(300 * 1000);
    const ints = new Int32Array(300);
    xent.sparseSoftmaxCrossEntropyWithLogits(ints, big, { shape: [300, 1000], gradient: true });
    const after1 = xent.memoryStats();
    for (let i = 0; i < 200; i++) {
      xent.sparseSoftmaxCrossEntropyWithLogits(ints, big, { shape: [300, 1000], gradient: true });
      CASES.categoricalCrossentropy();
    }
    assert.deepEqual(xent.memoryStats(), after1);
  });
});
