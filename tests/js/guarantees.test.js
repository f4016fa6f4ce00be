// guarantees.test.js: the validation, size and aliasing guarantees of the JS
// API (docs/semantics.md, "Guarantees: validation, non-finite values, sizes,
// aliasing"), each with the reproducer that once broke it: sizes at the 2 GiB
// wasm limit, `out` buffers that share memory with an input, options read
// from own properties only, NaN weights, the init() fetch failure, empty
// nested labels and the padding label the CLI passes on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import * as xent from '../../js/index.js';
import { rng } from './reference.js';

before(() => xent.init());

const bitsOf = (a) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
const sameBits = (got, want, what) => assert.deepEqual(bitsOf(got), bitsOf(want), what);

describe('sizes at the wasm memory limit', () => {
  test('a tensor of 2^32 values is a RangeError naming shape, and live tensors keep their data', () => {
    const h = xent.tensor([4]);
    const live = xent.tensor([8]);
    live.data.fill(1);
    h.free();
    const before = xent.memoryStats();
    assert.throws(() => xent.tensor([65536, 65536]), (e) => e instanceof RangeError && /xent\.tensor: shape \[65536, 65536\] has 4294967296 values; a tensor holds at most 536870896/.test(e.message));
    assert.throws(() => xent.tensor([2 ** 30]), (e) => e instanceof RangeError && /shape \[1073741824\]/.test(e.message));
    assert.deepEqual(Array.from(live.data), [1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(xent.memoryStats(), before);
    live.free();
  });

  test('a tensor under the limit that does not fit in memory is a RangeError naming its shape', () => {
    assert.throws(() => xent.tensor([2 ** 29 - 16]), (e) => e instanceof RangeError && /cannot allocate \d+ bytes of wasm memory for shape \[536870896\]/.test(e.message));
    const t = xent.tensor([3]);
    assert.equal(t.data.length, 3);
    t.free();
  });

  test('a loss call too large for wasm memory is a RangeError naming the prediction, not an out-of-bounds offset', () => {
    // 2^28 float32 values (1 GiB, never touched: the call fails before copying).
    const big = new Float32Array(2 ** 28);
    for (const [name, call] of [
      ['yPred', () => xent.binaryCrossentropy(big, big)],
      ['yPred', () => xent.categoricalCrossentropy(big, big, { gradient: true })],
      ['logits', () => xent.sigmoidCrossEntropyWithLogits(big, big)],
    ]) {
      assert.throws(call, (e) => e instanceof RangeError && new RegExp(`: ${name} has 268435456 values: .* more than the module can allocate`).test(e.message), name);
    }
    const r = xent.binaryCrossentropy([1, 0], [0.9, 0.2]);
    assert.ok(Math.abs(r.loss - (-(Math.log(0.9) + Math.log(0.8)) / 2)) < 1e-6);
  });
});

describe('out buffers that share memory with an input', () => {
  const B = 37;
  const C = 11;
  const rand = rng(15);
  const logits = Float32Array.from({ length: B * C }, () => (rand() - 0.5) * 12);
  const probs = Float32Array.from({ length: B * C }, () => rand());
  const soft = Float32Array.from({ length: B * C }, () => rand());
  const ints = Int32Array.from({ length: B }, () => Math.floor(rand() * C));
  const tensorOf = (values, shape, dtype = 'float32') => {
    const t = xent.tensor(shape, dtype);
    t.data.set(values);
    return t;
  };
  const free = [];
  after(() => free.forEach((t) => t.free()));

  test('sparse categorical cross-entropy with out.grad = the logits tensor equals the call with a separate buffer', () => {
    const want = xent.sparseCategoricalCrossentropy(ints, logits, { shape: [B, C], fromLogits: true, gradient: true });
    const z = tensorOf(logits, [B, C]);
    const y = tensorOf(ints, [B], 'int32');
    free.push(z, y);
    const got = xent.sparseCategoricalCrossentropy(y, z, { fromLogits: true, out: { grad: z } });
    assert.equal(got.loss, want.loss);
    assert.equal(got.grad, z);
    sameBits(z.data, want.grad, 'gradient written over the logits');
    sameBits(got.losses, want.losses, 'per-example losses');
  });

  test('categorical cross-entropy on probabilities and logits, written in place, equals the non-aliased call', () => {
    for (const fromLogits of [false, true]) {
      const x = fromLogits ? logits : probs;
      const want = xent.categoricalCrossentropy(soft, x, { shape: [B, C], fromLogits, labelSmoothing: 0.1, gradient: true });
      const p = tensorOf(x, [B, C]);
      free.push(p);
      const got = xent.categoricalCrossentropy(soft, p, { fromLogits, labelSmoothing: 0.1, out: { grad: p } });
      assert.equal(got.loss, want.loss);
      sameBits(p.data, want.grad, `fromLogits ${fromLogits}`);
    }
  });

  test('losses over the labels, the gradient over part of the prediction, and the two outputs over each other give the non-aliased numbers', () => {
    const want = xent.binaryCrossentropy(soft, logits, { shape: [B, C], fromLogits: true, gradient: true });
    // out.losses is the first B values of the labels tensor.
    const y = tensorOf(soft, [B * C]);
    const z = tensorOf(logits, [B, C]);
    free.push(y, z);
    const got = xent.binaryCrossentropy(y, z, { fromLogits: true, out: { losses: y.data.subarray(0, B), grad: z.data.subarray(0) } });
    assert.equal(got.loss, want.loss);
    sameBits(y.data.subarray(0, B), want.losses, 'losses over the labels');
    sameBits(z.data, want.grad, 'gradient over the prediction');
    // The gradient shifted by one value over the prediction, and losses inside the gradient's buffer.
    const z2 = tensorOf([...logits, 0], [B * C + 1]);
    free.push(z2);
    const pred = z2.data.subarray(0, B * C);
    const grad = z2.data.subarray(1);
    xent.sigmoidCrossEntropyWithLogits(soft, pred, { out: { grad, losses: z2.data.subarray(0, B * C) } });
    const wantNN = xent.sigmoidCrossEntropyWithLogits(soft, logits, { gradient: true });
    const both = new Float32Array(z2.data);
    assert.ok(both.every(Number.isFinite));
    // Losses were copied first, then the gradient: the gradient wins where they overlap.
    sameBits(both.subarray(1), wantNN.grad, 'gradient');
    assert.equal(both[0], wantNN.losses[0]);
  });

  test('a sample weight view that the gradient overwrites is read before the write', () => {
    // 100 weights: longer than the 64 values that are always copied, so the kernel reads them in place.
    const b2 = 100;
    const c2 = 3;
    const y2 = Float32Array.from({ length: b2 * c2 }, () => rand());
    const p2 = Float32Array.from({ length: b2 * c2 }, () => rand());
    const w = Float32Array.from({ length: b2 * c2 }, (_, i) => 1 + (i % 3));
    const t = tensorOf(w, [b2 * c2]);
    free.push(t);
    const want = xent.categoricalCrossentropy(y2, p2, { shape: [b2, c2], sampleWeight: w.subarray(0, b2), reduction: 'sum', gradient: true });
    const got = xent.categoricalCrossentropy(y2, p2, { shape: [b2, c2], sampleWeight: t.data.subarray(0, b2), reduction: 'sum', out: { grad: t.data } });
    assert.equal(got.loss, want.loss);
    sameBits(t.data, want.grad);
  });
});

describe('options', () => {
  test('inherited option keys are ignored: only own properties are read', () => {
    const z = [[2, -1, 0.5]];
    const y = [[0, 1, 0]];
    const plain = xent.categoricalCrossentropy(y, [[0.2, 0.5, 0.3]]);
    const inherited = xent.categoricalCrossentropy(y, [[0.2, 0.5, 0.3]], Object.create({ fromLogits: true, bogus: 1 }));
    assert.equal(inherited.loss, plain.loss);
    assert.equal(xent.categoricalCrossentropy(y, z, Object.assign(Object.create({ fromLogits: false }), { fromLogits: true })).loss,
      xent.categoricalCrossentropy(y, z, { fromLogits: true }).loss);
    const out = Object.create({ grad: new Float32Array(3) });
    assert.equal(xent.categoricalCrossentropy(y, z, { out }).grad, undefined);
    Object.prototype.polluted = true; // eslint-disable-line no-extend-native
    try {
      assert.equal(xent.categoricalCrossentropy(y, [[0.2, 0.5, 0.3]], {}).loss, plain.loss);
    } finally {
      delete Object.prototype.polluted;
    }
  });

  test('a NaN sample weight gives that example a NaN loss and NaN gradient; the other examples keep theirs; every reduction but none is NaN', () => {
    const y = [[1, 0], [0, 1]];
    const p = [[0.8, 0.2], [0.3, 0.7]];
    const r = xent.categoricalCrossentropy(y, p, { sampleWeight: [NaN, 2], gradient: true });
    assert.ok(Number.isNaN(r.losses[0]));
    assert.ok(Math.abs(r.losses[1] - -2 * Math.log(0.7)) < 1e-6);
    assert.ok(Number.isNaN(r.loss));
    assert.ok(Number.isNaN(r.grad[0]) && Number.isNaN(r.grad[1]));
    assert.ok(Number.isFinite(r.grad[2]) && Number.isFinite(r.grad[3]));
    assert.ok(Number.isNaN(xent.categoricalCrossentropy(y, p, { classWeight: [1, NaN] }).loss));
    assert.equal(xent.categoricalCrossentropy(y, p, { sampleWeight: [NaN, 2], reduction: 'none' }).loss, undefined);
  });

  test('a padding label outside int32 is a RangeError in recommend() and the CLI, as ignoreClass is in the losses', () => {
    const situation = { problem: 'multiclass', labels: 'integer', output: 'logits', paddingLabel: 2 ** 31 };
    assert.throws(() => xent.recommend(situation), (e) => e instanceof RangeError && /situation\.paddingLabel must be an integer from -2147483648 to 2147483647/.test(e.message));
    assert.equal(xent.recommend({ ...situation, paddingLabel: 2 ** 31 - 1 }).xent.options.ignoreClass, 2147483647);
    assert.throws(() => xent.sparseCategoricalCrossentropy([0], [1, 2], { ignoreClass: 2 ** 31 }), (e) => e instanceof RangeError && /options\.ignoreClass must be an integer, got 2147483648/.test(e.message));
    const cli = spawnSync(process.execPath, [new URL('../../bin/xent.js', import.meta.url).pathname, 'recommend', '--problem', 'multiclass', '--labels', 'integer', '--output', 'logits', '--padding-label', '2147483648'], { encoding: 'utf8' });
    assert.notEqual(cli.status, 0);
    assert.doesNotMatch(cli.stdout, /ignoreClass: 2147483648/);
    assert.match(cli.stderr, /2147483648/);
  });
});

describe('error messages name the argument at fault', () => {
  test('empty nested labels that give a flat prediction its shape are named as yTrue (labels for tf.nn)', () => {
    assert.throws(() => xent.binaryCrossentropy([[]], []), (e) => e instanceof RangeError && /binaryCrossentropy: yTrue has shape \[1, 0\] \(and the flat yPred of 0 values takes that shape\)/.test(e.message));
    assert.throws(() => xent.softmaxCrossEntropyWithLogits([[]], new Float32Array(0)), (e) => e instanceof RangeError && /: labels has shape \[1, 0\]/.test(e.message));
    assert.throws(() => xent.binaryCrossentropy([[0]], [[]]), (e) => e instanceof RangeError && /yPred has shape \[1, 0\]/.test(e.message));
  });

  test('init({ wasm: URL }) that cannot be fetched names the URL, the reason and the fix', async () => {
    const server = createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve)); // now nothing listens there
    const url = new URL(`http://127.0.0.1:${port}/xent.wasm`);
    await assert.rejects(xent.init({ wasm: url }), (e) => e.message.includes(`could not fetch the wasm module from options.wasm = ${url.href}`) && /ECONNREFUSED/.test(e.message) && /Fix: /.test(e.message));
    await assert.rejects(xent.init({ wasm: new URL('file:///nonexistent/xent.wasm') }), (e) => /could not read the wasm module at options\.wasm = file:\/\/\/nonexistent\/xent\.wasm \(ENOENT\)/.test(e.message));
    // The module that was loaded keeps working.
    assert.ok(Number.isFinite(xent.binaryCrossentropy([1], [0.5]).loss));
    await xent.init();
  });
});
