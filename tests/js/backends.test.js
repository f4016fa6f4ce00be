// backends.test.js: which wasm module loads, and that both give the same
// answers through the JS API. The SIMD build loads where the engine validates
// the SIMD probe (Node 20 does); `init({ backend: 'wasm' })` loads the scalar
// build; `init({ wasm })` takes bytes, a Response, a URL or a compiled module.
// Per-element results of elementwise ops agree bit for bit between the builds
// (src/xent.h: same operations, -ffp-contract=off); row sums within the core's
// tolerance (1e-6 relative + 1e-7 absolute).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as xent from '../../js/index.js';
import { deviation, rng } from './reference.js';

const DIST = new URL('../../dist/', import.meta.url);

const f32 = (n, f) => Float32Array.from({ length: n }, f);

// One battery of calls over every function, at row lengths that run every tail
// path; the same data on every run.
function battery() {
  const rand = rng(7);
  const out = {};
  for (const classes of [1, 3, 4, 5, 7, 8, 33, 1000]) {
    const batch = 3;
    const n = batch * classes;
    const shape = [batch, classes];
    const z = f32(n, () => (rand() - 0.5) * 20);
    const p = f32(n, () => rand());
    const y = f32(n, () => (rand() < 0.5 ? 1 : 0));
    const soft = f32(n, () => rand());
    const ints = Int32Array.from({ length: batch }, () => Math.floor(rand() * classes));
    const g = { shape, gradient: true };
    for (const fromLogits of [true, false]) {
      const x = fromLogits ? z : p;
      const o = { ...g, fromLogits };
      out[`binaryCrossentropy ${classes} ${fromLogits}`] = xent.binaryCrossentropy(y, x, o);
      out[`categoricalCrossentropy ${classes} ${fromLogits}`] = xent.categoricalCrossentropy(soft, x, { ...o, labelSmoothing: 0.1 });
      out[`sparseCategoricalCrossentropy ${classes} ${fromLogits}`] = xent.sparseCategoricalCrossentropy(ints, x, o);
      out[`binaryFocalCrossentropy ${classes} ${fromLogits}`] = xent.binaryFocalCrossentropy(soft, x, { ...o, applyClassBalancing: true });
      out[`categoricalFocalCrossentropy ${classes} ${fromLogits}`] = xent.categoricalFocalCrossentropy(soft, x, o);
    }
    out[`sigmoidCrossEntropyWithLogits ${classes}`] = xent.sigmoidCrossEntropyWithLogits(soft, z, g);
    out[`weightedCrossEntropyWithLogits ${classes}`] = xent.weightedCrossEntropyWithLogits(soft, z, 3, g);
    out[`softmaxCrossEntropyWithLogits ${classes}`] = xent.softmaxCrossEntropyWithLogits(soft, z, g);
    out[`sparseSoftmaxCrossEntropyWithLogits ${classes}`] = xent.sparseSoftmaxCrossEntropyWithLogits(ints, z, g);
  }
  // One column: every per-example loss is one element loss. Hard labels in
  // most blocks of 8 (the SIMD kernel's one-log path), a soft label in some,
  // probabilities at and beyond the clip.
  const n = 1003;
  const edges = [0, 1, 1e-8, 1e-7, 1 - 1e-7, 0.5, 1e-30];
  const y = f32(n, (_, i) => (i % 97 === 5 ? 0.25 : rand() < 0.3 ? 1 : 0));
  const p = f32(n, (_, i) => (i % 13 === 0 ? edges[(i / 13) % edges.length] : rand()));
  const z = f32(n, () => (rand() - 0.5) * 40);
  for (const fromLogits of [true, false]) {
    out[`binaryCrossentropy column ${fromLogits}`] =
      xent.binaryCrossentropy(y, fromLogits ? z : p, { shape: [n, 1], fromLogits, gradient: true });
  }
  return out;
}

describe('loading', () => {
  test('the SIMD module loads where the engine supports SIMD, and it is the SIMD build', async () => {
    assert.equal(xent.simdSupported(), true, 'Node 20 validates the f32x4 + f64x2.promote_low probe');
    assert.equal(await xent.init(), 'wasm-simd');
    assert.equal(xent.backend, 'wasm-simd'); // read from the module's own xent_simd()
  });

  test('init() is idempotent: a second call keeps the loaded module and its tensors', async () => {
    const t = xent.tensor([3]);
    t.data.set([1, 2, 3]);
    const [a, b] = await Promise.all([xent.init(), xent.init()]);
    assert.equal(a, 'wasm-simd');
    assert.equal(b, 'wasm-simd');
    assert.deepEqual(Array.from(t.data), [1, 2, 3], 'the tensor survived: the module was not reloaded');
    t.free();
  });

  test('the SIMD and scalar modules give the same answers through the API', async () => {
    await xent.init();
    const simd = battery();
    const keep = xent.tensor([1]);
    assert.equal(await xent.init({ backend: 'wasm' }), 'wasm');
    assert.equal(xent.backend, 'wasm');
    assert.throws(() => keep.data, /belongs to a wasm module that init\(\) replaced/);
    const scalar = battery();
    let worst = 0;
    let identical = 0;
    let elements = 0;
    for (const [key, s] of Object.entries(simd)) {
      const c = scalar[key];
      for (const part of ['losses', 'grad']) {
        const dev = deviation(c[part], s[part]);
        worst = Math.max(worst, dev.relative);
        assert.ok(dev.excess <= 1, `${key} ${part}[${dev.at}]: scalar ${c[part][dev.at]}, SIMD ${s[part][dev.at]}`);
        for (let i = 0; i < s[part].length; i++) {
          elements++;
          if (Object.is(c[part][i], s[part][i])) identical++;
        }
      }
      if (s.loss !== undefined) assert.ok(deviation([c.loss], [s.loss]).excess <= 1, `${key} loss`);
      if (/^(sigmoidCrossEntropyWithLogits|weightedCrossEntropyWithLogits|binaryCrossentropy column)/.test(key)) {
        assert.deepEqual(c.losses, s.losses, `${key}: elementwise losses agree bit for bit`);
        assert.deepEqual(c.grad, s.grad, `${key}: elementwise gradients agree bit for bit`);
      }
    }
    console.log(`# SIMD vs scalar: ${identical} of ${elements} outputs bit-identical, largest relative difference ${worst.toExponential(2)}`);
  });

  test('init({ wasm }) takes bytes, an ArrayBuffer, a Response, a file URL or a compiled module', async () => {
    const scalarBytes = await readFile(new URL('xent.wasm', DIST));
    const simdBytes = await readFile(new URL('xent-simd.wasm', DIST));
    assert.equal(await xent.init({ wasm: new Uint8Array(simdBytes) }), 'wasm-simd');
    assert.equal(await xent.init({ wasm: scalarBytes.buffer.slice(scalarBytes.byteOffset, scalarBytes.byteOffset + scalarBytes.byteLength) }), 'wasm');
    assert.equal(await xent.init({ wasm: new Response(simdBytes, { headers: { 'content-type': 'application/wasm' } }) }), 'wasm-simd');
    assert.equal(await xent.init({ wasm: new URL('xent.wasm', DIST) }), 'wasm');
    assert.equal(await xent.init({ wasm: await WebAssembly.compile(simdBytes) }), 'wasm-simd');
    assert.ok(Math.abs(xent.binaryCrossentropy([1], [0.5]).loss - Math.LN2) < 1e-6);
  });

  test('init() calls in flight run in order: the last one asked for wins', async () => {
    const [a, b] = await Promise.all([xent.init({ backend: 'wasm' }), xent.init({ backend: 'wasm-simd' })]);
    assert.equal(a, 'wasm');
    assert.equal(b, 'wasm-simd');
    assert.equal(xent.backend, 'wasm-simd');
  });

  test('asking for one backend and passing the other module is an error', async () => {
    const scalarBytes = await readFile(new URL('xent.wasm', DIST));
    await assert.rejects(xent.init({ backend: 'wasm-simd', wasm: scalarBytes }), /backend 'wasm-simd' was requested but the given module is the scalar build/);
    assert.equal(xent.backend, 'wasm-simd', 'the loaded module stays');
  });
});
