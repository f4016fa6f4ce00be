// sampled.test.js: xent.sampledSoftmaxLoss and xent.nceLoss (js/sampled.js over
// src/sampled.c; docs/semantics.md 3.5). A float64 reference written here from
// TensorFlow's _compute_sampled_logits (hits get -FLT_MAX added at the last
// position of a repeated candidate) is given the same candidates through
// sampledValues; gradients against central differences of the returned losses;
// the two wasm modules bit for bit; the convergence to the full softmax when
// every class is sampled; a tiny embedding model trained in Node; the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { rng } from './reference.js';

const FLT_MAX = 3.4028234663852886e38;

function problem(seed, { C = 40, D = 7, B = 5, T = 1, S = 9 } = {}) {
  const r = rng(seed);
  const u = (s) => (r() * 2 - 1) * s;
  const W = Float32Array.from({ length: C * D }, () => u(1));
  const biases = Float32Array.from({ length: C }, () => u(0.5));
  const inputs = Float32Array.from({ length: B * D }, () => u(1));
  const labels = Int32Array.from({ length: B * T }, () => Math.floor(r() * C));
  const cand = Int32Array.from({ length: S }, () => Math.floor(r() * C));
  if (S > 2) cand[1] = cand[S - 1] = labels[0]; // an accidental hit, repeated
  const tq = Float32Array.from({ length: B * T }, () => 0.01 + r() * 1.4);
  const sq = Float32Array.from({ length: S }, () => 0.01 + r() * 1.4);
  return { C, D, B, T, S, W, biases, inputs, labels, sampledValues: { sampledCandidates: cand, trueExpectedCount: tq, sampledExpectedCount: sq } };
}

/** Float64 reference: per-example losses and dense gradients of their sum. */
function reference(p, nce, hits, logQ = true) {
  const { C, D, B, T, S, W, biases, inputs, labels } = p;
  const { sampledCandidates: cand, trueExpectedCount: tq, sampledExpectedCount: sq } = p.sampledValues;
  const losses = [];
  const gW = new Float64Array(C * D);
  const gb = new Float64Array(C);
  const gx = new Float64Array(B * D);
  for (let b = 0; b < B; b++) {
    const cls = [];
    const z = [];
    const y = [];
    for (let k = 0; k < T + S; k++) {
      const c = k < T ? labels[b * T + k] : cand[k - T];
      let v = biases[c];
      for (let j = 0; j < D; j++) v += inputs[b * D + j] * W[c * D + j];
      if (logQ) v -= Math.log(k < T ? tq[b * T + k] : sq[k - T]);
      cls.push(c);
      z.push(v);
      y.push(k < T ? 1 / T : 0);
    }
    if (hits) {
      for (let t = 0; t < T; t++) {
        const last = cand.lastIndexOf(labels[b * T + t]);
        if (last >= 0) z[T + last] += -FLT_MAX;
      }
    }
    let l = 0;
    const dz = [];
    if (!nce) {
      const m = Math.max(...z);
      const s = z.reduce((a, v) => a + Math.exp(v - m), 0);
      for (let k = 0; k < z.length; k++) {
        l -= y[k] * (z[k] - m - Math.log(s));
        dz.push(Math.exp(z[k] - m) / s - y[k]);
      }
    } else {
      for (let k = 0; k < z.length; k++) {
        l += Math.max(z[k], 0) - z[k] * y[k] + Math.log1p(Math.exp(-Math.abs(z[k])));
        dz.push(1 / (1 + Math.exp(-z[k])) - y[k]);
      }
    }
    losses.push(l);
    for (let k = 0; k < z.length; k++) {
      gb[cls[k]] += dz[k];
      for (let j = 0; j < D; j++) {
        gW[cls[k] * D + j] += dz[k] * inputs[b * D + j];
        gx[b * D + j] += dz[k] * W[cls[k] * D + j];
      }
    }
  }
  return { losses, gW, gb, gx };
}

const call = (nce, p, extra = {}) =>
  (nce ? xent.nceLoss : xent.sampledSoftmaxLoss)({
    weights: p.W, biases: p.biases, labels: p.labels, inputs: p.inputs, numSampled: p.S, numClasses: p.C,
    numTrue: p.T, sampledValues: p.sampledValues, gradient: true, ...extra,
  });

const close = (got, want, rtol, atol, what) =>
  assert.ok(Math.abs(got - want) <= rtol * Math.abs(want) + atol, `${what}: ${got} vs ${want}`);

function scatter(p, grad) {
  const dW = new Float64Array(p.C * p.D);
  const db = new Float64Array(p.C);
  assert.equal(new Set(grad.classIds).size, grad.classIds.length, 'each class id appears once');
  grad.classIds.forEach((c, i) => {
    db[c] = grad.biases[i];
    for (let j = 0; j < p.D; j++) dW[c * p.D + j] = grad.weights[i * p.D + j];
  });
  return { dW, db };
}

test('both losses and their sparse gradients match a float64 reference given the same candidates', async () => {
  await xent.init();
  let worst = 0;
  let seed = 1;
  for (const nce of [false, true]) {
    for (const hits of [false, true]) {
      for (const T of [1, 2, 3]) {
        for (const D of [1, 3, 4, 5, 8, 13, 32]) {
          const p = problem(seed++, { D, T, S: 1 + (seed % 11) });
          const got = call(nce, p, { removeAccidentalHits: hits });
          const want = reference(p, nce, hits);
          assert.deepEqual(got.sampled, p.sampledValues.sampledCandidates);
          got.losses.forEach((l, b) => {
            worst = Math.max(worst, Math.abs(l - want.losses[b]) / Math.abs(want.losses[b]));
            close(l, want.losses[b], 2e-5, 2e-6, `loss ${b} nce=${nce} hits=${hits} T=${T} D=${D}`);
          });
          const { dW, db } = scatter(p, got.grad);
          dW.forEach((v, i) => close(v, want.gW[i], 1e-4, 1e-5, `dW[${i}]`));
          db.forEach((v, i) => close(v, want.gb[i], 1e-4, 1e-5, `db[${i}]`));
          got.grad.inputs.forEach((v, i) => close(v, want.gx[i], 1e-4, 1e-5, `dinputs[${i}]`));
        }
      }
    }
  }
  assert.ok(worst < 1e-6, `worst relative loss error ${worst}`);
});

test('subtractLogQ: false leaves the expected counts out of the logits', async () => {
  await xent.init();
  const p = problem(5, { T: 2 });
  const got = call(false, p, { subtractLogQ: false });
  const want = reference(p, false, true, false);
  got.losses.forEach((l, b) => close(l, want.losses[b], 2e-5, 2e-6, `loss ${b}`));
});

test('gradients agree with central differences of the returned losses', async () => {
  await xent.init();
  for (const nce of [false, true]) {
    const p = problem(17, { D: 6, T: 2, S: 8 });
    const base = call(nce, p);
    const sum = () => call(nce, p).losses.reduce((a, v) => a + v, 0);
    const h = 1e-2;
    const probe = (arr, i, got, what) => {
      const keep = arr[i];
      arr[i] = keep + h;
      const up = sum();
      arr[i] = keep - h;
      const down = sum();
      arr[i] = keep;
      close(got, (up - down) / (2 * h), 2e-3, 2e-3, `${what} nce=${nce}`);
    };
    for (let i = 0; i < p.B * p.D; i += 3) probe(p.inputs, i, base.grad.inputs[i], `dinputs[${i}]`);
    base.grad.classIds.forEach((c, k) => {
      probe(p.biases, c, base.grad.biases[k], `dbiases[${c}]`);
      probe(p.W, c * p.D + (k % p.D), base.grad.weights[k * p.D + (k % p.D)], `dweights[${c}]`);
    });
  }
});

test('the SIMD and scalar modules give bit-identical losses and gradients', async () => {
  const run = () => [false, true].flatMap((nce) => [1, 4, 5, 37, 128].map((D) => {
    const p = problem(D * 3 + (nce ? 1 : 0), { D, T: 2, S: 21, B: 6, C: 300 });
    return call(nce, p, { sampledValues: undefined, seed: D });
  }));
  await xent.init({ backend: 'wasm' });
  const scalar = run();
  await xent.init({ backend: 'wasm-simd' });
  const simd = run();
  assert.equal(xent.backend, 'wasm-simd');
  assert.deepEqual(simd, scalar);
});

test('inputs, weights and biases of 1e20 up to 3e38 give finite losses and gradients in both modules, equal to the float64 reference saturated at FLT_MAX', async () => {
  const sat = (v) => Math.max(-FLT_MAX, Math.min(FLT_MAX, v));
  const run = () => [1e20, 1e30, 3e38].flatMap((s, i) => [false, true].map((nce) => {
    const p = problem(40 + i * 2 + (nce ? 1 : 0), { D: 5, T: 2, S: 7, B: 4, C: 30 });
    for (const a of [p.W, p.biases, p.inputs]) a.forEach((v, j) => { a[j] = v * s; });
    return { s, nce, p, got: call(nce, p, { removeAccidentalHits: false }) };
  }));
  await xent.init({ backend: 'wasm' });
  const scalar = run();
  await xent.init({ backend: 'wasm-simd' });
  const simd = run();
  assert.deepEqual(simd.map((r) => r.got), scalar.map((r) => r.got), 'the two modules agree bit for bit');
  for (const { s, nce, p, got } of simd) {
    const want = reference(p, nce, false);
    const what = `scale ${s} nce=${nce}`;
    for (const v of [got.losses, got.grad.inputs, got.grad.weights, got.grad.biases])
      assert.ok(v.every(Number.isFinite), `${what}: a non-finite output`);
    // A logit that fits float32 carries about 1e-7 D s^2 of rounding; one that
    // does not is computed in double.
    got.losses.forEach((l, b) => close(l, sat(want.losses[b]), 2e-5, 1e-6 * p.D * s * s, `${what}: loss ${b}`));
    got.grad.inputs.forEach((v, i) => close(v, sat(want.gx[i]), 1e-4, 1e-5 * s, `${what}: dinputs[${i}]`));
    const { dW, db } = scatter(p, got.grad);
    db.forEach((v, i) => close(v, want.gb[i], 1e-4, 1e-5, `${what}: db[${i}]`));
    // Weight-gradient rows are float32 sums over the batch, saturated where a
    // partial sum overflows: exact up to 1e30, only finite near FLT_MAX.
    if (s <= 1e30) dW.forEach((v, i) => close(v, sat(want.gW[i]), 1e-4, 1e-5 * s, `${what}: dW[${i}]`));
  }
});

test('with every class sampled and accidental hits removed, the sampled softmax loss is within -log(min expected count) of the full softmax (here the bound is 0.014 and the largest gap 0.0094)', async () => {
  await xent.init();
  const C = 500;
  const p = problem(23, { C, D: 8, B: 16, S: C });
  for (let i = 0; i < p.W.length; i++) p.W[i] *= 3;
  const r = xent.sampledSoftmaxLoss({ weights: p.W, biases: p.biases, labels: p.labels, inputs: p.inputs, numSampled: C, numClasses: C, seed: 4 });
  const q = xent.logUniformCandidateSampler({ trueClasses: p.labels, numSampled: C, rangeMax: C, seed: 4 });
  assert.deepEqual(r.sampled, q.sampledCandidates);
  const bound = -Math.log(Math.min(...q.sampledExpectedCount, ...q.trueExpectedCount));
  let worst = 0;
  for (let b = 0; b < p.B; b++) {
    const z = [];
    for (let c = 0; c < C; c++) {
      let v = p.biases[c];
      for (let j = 0; j < p.D; j++) v += p.inputs[b * p.D + j] * p.W[c * p.D + j];
      z.push(v);
    }
    const m = Math.max(...z);
    const full = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - z[p.labels[b]];
    worst = Math.max(worst, Math.abs(r.losses[b] - full));
    assert.ok(Math.abs(r.losses[b] - full) <= bound + 1e-5, `example ${b}: |${r.losses[b]} - ${full}| > ${bound}`);
  }
  assert.ok(bound < 0.02 && worst <= bound, `bound ${bound}, worst ${worst}`);
});

test('the losses draw the same candidates as logUniformCandidateSampler with the same seed, labels and range', async () => {
  await xent.init();
  const p = problem(31, { C: 1000, T: 2, S: 16 });
  const o = { weights: p.W, biases: p.biases, labels: p.labels, inputs: p.inputs, numSampled: 16, numClasses: 1000, numTrue: 2, seed: 99 };
  const q = xent.logUniformCandidateSampler({ trueClasses: p.labels, numTrue: 2, numSampled: 16, rangeMax: 1000, seed: 99 });
  assert.deepEqual(xent.sampledSoftmaxLoss(o).sampled, q.sampledCandidates);
  assert.deepEqual(xent.nceLoss(o).sampled, q.sampledCandidates);
  const again = xent.nceLoss({ ...o, sampledValues: q, seed: undefined });
  assert.deepEqual(again.losses, xent.nceLoss(o).losses);
});

test('bad arguments are TypeErrors or RangeErrors naming the argument', async () => {
  await xent.init();
  const p = problem(3, { C: 10, D: 4, B: 2, T: 1, S: 3 });
  const ok = { weights: p.W, biases: p.biases, labels: p.labels, inputs: p.inputs, numSampled: 3, numClasses: 10, seed: 1 };
  xent.sampledSoftmaxLoss(ok);
  const sv = { sampledCandidates: [1, 2, 3], trueExpectedCount: [0.5, 0.5], sampledExpectedCount: [0.1, 0.1, 0.1] };
  const cases = [
    [{ ...ok, numSampled: 11 }, RangeError, /numSampled = 11 is more than numClasses = 10/],
    [{ ...ok, labels: [1, 10] }, RangeError, /labels\[1\] = 10 is outside the valid range \[0, 10\)/],
    [{ ...ok, labels: [1, 2, 3] }, RangeError, /labels has shape \[3\] but inputs has 2 rows/],
    [{ ...ok, inputs: p.inputs.subarray(0, 7) }, RangeError, /inputs has shape \[7\] but weights rows have dim = 4/],
    [{ ...ok, biases: p.biases.subarray(0, 9) }, RangeError, /biases has 9 values but numClasses is 10/],
    [{ ...ok, weights: p.W.subarray(0, 39) }, RangeError, /weights has 39 values, not numClasses = 10 rows/],
    [{ ...ok, numClasses: undefined }, TypeError, /numClasses is required/],
    [{ ...ok, numTrue: 2 }, RangeError, /labels has 2 values, not a multiple|labels has shape \[2\] but inputs has 2 rows/],
    [{ ...ok, weights: undefined }, TypeError, /weights is required/],
    [{ ...ok, removeAccidentalHits: 'yes' }, TypeError, /removeAccidentalHits must be true or false/],
    [{ ...ok, sampledValues: { ...sv, sampledCandidates: [1, 2] } }, RangeError, /sampledValues.sampledCandidates has 2 values but numSampled is 3/],
    [{ ...ok, sampledValues: { ...sv, sampledCandidates: [1, 2, 10] } }, RangeError, /sampledValues.sampledCandidates\[2\] = 10 is outside/],
    [{ ...ok, sampledValues: { ...sv, sampledExpectedCount: [0.1, 0, 0.1] } }, RangeError, /sampledValues.sampledExpectedCount\[1\] = 0 must be a finite number > 0/],
    [{ ...ok, sampledValues: { ...sv, trueExpectedCount: [0.5] } }, RangeError, /sampledValues.trueExpectedCount has 1 values but labels has 2/],
    [{ ...ok, sampledValues: 5 }, TypeError, /sampledValues must be/],
    [{ ...ok, num_sampled: 3 }, TypeError, /unknown option 'num_sampled' \(did you mean numSampled\?\)/],
  ];
  for (const [o, type, message] of cases) assert.throws(() => xent.sampledSoftmaxLoss(o), { name: type.name, message });
  assert.deepEqual(xent.nceLoss({ ...ok, sampledValues: [sv.sampledCandidates, sv.trueExpectedCount, sv.sampledExpectedCount] }).sampled, Int32Array.from([1, 2, 3]));
});

test('repeated calls of one size reuse the scratch arena (no wasm memory is leaked)', async () => {
  await xent.init();
  const p = problem(8, { C: 2000, D: 16, B: 32, S: 64 });
  const o = { weights: p.W, biases: p.biases, labels: p.labels, inputs: p.inputs, numSampled: 64, numClasses: 2000, gradient: true };
  xent.sampledSoftmaxLoss({ ...o, seed: 0 });
  const before = xent.memoryStats();
  for (let i = 1; i < 50; i++) xent.nceLoss({ ...o, seed: i });
  assert.deepEqual(xent.memoryStats(), before);
});

test("the recommender's huge-vocabulary advice names xent's sampled losses and TensorFlow's", async () => {
  const r = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', hugeVocabulary: true });
  const w = r.warnings.find((x) => x.id === 'huge-vocabulary');
  assert.ok(w, 'a huge-vocabulary note');
  for (const name of ['sampledSoftmaxLoss', 'nceLoss', 'logUniformCandidateSampler', 'tf.nn.sampled_softmax_loss', 'tf.nn.nce_loss']) {
    assert.ok(w.message.includes(name), `the note names ${name}`);
  }
});
