// sampler.test.js: xent.logUniformCandidateSampler (js/sampled.js over
// src/sampler.c; docs/semantics.md 3.5). The generator is specified in the docs
// (SplitMix64, U = top 53 bits / 2^53, TensorFlow's floor(exp(U log(R + 1))) - 1
// mod R, redraw until unique), so it is reimplemented in plain JS with BigInt
// and Math.exp / Math.log1p (sampled-estimate-reference.js, written from the
// docs and shared with the loss-page tests), and the SIMD module, the scalar module, the
// native build (build/native/dump_sampler, built by `npm test` before these
// tests) and this reimplementation must all draw the same classes for a seed.
// Expected counts against TensorFlow's ExpectedCountHelper formula evaluated
// here in float32 (Math.fround); argument errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as xent from '../../js/index.js';
import { logUniformSample as referenceSample } from './sampled-estimate-reference.js';

const DUMP = fileURLToPath(new URL('../../build/native/dump_sampler', import.meta.url));

/** TF: Probability() in double stored as float; ExpectedCountHelper in float. */
const f = Math.fround;
const tfP = (k, R) => f(Math.log((k + 2) / (k + 1)) / Math.log1p(R));
const tfCount = (p, n, tries) => (tries === n ? f(p * n) : f(-Math.expm1(f(tries * f(Math.log1p(-p))))));

function ulps(got, want) {
  const buf = new Float32Array([got, want]);
  const i = new Int32Array(buf.buffer);
  return Math.abs(i[0] - i[1]);
}

const CASES = [];
for (const rangeMax of [1, 2, 10, 1000, 100000, 2147483647]) {
  for (const numSampled of [1, 5, 64]) {
    for (const unique of [true, false]) {
      if (unique && numSampled > rangeMax) continue;
      for (const seed of [0, 1, 12345, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) CASES.push({ rangeMax, numSampled, unique, seed });
    }
  }
}

async function drawAll(backend) {
  await xent.init({ backend });
  return CASES.map(({ rangeMax, numSampled, unique, seed }) =>
    xent.logUniformCandidateSampler({ trueClasses: [[0], [rangeMax - 1]], numSampled, unique, rangeMax, seed }));
}

test('the SIMD module, the scalar module and a plain-JS reimplementation of the documented generator draw the same classes for every seed', async () => {
  const simd = await drawAll('wasm-simd');
  const scalar = await drawAll('wasm');
  CASES.forEach((c, i) => {
    const ref = referenceSample(c.seed, c.rangeMax, c.numSampled, c.unique);
    assert.deepEqual(Array.from(simd[i].sampledCandidates), ref.classes, JSON.stringify(c));
    assert.deepEqual(simd[i], scalar[i], `SIMD and scalar differ for ${JSON.stringify(c)}`);
  });
});

test('the native build draws the same classes and expected counts as the wasm module for the same seed', { skip: !existsSync(DUMP) && 'build/native/dump_sampler is not built (npm test builds it)' }, async () => {
  await xent.init({ backend: 'wasm-simd' });
  for (const c of CASES.filter((_, i) => i % 3 === 0)) {
    const lo = c.seed % 2 ** 32;
    const hi = Math.floor(c.seed / 2 ** 32);
    const native = JSON.parse(execFileSync(DUMP, [c.rangeMax, c.numSampled, c.unique ? 1 : 0, lo, hi, 0, c.rangeMax - 1].map(String), { encoding: 'utf8' }));
    const wasm = xent.logUniformCandidateSampler({ trueClasses: [[0, c.rangeMax - 1]], numSampled: c.numSampled, unique: c.unique, rangeMax: c.rangeMax, seed: c.seed });
    assert.deepEqual(native.sampledCandidates, Array.from(wasm.sampledCandidates), JSON.stringify(c));
    // %.9g round-trips a float32 exactly.
    assert.deepEqual(native.sampledExpectedCount.map(f), Array.from(wasm.sampledExpectedCount), JSON.stringify(c));
    assert.deepEqual(native.trueExpectedCount.map(f), Array.from(wasm.trueExpectedCount), JSON.stringify(c));
  }
});

test("expected counts follow TensorFlow's formula: p n without redraws, else 1 - (1 - p)^numTries, within 4 float32 ulps", async () => {
  await xent.init();
  let redrawn = 0;
  for (const c of CASES) {
    const trueClasses = [[0, 1 % c.rangeMax], [c.rangeMax - 1, Math.floor(c.rangeMax / 3)]];
    const got = xent.logUniformCandidateSampler({ trueClasses, numTrue: 2, numSampled: c.numSampled, unique: c.unique, rangeMax: c.rangeMax, seed: c.seed });
    const { tries } = referenceSample(c.seed, c.rangeMax, c.numSampled, c.unique);
    if (tries > c.numSampled) redrawn++;
    got.sampledCandidates.forEach((k, i) => {
      const want = tfCount(tfP(k, c.rangeMax), c.numSampled, tries);
      assert.ok(ulps(got.sampledExpectedCount[i], want) <= 4, `${JSON.stringify(c)} sampled ${i}: ${got.sampledExpectedCount[i]} vs ${want}`);
    });
    trueClasses.flat().forEach((k, i) => {
      const want = tfCount(tfP(k, c.rangeMax), c.numSampled, tries);
      assert.ok(ulps(got.trueExpectedCount[i], want) <= 4, `${JSON.stringify(c)} true ${i}: ${got.trueExpectedCount[i]} vs ${want}`);
    });
  }
  assert.ok(redrawn > 10, `the cases include unique samples that needed redraws (${redrawn})`);
});

test('unique sampling of numSampled == rangeMax returns every class once, and one more is a RangeError naming numSampled', async () => {
  await xent.init();
  const r = xent.logUniformCandidateSampler({ trueClasses: [[3]], numSampled: 200, rangeMax: 200, seed: 9 });
  assert.deepEqual(Array.from(r.sampledCandidates).sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i));
  assert.throws(() => xent.logUniformCandidateSampler({ trueClasses: [[3]], numSampled: 201, rangeMax: 200, seed: 9 }),
    { name: 'RangeError', message: /numSampled = 201 is more than rangeMax = 200/ });
  const r2 = xent.logUniformCandidateSampler({ trueClasses: [[3]], numSampled: 201, rangeMax: 200, unique: false, seed: 9 });
  assert.equal(r2.sampledCandidates.length, 201);
});

test('the same seed gives the same sample and different seeds differ; no seed draws a fresh one', async () => {
  await xent.init();
  const o = { trueClasses: [[1]], numSampled: 32, rangeMax: 100000 };
  const a = xent.logUniformCandidateSampler({ ...o, seed: 77 });
  assert.deepEqual(a, xent.logUniformCandidateSampler({ ...o, seed: 77 }));
  assert.notDeepEqual(a.sampledCandidates, xent.logUniformCandidateSampler({ ...o, seed: 78 }).sampledCandidates);
  assert.notDeepEqual(xent.logUniformCandidateSampler(o).sampledCandidates, xent.logUniformCandidateSampler(o).sampledCandidates);
});

test('bad arguments are TypeErrors or RangeErrors naming the argument', async () => {
  await xent.init();
  const ok = { trueClasses: [[1, 2]], numTrue: 2, numSampled: 4, rangeMax: 10, seed: 1 };
  xent.logUniformCandidateSampler(ok);
  const cases = [
    [{ ...ok, trueClasses: [[1, 10]] }, RangeError, /trueClasses\[1\] = 10 is outside the valid range \[0, 10\)/],
    [{ ...ok, trueClasses: [[1, -1]] }, RangeError, /trueClasses\[1\] = -1/],
    [{ ...ok, trueClasses: [[1.5, 2]] }, RangeError, /trueClasses\[0\] = 1.5 is not an integer/],
    [{ ...ok, numTrue: 3 }, RangeError, /trueClasses has shape \[1, 2\] but numTrue is 3/],
    [{ ...ok, numSampled: 0 }, RangeError, /numSampled must be an integer in \[1, /],
    [{ ...ok, numSampled: '4' }, TypeError, /numSampled must be an integer, got the string/],
    [{ ...ok, rangeMax: undefined }, TypeError, /rangeMax is required/],
    [{ ...ok, unique: 1 }, TypeError, /unique must be true or false/],
    [{ ...ok, seed: -1 }, RangeError, /seed must be an integer in \[0, 2\^53 - 1\]/],
    [{ ...ok, range_max: 10 }, TypeError, /unknown option 'range_max' \(did you mean rangeMax\?\)/],
    [{ ...ok, trueClasses: 'a' }, TypeError, /trueClasses must be/],
  ];
  for (const [o, type, message] of cases) assert.throws(() => xent.logUniformCandidateSampler(o), { name: type.name, message });
  assert.throws(() => xent.logUniformCandidateSampler(), { name: 'TypeError', message: /expects one options object/ });
});
