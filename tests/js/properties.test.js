// properties.test.js: property-based tests (fast-check) of every public
// function of the JS API, on arbitrary arguments from arbitraries.js: each
// call either returns a well-formed result, finite whenever every number it
// was given is a finite float32, or throws a TypeError or RangeError whose
// message starts with the function's name and names the argument at fault
// (docs/semantics.md, "Guarantees: validation, non-finite values, sizes,
// aliasing"). After every run the module still computes a known loss, and a
// second pass over the same seeded inputs leaves wasm memory, the scratch
// arena and the live tensor count exactly where the first pass left them.
// Seeded and bounded: RUNS runs per property, a few seconds in all.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as xent from '../../js/index.js';
import { arrayArg, float, junk, make, makeOptions, optionsArb, shapeArb } from './arbitraries.js';

const RUNS = 700;
const SEED = 15;
let returned = 0;

before(() => xent.init());

const LOSSES = [
  ['binaryCrossentropy', 'dense'], ['categoricalCrossentropy', 'dense'], ['sparseCategoricalCrossentropy', 'sparse'],
  ['binaryFocalCrossentropy', 'dense'], ['categoricalFocalCrossentropy', 'dense'],
  ['sigmoidCrossEntropyWithLogits', 'dense'], ['weightedCrossEntropyWithLogits', 'dense'],
  ['softmaxCrossEntropyWithLogits', 'dense'], ['sparseSoftmaxCrossEntropyWithLogits', 'sparse'],
  ['klDivergence', 'dense'], ['logitsDistillation', 'dense'], ['categoricalGeneralizedCrossentropy', 'sparse'],
  ['polyLossCrossentropy', 'dense'],
];
const ARG_NAMES = /\b(yTrue|yPred|labels|logits|teacherLogits|studentLogits|posWeight|options|shape|dtype|situation)\b/;

// The thrown value is one of ours: the right class, the function named first, an argument named.
function checkError(fn, e) {
  assert.ok(e instanceof TypeError || e instanceof RangeError, `${fn} threw ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
  assert.ok(e.message.startsWith(`${fn}: `), `${fn}: message does not start with the function name: ${e.message}`);
  assert.match(e.message, ARG_NAMES, `${fn}: message names no argument: ${e.message}`);
}

function checkResult(fn, r, finite) {
  assert.equal(typeof r, 'object');
  for (const key of ['losses', 'grad']) {
    const v = r[key];
    if (v === undefined) continue;
    const data = ArrayBuffer.isView(v) ? v : v.data;
    assert.ok(data instanceof Float32Array, `${fn}: ${key} is not float32`);
    if (finite) assert.ok(data.every(Number.isFinite), `${fn}: ${key} not finite: ${Array.from(data)}`);
  }
  if (r.loss !== undefined) {
    assert.equal(typeof r.loss, 'number');
    if (finite) assert.ok(Number.isFinite(r.loss), `${fn}: loss ${r.loss} from finite inputs`);
  }
}

// Every number handed over is a finite float32 only when the run drew finite
// values and no option that holds numbers came as a bare non-finite number.
const finiteRun = (finite, posWeight) => finite && (posWeight === undefined || (typeof posWeight === 'number' && Math.abs(posWeight) <= 3.4028234663852886e38));

function callLoss(fn, kind, { finite, yTrue, yPred, posWeight, options }) {
  const cleanup = [];
  try {
    const args = [make(yTrue, cleanup), make(yPred, cleanup)];
    if (fn === 'weightedCrossEntropyWithLogits') args.push(posWeight);
    args.push(makeOptions(options, cleanup));
    let r;
    try {
      r = xent[fn](...args);
    } catch (e) {
      checkError(fn, e);
      return;
    }
    checkResult(fn, r, finiteRun(finite, posWeight));
    returned++;
  } finally {
    for (const t of cleanup) t.free();
  }
}

function lossArb(kind, nn) {
  return fc.boolean().chain((finite) => shapeArb.chain((shape) => fc.record({
    finite: fc.constant(finite),
    yTrue: kind === 'sparse' ? arrayArg(shape.length > 1 ? shape.slice(0, -1) : [1], finite, { ints: true }) : arrayArg(shape, finite),
    yPred: arrayArg(shape, finite),
    posWeight: fc.oneof({ weight: 5, arbitrary: float(finite) }, { weight: 1, arbitrary: junk }),
    options: optionsArb(shape, finite, nn),
  })));
}

// A loss the module must still compute after any run: -(log 0.9 + log 0.8) / 2.
function stillWorks() {
  const r = xent.binaryCrossentropy([1, 0], [0.9, 0.2]);
  assert.ok(Math.abs(r.loss - -(Math.log(0.9) + Math.log(0.8)) / 2) < 1e-6);
}

function runLosses() {
  for (const [fn, kind] of LOSSES) {
    fc.assert(fc.property(lossArb(kind, !/Crossentropy$/.test(fn)), (c) => {
      callLoss(fn, kind, c);
      stillWorks();
    }), { seed: SEED, numRuns: RUNS });
  }
}

function runOthers() {
  const shapeLike = fc.oneof(shapeArb, fc.array(fc.oneof(fc.integer({ min: -3, max: 2 ** 31 }), fc.double(), fc.constantFrom(2 ** 30, 65536, 0.5, 1e300)), { maxLength: 3 }), junk);
  fc.assert(fc.property(shapeLike, fc.oneof(fc.constantFrom('float32', 'int32', undefined, 'float64'), junk), (shape, dtype) => {
    let t;
    try {
      t = xent.tensor(shape, dtype);
    } catch (e) {
      checkError('xent.tensor', e);
      return;
    }
    assert.equal(t.data.length, t.size);
    assert.ok(t.data.every((v) => v === 0));
    t.free();
    stillWorks();
  }), { seed: SEED, numRuns: RUNS });
  fc.assert(fc.property(fc.boolean().chain((finite) => shapeArb.chain((shape) => fc.tuple(arrayArg(shape, finite), arrayArg(shape, finite), optionsArb(shape, finite)))), ([yTrue, yPred, options]) => {
    const cleanup = [];
    try {
      const r = xent.inspect(make(yTrue, cleanup), make(yPred, cleanup), makeOptions(options, cleanup));
      assert.equal(typeof r, 'object');
    } catch (e) {
      checkError('inspect', e);
    } finally {
      for (const t of cleanup) t.free();
    }
    stillWorks();
  }), { seed: SEED, numRuns: RUNS });
  const situation = fc.oneof(fc.record({
    problem: fc.oneof(fc.constantFrom('binary', 'multiclass', 'multilabel'), junk),
    labels: fc.oneof(fc.constantFrom('integer', 'onehot', 'multihot', 'soft', 'binary01'), junk),
    output: fc.oneof(fc.constantFrom('logits', 'sigmoid', 'softmax'), junk),
    paddingLabel: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 31, -(2 ** 31) - 1), junk),
    numClasses: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.double(), junk),
    outputUnits: fc.oneof(fc.integer({ min: -1, max: 1000 }), junk),
    labelRange: fc.oneof(fc.tuple(fc.double(), fc.double()), junk),
    imbalanced: fc.oneof(fc.boolean(), junk),
  }, { requiredKeys: [] }), junk);
  fc.assert(fc.property(situation, (s) => {
    try {
      const r = xent.recommend(s);
      assert.equal(typeof r, 'object');
      const ignore = r.xent && r.xent.options && r.xent.options.ignoreClass;
      if (ignore !== undefined) assert.ok(Number.isInteger(ignore) && ignore >= -(2 ** 31) && ignore < 2 ** 31);
    } catch (e) {
      assert.ok(e instanceof TypeError || e instanceof RangeError, String(e));
      assert.match(e.message, /situation/);
    }
  }), { seed: SEED, numRuns: RUNS });
}

// Outputs that share wasm memory with the inputs: the same bits as separate buffers.
function runAliasing() {
  const dense = ['binaryCrossentropy', 'categoricalCrossentropy', 'binaryFocalCrossentropy', 'categoricalFocalCrossentropy',
    'sigmoidCrossEntropyWithLogits', 'weightedCrossEntropyWithLogits', 'softmaxCrossEntropyWithLogits'];
  const arb = fc.record({
    fn: fc.constantFrom(...dense, 'sparseCategoricalCrossentropy', 'sparseSoftmaxCrossEntropyWithLogits'),
    batch: fc.integer({ min: 1, max: 24 }),
    classes: fc.integer({ min: 1, max: 12 }),
    where: fc.constantFrom('grad=yPred', 'grad=yPred.data', 'losses=yTrue', 'grad=yTrue+1', 'losses=grad', 'losses=yPred'),
    fromLogits: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  });
  fc.assert(fc.property(arb, ({ fn, batch, classes, where, fromLogits, seed }) => {
    const sparse = fn.startsWith('sparse');
    const keras = /Crossentropy$/.test(fn);
    const n = batch * classes;
    let r = seed;
    const next = () => ((r = (r * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pred = Float32Array.from({ length: n }, () => (fromLogits ? (next() - 0.5) * 8 : next()));
    const labels = sparse ? Int32Array.from({ length: batch }, () => Math.floor(next() * classes)) : Float32Array.from({ length: n }, () => (next() < 0.3 ? 1 : next() * 0.2));
    const base = keras ? { fromLogits, shape: [batch, classes] } : { shape: [batch, classes] };
    const args = (yTrue, yPred, o) => (fn === 'weightedCrossEntropyWithLogits' ? [yTrue, yPred, 2.5, o] : [yTrue, yPred, o]);
    const want = xent[fn](...args(labels, pred, { ...base, gradient: true }));
    const lossesLen = want.losses.length;
    // Inputs in wasm memory, with room for outputs laid over them.
    const p = xent.tensor([n + 1]);
    const t = xent.tensor([Math.max(sparse ? batch : n, lossesLen) + 1], sparse ? 'int32' : 'float32');
    const g = xent.tensor([n]);
    try {
      p.data.set(pred);
      t.data.set(labels);
      const yPred = p.data.subarray(0, n);
      const yTrue = t.data.subarray(0, labels.length);
      const overF32 = (tensor, at, len) => new Float32Array(tensor.data.buffer, tensor.data.byteOffset + 4 * at, len);
      const out = {
        'grad=yPred': { grad: yPred },
        'grad=yPred.data': { grad: overF32(p, 0, n) },
        'losses=yTrue': { losses: overF32(t, 0, lossesLen), grad: g },
        'grad=yTrue+1': sparse ? { grad: overF32(p, 1, n) } : { grad: overF32(t, 1, n) },
        'losses=grad': { grad: g, losses: g.data.subarray(0, lossesLen) },
        'losses=yPred': { losses: overF32(p, 0, lossesLen), grad: g },
      }[where];
      const got = xent[fn](...args(yTrue, yPred, { ...base, out }));
      if (keras) assert.equal(got.loss, want.loss);
      const bitsOf = (a) => Array.from(new Uint32Array(Float32Array.from(ArrayBuffer.isView(a) ? a : a.data).buffer));
      assert.deepEqual(bitsOf(got.grad), bitsOf(want.grad), `${fn} ${where}: gradient`);
      // Where losses and grad overlap, the gradient is written last.
      if (where !== 'losses=grad') assert.deepEqual(bitsOf(got.losses), bitsOf(want.losses), `${fn} ${where}: losses`);
    } finally {
      p.free();
      t.free();
      g.free();
    }
  }), { seed: SEED, numRuns: 300 });
}

describe('arbitrary arguments give a result or a named TypeError/RangeError, and wasm memory stays flat', () => {
  test('outputs that overlap the inputs in wasm memory give the bits of separate buffers', () => {
    runAliasing();
    assert.equal(xent.memoryStats().liveTensors, 0);
  });

  test('every loss and tf.nn op', () => {
    runLosses();
    // Not vacuous: a good share of the calls ran the kernels and returned.
    assert.ok(returned >= 0.2 * RUNS * LOSSES.length, `only ${returned} calls returned a result`);
    const first = xent.memoryStats();
    runLosses();
    assert.deepEqual(xent.memoryStats(), first, 'a second pass over the same inputs changed wasm memory');
    assert.equal(first.liveTensors, 0);
  });

  test('tensor, inspect and recommend', () => {
    runOthers();
    const first = xent.memoryStats();
    runOthers();
    assert.deepEqual(xent.memoryStats(), first);
    assert.equal(first.liveTensors, 0);
  });

  test('init rejects bad options with a named error and keeps the loaded module', async () => {
    const bad = fc.oneof(junk, fc.record({ backend: fc.oneof(fc.string(), junk), extra: fc.integer() }, { requiredKeys: [] }),
      fc.record({ wasm: fc.oneof(fc.constantFrom(42, {}, 'not a url', null), fc.integer()) }));
    await fc.assert(fc.asyncProperty(bad, async (options) => {
      try {
        await xent.init(options);
      } catch (e) {
        assert.ok(e instanceof Error && e.message.startsWith('xent.init'), String(e));
        assert.match(e.message, /options|wasm|backend/);
      }
      stillWorks();
    }), { seed: SEED, numRuns: 200 });
    await xent.init();
    stillWorks();
  });
});
