// errors.test.js: every kind of misuse gives its named error: TypeError for a
// wrong kind of value, RangeError for a bad value or shape, each message
// naming the function, the argument and what was wrong (STYLE.md, "Errors
// across the C/JS boundary"). Also use before init() and the loader's
// errors that name the fix.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';

const P = [[0.2, 0.5, 0.3], [0.6, 0.2, 0.2]];
const Y = [[0, 1, 0], [1, 0, 0]];

/** Asserts that `f` throws an error of class `type` whose message matches every pattern. */
function throwsWith(f, type, ...patterns) {
  let error;
  try {
    f();
  } catch (e) {
    error = e;
  }
  assert.ok(error, 'expected an error');
  assert.equal(error.constructor, type, `expected a ${type.name}, got ${error.constructor.name}: ${error.message}`);
  for (const p of patterns) assert.match(error.message, p);
  return error;
}

// This file runs in its own process (node --test), so init() has not run yet.
describe('before init()', () => {
  test('every wasm-backed function says to call init() first', () => {
    throwsWith(() => xent.binaryCrossentropy([1], [0.5]), Error, /^binaryCrossentropy: /, /await xent\.init\(\)/);
    throwsWith(() => xent.sparseSoftmaxCrossEntropyWithLogits([0], [1, 2]), Error, /sparseSoftmaxCrossEntropyWithLogits/, /init\(\)/);
    throwsWith(() => xent.tensor([2]), Error, /init\(\)/);
    throwsWith(() => xent.inspect([1], [0.5]), Error, /init\(\)/);
    assert.equal(xent.backend, undefined);
  });

  test('recommend works before init()', () => {
    const r = xent.recommend({ problem: 'binary', labels: 'binary01', output: 'logits' });
    assert.equal(r.xent.fn, 'binaryCrossentropy');
  });
});

describe('after init()', () => {
  before(() => xent.init());

  test('a shape mismatch names both shapes', () => {
    throwsWith(() => xent.categoricalCrossentropy([[0, 1], [1, 0]], P), RangeError, /^categoricalCrossentropy: /, /yTrue has shape \[2, 2\]/, /yPred has shape \[2, 3\]/);
    throwsWith(() => xent.binaryCrossentropy(new Float32Array(5), P), RangeError, /yTrue has shape \[5\]/, /\[2, 3\]/);
    throwsWith(() => xent.sparseCategoricalCrossentropy([0, 1, 2], P), RangeError, /yTrue has shape \[3\]/, /yPred has shape \[2, 3\]/);
    throwsWith(() => xent.sigmoidCrossEntropyWithLogits([[1, 0]], [[1, 2, 3]]), RangeError, /labels has shape \[1, 2\]/, /logits has shape \[1, 3\]/);
    throwsWith(() => xent.softmaxCrossEntropyWithLogits([1, 0], P), RangeError, /labels has shape \[2\]/, /logits has shape \[2, 3\]/);
  });

  test('a sparse label out of range names its index and value, whoever finds it (JS or the C core)', () => {
    // Int32Array labels go straight to the C core, which reports XENT_ERR_LABEL.
    throwsWith(() => xent.sparseCategoricalCrossentropy(new Int32Array([1, 3]), P), RangeError, /yTrue\[1\] = 3/, /\[0, 3\)/);
    throwsWith(() => xent.sparseCategoricalCrossentropy([-1, 0], P), RangeError, /yTrue\[0\] = -1/, /\[0, 3\)/);
    throwsWith(() => xent.sparseCategoricalCrossentropy([0, 7], P, { ignoreClass: 5 }), RangeError, /yTrue\[1\] = 7/);
    throwsWith(() => xent.sparseSoftmaxCrossEntropyWithLogits(new Int32Array([0, 3]), P), RangeError, /labels\[1\] = 3/, /\[0, 3\)/);
    throwsWith(() => xent.sparseSoftmaxCrossEntropyWithLogits([2 ** 40, 0], P), RangeError, /labels\[0\] = 1099511627776/);
  });

  test('a non-integer sparse label names its index and value', () => {
    throwsWith(() => xent.sparseCategoricalCrossentropy([1, 0.5], P), RangeError, /yTrue\[1\] = 0\.5 is not an integer/);
    throwsWith(() => xent.sparseCategoricalCrossentropy(new Float32Array([NaN, 0]), P), RangeError, /yTrue\[0\] = NaN is not an integer/);
    throwsWith(() => xent.sparseSoftmaxCrossEntropyWithLogits([1.25], [1, 2]), RangeError, /labels\[0\] = 1\.25/);
  });

  test('options of the wrong type are TypeErrors naming the option', () => {
    throwsWith(() => xent.binaryCrossentropy(Y, P, { fromLogits: 'yes' }), TypeError, /options\.fromLogits must be true or false/, /string "yes"/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { labelSmoothing: '0.1' }), TypeError, /options\.labelSmoothing must be a number/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { reduction: 1 }), TypeError, /options\.reduction must be a string/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { gradient: 1 }), TypeError, /options\.gradient/);
    throwsWith(() => xent.binaryFocalCrossentropy(Y, P, { gamma: null }), TypeError, /options\.gamma must be a number/);
    throwsWith(() => xent.binaryFocalCrossentropy(Y, P, { applyClassBalancing: 1 }), TypeError, /options\.applyClassBalancing/);
    throwsWith(() => xent.sparseCategoricalCrossentropy([0, 1], P, { ignoreClass: '0' }), TypeError, /options\.ignoreClass must be an integer/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { sampleWeight: 'heavy' }), TypeError, /options\.sampleWeight must be/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { shape: '2x3' }), TypeError, /options\.shape must be an array/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { out: 5 }), TypeError, /options\.out must be an object/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { out: { losses: [0, 0] } }), TypeError, /options\.out\.losses must be a Float32Array/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { out: { loss: new Float32Array(2) } }), TypeError, /unknown key 'loss'/);
  });

  test('options outside their domain are RangeErrors giving the value', () => {
    throwsWith(() => xent.categoricalCrossentropy(Y, P, { labelSmoothing: 1.5 }), RangeError, /options\.labelSmoothing must be in \[0, 1\], got 1\.5/);
    throwsWith(() => xent.categoricalCrossentropy(Y, P, { labelSmoothing: -0.1 }), RangeError, /got -0\.1/);
    throwsWith(() => xent.categoricalCrossentropy(Y, P, { labelSmoothing: NaN }), RangeError, /got NaN/);
    throwsWith(() => xent.binaryFocalCrossentropy(Y, P, { gamma: -1 }), RangeError, /options\.gamma must be a finite number >= 0, got -1/);
    throwsWith(() => xent.categoricalFocalCrossentropy(Y, P, { gamma: Infinity }), RangeError, /gamma/);
    throwsWith(() => xent.binaryFocalCrossentropy(Y, P, { alpha: 1.5 }), RangeError, /options\.alpha must be in \[0, 1\], got 1\.5/);
    throwsWith(() => xent.categoricalFocalCrossentropy(Y, P, { alpha: -0.5 }), RangeError, /options\.alpha/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { reduction: 'average' }), RangeError, /options\.reduction must be one of 'sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight', 'mean' or null; got 'average'/);
    throwsWith(() => xent.sparseCategoricalCrossentropy([0, 1], P, { ignoreClass: 1.5 }), RangeError, /options\.ignoreClass must be an integer, got 1\.5/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { shape: [2, -3] }), RangeError, /options\.shape\[1\] must be a non-negative integer/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { shape: [3, 2] }), RangeError, /yPred has shape \[2, 3\] but options\.shape is \[3, 2\]/);
    throwsWith(() => xent.binaryCrossentropy(new Float32Array(6), new Float32Array(6), { shape: [4, 2] }), RangeError, /yPred has 6 values but options\.shape \[4, 2\] needs 8/);
  });

  test('a non-finite or non-number posWeight is refused', () => {
    throwsWith(() => xent.weightedCrossEntropyWithLogits([1], [0.5], NaN), RangeError, /posWeight must be a finite number, got NaN/);
    throwsWith(() => xent.weightedCrossEntropyWithLogits([1], [0.5], Infinity), RangeError, /got Infinity/);
    throwsWith(() => xent.weightedCrossEntropyWithLogits([1], [0.5], 1e39), RangeError, /finite/);
    throwsWith(() => xent.weightedCrossEntropyWithLogits([1], [0.5], '2'), TypeError, /posWeight must be a number/);
    throwsWith(() => xent.weightedCrossEntropyWithLogits([1], [0.5]), TypeError, /posWeight must be a number/, /undefined/);
  });

  test('an unknown option name is a TypeError that suggests the right one', () => {
    throwsWith(() => xent.binaryCrossentropy(Y, P, { fromLogit: true }), TypeError, /unknown option 'fromLogit' \(did you mean fromLogits\?\)/);
    throwsWith(() => xent.categoricalCrossentropy(Y, P, { from_logits: true }), TypeError, /did you mean fromLogits\?/);
    throwsWith(() => xent.categoricalCrossentropy(Y, P, { label_smoothing: 0.1 }), TypeError, /did you mean labelSmoothing\?/);
    throwsWith(() => xent.sparseCategoricalCrossentropy([0, 1], P, { ignoreIndex: 0 }), TypeError, /did you mean ignoreClass\?/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { speed: 'fast' }), TypeError, /unknown option 'speed'/, /the options are fromLogits/);
    throwsWith(() => xent.sparseCategoricalCrossentropy([0, 1], P, { labelSmoothing: 0.1 }), TypeError, /has no label smoothing/);
    throwsWith(() => xent.categoricalCrossentropy(Y, P, { ignoreClass: 0 }), TypeError, /option 'ignoreClass' does not apply to categoricalCrossentropy/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { gamma: 2 }), TypeError, /option 'gamma' does not apply/);
    throwsWith(() => xent.categoricalFocalCrossentropy(Y, P, { applyClassBalancing: true }), TypeError, /does not apply/);
    throwsWith(() => xent.sigmoidCrossEntropyWithLogits(Y, P, { fromLogits: true }), TypeError, /does not apply to sigmoidCrossEntropyWithLogits/);
    throwsWith(() => xent.softmaxCrossEntropyWithLogits(Y, P, { reduction: 'sum' }), TypeError, /does not apply/);
  });

  test('options that are not an object are a TypeError', () => {
    for (const bad of ['fast', 5, true, [1, 2], () => 1]) {
      throwsWith(() => xent.binaryCrossentropy(Y, P, bad), TypeError, /^binaryCrossentropy: options must be an object/);
    }
    throwsWith(() => xent.sigmoidCrossEntropyWithLogits(Y, P, 'x'), TypeError, /options must be an object/);
    assert.ok(xent.binaryCrossentropy(Y, P, null).loss > 0, 'null options mean the defaults');
  });

  test('ragged nested arrays are a RangeError that points at the bad row', () => {
    throwsWith(() => xent.binaryCrossentropy([[0, 1, 0], [1]], P), RangeError, /yTrue is a ragged nested array: yTrue\[1\] has length 1 where 3 values were expected/);
    throwsWith(() => xent.binaryCrossentropy(Y, [[0.2, 0.5, 0.3], 0.6]), RangeError, /yPred is a ragged nested array: yPred\[1\]/);
    throwsWith(() => xent.binaryCrossentropy(Y, [0.2, [0.5]]), RangeError, /yPred is a ragged nested array: yPred\[1\] is an array/);
    throwsWith(() => xent.binaryCrossentropy([[[0, 1]], [[1, 0], [0, 1]]], [[[0.5, 0.5]], [[0.5, 0.5], [0.5, 0.5]]]), RangeError, /ragged/);
  });

  test('inputs of the wrong kind are a TypeError naming the argument', () => {
    throwsWith(() => xent.binaryCrossentropy('0,1', P), TypeError, /yTrue must be a Float32Array, Float64Array, Int32Array, an array/, /the string "0,1"/);
    throwsWith(() => xent.binaryCrossentropy(Y, { data: [1] }), TypeError, /yPred must be/, /an object/);
    throwsWith(() => xent.binaryCrossentropy(Y, undefined), TypeError, /yPred must be/, /undefined/);
    throwsWith(() => xent.binaryCrossentropy([[0, 1, 'a'], [1, 0, 0]], P), TypeError, /yTrue\[0\]\[2\] must be a number, got the string "a"/);
    throwsWith(() => xent.binaryCrossentropy([0, null], [0.5, 0.5]), TypeError, /yTrue\[1\] must be a number, got null/);
    throwsWith(() => xent.binaryCrossentropy(Y, new BigInt64Array(6)), TypeError, /yPred must hold numbers, got a BigInt64Array/);
    throwsWith(() => xent.binaryCrossentropy(Y, new DataView(new ArrayBuffer(24))), TypeError, /yPred must be/);
  });

  test('weights of the wrong length name both lengths', () => {
    throwsWith(() => xent.binaryCrossentropy(Y, P, { sampleWeight: [1, 2, 3] }), RangeError, /options\.sampleWeight has 3 values but the batch has 2 examples/);
    throwsWith(() => xent.categoricalCrossentropy(Y, P, { classWeight: [1, 2] }), RangeError, /options\.classWeight has 2 values but needs 3/);
    throwsWith(() => xent.binaryCrossentropy([1, 0], [[0.2], [0.7]], { classWeight: [1] }), RangeError, /needs 2/, /classes 0 and 1/);
  });

  test('outputs of the wrong length are a RangeError', () => {
    throwsWith(() => xent.binaryCrossentropy(Y, P, { out: { losses: new Float32Array(3) } }), RangeError, /options\.out\.losses must have length 2, got 3/);
    throwsWith(() => xent.binaryCrossentropy(Y, P, { out: { grad: new Float32Array(5) } }), RangeError, /options\.out\.grad must have length 6, got 5/);
    throwsWith(() => xent.sigmoidCrossEntropyWithLogits(Y, P, { out: { losses: new Float32Array(2) } }), RangeError, /must have length 6/);
  });

  test('a prediction with no classes is a RangeError', () => {
    throwsWith(() => xent.categoricalCrossentropy([], []), RangeError, /yPred has shape \[0\]: the last dimension \(the classes\) must be at least 1/);
    throwsWith(() => xent.softmaxCrossEntropyWithLogits([[], []], [[], []]), RangeError, /logits has shape \[2, 0\]/);
  });

  test('freed tensors and tensors of bad shape or dtype are refused', () => {
    const t = xent.tensor([2, 3]);
    t.free();
    throwsWith(() => xent.categoricalCrossentropy(Y, t), TypeError, /yPred is a tensor that was freed/);
    throwsWith(() => xent.tensor([2, 1.5]), RangeError, /shape\[1\] must be a non-negative integer/);
    throwsWith(() => xent.tensor([2], 'float64'), RangeError, /dtype must be 'float32' or 'int32'/);
    throwsWith(() => xent.tensor('big'), TypeError, /shape must be an array/);
    const i = xent.tensor([2], 'int32');
    throwsWith(() => xent.binaryCrossentropy([1, 0], [0.5, 0.5], { out: { losses: i } }), TypeError, /must be a float32 tensor/);
    i.free();
  });

  test('after an error the next call works and sees none of the failed call', () => {
    assert.throws(() => xent.sparseCategoricalCrossentropy(new Int32Array([0, 9]), P));
    const r = xent.sparseCategoricalCrossentropy(new Int32Array([1, 0]), P);
    assert.ok(Math.abs(r.loss - (-Math.log(0.5) - Math.log(0.6)) / 2) < 1e-6);
  });
});

describe('init() errors name the fix', () => {
  test('bad init options', async () => {
    await assert.rejects(xent.init({ backend: 'gpu' }), (e) => e instanceof RangeError && /options\.backend must be 'wasm-simd' or 'wasm'/.test(e.message));
    await assert.rejects(xent.init({ backend: 2 }), TypeError);
    await assert.rejects(xent.init({ simd: false }), (e) => e instanceof TypeError && /unknown option 'simd'/.test(e.message));
    await assert.rejects(xent.init('fast'), TypeError);
    await assert.rejects(xent.init({ wasm: 42 }), (e) => e instanceof TypeError && /options\.wasm must be an ArrayBuffer, a Uint8Array, a Response, a URL or a WebAssembly\.Module/.test(e.message));
  });

  test('an HTML page served instead of the wasm says so and how to fix it', async () => {
    const html = new TextEncoder().encode('<!DOCTYPE html><html><head></head></html>');
    await assert.rejects(xent.init({ wasm: html }), (e) =>
      e instanceof TypeError && /found 3c 21 44 4f/.test(e.message) && /an HTML page was served instead of the wasm/.test(e.message) && /Fix: call `xent\.init\(\)` with no `wasm` option/.test(e.message));
    await assert.rejects(xent.init({ wasm: new Response(html, { status: 200 }) }), /HTML page/);
    await assert.rejects(xent.init({ wasm: new Uint8Array([1, 2, 3, 4, 5]) }), /found 01 02 03 04: these bytes are not a WebAssembly module/);
    await assert.rejects(xent.init({ wasm: new Response('missing', { status: 404 }) }), /HTTP 404/);
  });

  test('a wasm module that is not xent is refused by name', async () => {
    const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    await assert.rejects(xent.init({ wasm: empty }), /has no export 'memory'; it was not built from this version of xent/);
  });

  test('a failed init leaves the loaded module working', () => {
    assert.ok(xent.binaryCrossentropy([1], [0.5]).loss > 0);
  });
});
