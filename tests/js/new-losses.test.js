// new-losses.test.js: klDivergence, logitsDistillation,
// categoricalGeneralizedCrossentropy, polyLossCrossentropy and the per-class
// posWeight of weightedCrossEntropyWithLogits (docs/semantics.md "New
// losses"), each against a float64 reference written here from its
// definition (Keras: keras/src/losses/losses.py kl_divergence,
// categorical_generalized_cross_entropy; keras/src/distillation/
// distillation_loss.py LogitsDistillation; Optax poly_loss_cross_entropy;
// tf.nn.weighted_cross_entropy_with_logits), gradients against finite
// differences of that reference, row lengths that run every f32x4 tail, and
// the two wasm builds bit for bit. PyTorch's answers: torch-check.test.js.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { EPS, deviation, finiteDifference, rng } from './reference.js';

const close = (got, want, what, rtol = 2e-6, atol = 1e-6) => {
  const d = deviation(Array.from(got), Array.from(want), rtol, atol);
  assert.ok(d.excess <= 1, `${what}: off at ${d.at} (${got[d.at]} vs ${want[d.at]}), relative ${d.relative}`);
};
const rows = (flat, n) => Array.from({ length: flat.length / n }, (_, b) => Array.from(flat.slice(b * n, (b + 1) * n)));
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;

// ---- float64 definitions ---------------------------------------------------------

const clip01 = (v) => Math.min(Math.max(v, EPS), 1);
// kl_divergence: y' = clip(y, eps, 1), p' = clip(p, eps, 1), sum y' log(y' / p').
const klRow = (y, p) => y.reduce((s, _, j) => s + clip01(y[j]) * Math.log(clip01(y[j]) / clip01(p[j])), 0);
const softmax = (z, T = 1) => {
  const u = z.map((v) => v / T);
  const m = Math.max(...u);
  const e = u.map((v) => Math.exp(v - m));
  const S = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / S);
};
// LogitsDistillation.compute_loss with KLDivergence: T^2 KL(softmax(t / T), softmax(s / T)).
const distillRow = (t, s, T) => T * T * klRow(softmax(t, T), softmax(s, T));
// categorical_generalized_cross_entropy: (1 - p_label^q) / q.
const gceRow = (label, v, q, fromLogits) => (1 - (fromLogits ? softmax(v)[label] : v[label]) ** q) / q;
// Optax poly_loss_cross_entropy: softmax CE + epsilon sum y (1 - p).
const polyRow = (y, z, eps) => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
  const p = softmax(z);
  return y.reduce((s, yj, j) => s + yj * (lse - z[j]) + eps * yj * (1 - p[j]), 0);
};
// tf.nn.weighted_cross_entropy_with_logits: (1 - z) x + (1 + (q - 1) z) log(1 + exp(-x)), stably.
const wceElem = (z, x, q) => (1 - z) * x + (1 + (q - 1) * z) * (Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0));

const rand = rng(1302);
const uniform = (n, lo, hi) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
const softRows = (B, C) => {
  const out = new Float32Array(B * C);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let j = 0; j < C; j++) s += out[b * C + j] = 0.05 + rand();
    for (let j = 0; j < C; j++) out[b * C + j] = Math.fround(out[b * C + j] / s);
  }
  return out;
};

describe('the new losses', () => {
  before(() => xent.init());

  test('klDivergence is Keras kl_divergence: both inputs clipped to [1e-7, 1], sum y log(y / p), at every row length', () => {
    for (const C of [1, 2, 3, 4, 5, 7, 8, 9, 33, 1000]) {
      const B = 3;
      const y = softRows(B, C);
      const p = softRows(B, C);
      if (C > 2) {
        y[1] = 0; // a zero label clips to 1e-7
        p[2] = 0; // a zero probability clips to 1e-7; the clip stops its gradient
      }
      const r = xent.klDivergence(y, p, { shape: [B, C], gradient: true });
      const want = rows(y, C).map((yr, b) => klRow(yr, rows(p, C)[b]));
      close(r.losses, want, `C=${C} losses`, 1e-5, 2e-6);
      close([r.loss], [mean(want)], `C=${C} loss`, 1e-5, 2e-6);
      const g = Array.from(p, (pv, i) => (pv >= EPS && pv <= 1 ? -clip01(y[i]) / clip01(pv) / B : 0));
      close(r.grad, g, `C=${C} gradient`);
    }
    const y = softRows(2, 4);
    const p = softRows(2, 4);
    const fd = finiteDifference((x) => mean(rows(y, 4).map((yr, b) => klRow(yr, rows(x, 4)[b]))), Float64Array.from(p));
    close(xent.klDivergence(y, p, { shape: [2, 4], gradient: true }).grad, fd, 'gradient vs finite differences', 1e-4, 1e-6);
  });

  test('logitsDistillation is T^2 KL(softmax(teacher / T) || softmax(student / T)), the mean over the batch, with the gradient of the student logits', () => {
    for (const T of [1, 2, 3, 5]) {
      for (const C of [2, 3, 5, 8, 13]) {
        const B = 4;
        const t = uniform(B * C, -6, 6);
        const s = uniform(B * C, -6, 6);
        const r = xent.logitsDistillation(t, s, { shape: [B, C], temperature: T, gradient: true });
        const want = rows(t, C).map((tr, b) => distillRow(tr, rows(s, C)[b], T));
        close(r.losses, want, `T=${T} C=${C} losses`, 1e-5, 1e-6 * T * T);
        close([r.loss], [mean(want)], `T=${T} C=${C} loss`, 1e-5, 1e-6 * T * T);
        const fd = finiteDifference((x) => mean(rows(t, C).map((tr, b) => distillRow(tr, rows(x, C)[b], T))), Float64Array.from(s));
        close(r.grad, fd, `T=${T} C=${C} gradient vs finite differences`, 1e-4, 1e-6 * T);
      }
    }
    const d = xent.logitsDistillation([[1, 2, 3]], [[3, 1, 2]]);
    close([d.loss], [distillRow([1, 2, 3], [3, 1, 2], 3)], "Keras' default temperature is 3");
    assert.throws(() => xent.logitsDistillation([[1, 2]], [[1, 2]], { temperature: 0 }), /options\.temperature must be a finite number > 0/);
    assert.throws(() => xent.logitsDistillation([[1, 2]], [[1, 2, 3]]), /teacherLogits has shape \[1, 2\] but studentLogits has shape \[1, 3\]/);
  });

  test('categoricalGeneralizedCrossentropy is Keras (1 - p^q) / q of the label probability, gradient -p^(q-1) at the label', () => {
    // The example of Keras' docstring.
    const labels = [0, 1, 0, 1];
    const p = [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]];
    for (const q of [0.5, 0.1, 0.7, 1]) {
      const r = xent.categoricalGeneralizedCrossentropy(labels, p, { q, gradient: true });
      const want = labels.map((l, b) => gceRow(l, p[b], q, false));
      close(r.losses, want, `q=${q} losses`);
      close([r.loss], [mean(want)], `q=${q} loss`);
      const fd = finiteDifference((x) => mean(labels.map((l, b) => gceRow(l, Array.from(x.slice(2 * b, 2 * b + 2)), q, false))), Float64Array.from(p.flat()));
      close(r.grad, fd, `q=${q} gradient vs finite differences`, 1e-4, 1e-6);
    }
    assert.equal(xent.categoricalGeneralizedCrossentropy([0], [[0.5, 0.5]]).loss, Math.fround((1 - Math.sqrt(0.5)) / 0.5), "Keras' default q is 0.5");
    assert.throws(() => xent.categoricalGeneralizedCrossentropy([0], [[0.5, 0.5]], { q: 0 }), /options\.q must be in \(0, 1\]/);
    assert.throws(() => xent.categoricalGeneralizedCrossentropy([0], [[0.5, 0.5]], { q: 1.5 }), RangeError);
    assert.throws(() => xent.categoricalGeneralizedCrossentropy([2], [[0.5, 0.5]]), /outside the valid range/);
  });

  test('categoricalGeneralizedCrossentropy from logits takes p = softmax(z) at the label, at every row length', () => {
    for (const C of [1, 2, 3, 4, 5, 7, 9, 33]) {
      const B = 3;
      const z = uniform(B * C, -5, 5);
      const labels = Int32Array.from({ length: B }, () => Math.floor(rand() * C));
      const r = xent.categoricalGeneralizedCrossentropy(labels, z, { shape: [B, C], fromLogits: true, q: 0.7, gradient: true });
      const want = Array.from(labels, (l, b) => gceRow(l, rows(z, C)[b], 0.7, true));
      close(r.losses, want, `C=${C} losses`, 1e-5);
      const fd = finiteDifference((x) => mean(Array.from(labels, (l, b) => gceRow(l, rows(x, C)[b], 0.7, true))), Float64Array.from(z));
      close(r.grad, fd, `C=${C} gradient vs finite differences`, 1e-4, 1e-6);
    }
  });

  test('categoricalGeneralizedCrossentropy stays finite where Keras gives NaN or Inf: p = 0 and p < 0', () => {
    const r = xent.categoricalGeneralizedCrossentropy([0, 0], [[0, 1], [-0.5, 1.5]], { q: 0.5, gradient: true, reduction: 'sum' });
    assert.deepEqual(Array.from(r.losses), [2, 2], 'p <= 0 gives the loss of p = 0, 1 / q');
    assert.equal(r.grad[0], -3.4028234663852886e38, 'the slope at p = 0 saturates');
    assert.equal(r.grad[2], 0, 'below 0 the clamp has no slope');
  });

  test('polyLossCrossentropy is Optax poly_loss_cross_entropy: CE + epsilon sum y (1 - p), soft labels, at every row length', () => {
    for (const C of [1, 2, 3, 4, 5, 7, 8, 9, 33, 1000]) {
      const B = 3;
      const y = softRows(B, C);
      const z = uniform(B * C, -8, 8);
      for (const eps of [2, 1, -1, 0]) {
        const r = xent.polyLossCrossentropy(y, z, { shape: [B, C], epsilon: eps, gradient: true });
        const want = rows(y, C).map((yr, b) => polyRow(yr, rows(z, C)[b], eps));
        close(r.losses, want, `C=${C} eps=${eps} losses`, 1e-5, 1e-6);
        if (C <= 9) {
          const fd = finiteDifference((x) => mean(rows(y, C).map((yr, b) => polyRow(yr, rows(x, C)[b], eps))), Float64Array.from(z));
          close(r.grad, fd, `C=${C} eps=${eps} gradient vs finite differences`, 1e-4, 1e-6);
        }
      }
    }
    const y = [[0, 1, 0]];
    const z = [[1, 2, 0.5]];
    close([xent.polyLossCrossentropy(y, z, { epsilon: 0 }).loss], [xent.categoricalCrossentropy(y, z, { fromLogits: true }).loss], 'epsilon 0 is the cross-entropy');
    close([xent.polyLossCrossentropy(y, z).loss], [polyRow([0, 1, 0], [1, 2, 0.5], 2)], "Optax's default epsilon is 2");
  });

  test('weightedCrossEntropyWithLogits takes one posWeight per class, broadcast along the last axis', () => {
    for (const C of [1, 2, 3, 4, 5, 7, 8, 9, 33]) {
      const B = 3;
      const y = uniform(B * C, 0, 1);
      const x = uniform(B * C, -10, 10);
      const q = Array.from({ length: C }, () => 0.5 + 4 * rand());
      const r = xent.weightedCrossEntropyWithLogits(y, x, q, { shape: [B, C], gradient: true });
      close(r.losses, Array.from(x, (xv, i) => wceElem(y[i], xv, q[i % C])), `C=${C} losses`, 1e-5, 1e-6);
      const fd = finiteDifference((v) => v.reduce((s, xv, i) => s + wceElem(y[i], xv, q[i % C]), 0), Float64Array.from(x));
      close(r.grad, fd, `C=${C} gradient vs finite differences`, 1e-4, 1e-6);
      const same = xent.weightedCrossEntropyWithLogits(y, x, new Array(C).fill(3), { shape: [B, C], gradient: true });
      const scalar = xent.weightedCrossEntropyWithLogits(y, x, 3, { shape: [B, C], gradient: true });
      assert.deepEqual(Array.from(same.losses), Array.from(scalar.losses), 'equal weights give the scalar op, bit for bit');
      assert.deepEqual(Array.from(same.grad), Array.from(scalar.grad));
    }
    assert.throws(() => xent.weightedCrossEntropyWithLogits([[0, 1]], [[1, 2]], [1, 2, 3]), /posWeight has 3 values but needs 2/);
    assert.throws(() => xent.weightedCrossEntropyWithLogits([[0, 1]], [[1, 2]], [1, NaN]), /posWeight\[1\] must be a finite number/);
  });

  test("the recommender's alternatives from this family run and give their definitions' values", () => {
    const r = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', noisyLabels: true, distillation: true });
    const [B, C] = [5, 4];
    const z = uniform(B * C, -4, 4);
    const teacher = uniform(B * C, -4, 4);
    const labels = Int32Array.from({ length: B }, () => Math.floor(rand() * C));
    const onehot = Float32Array.from({ length: B * C }, (_, i) => (labels[Math.floor(i / C)] === i % C ? 1 : 0));
    const seen = [];
    for (const a of r.alternatives) {
      const o = { ...a.xent.options, shape: [B, C] };
      if (a.xent.fn === 'polyLossCrossentropy') {
        close([xent.polyLossCrossentropy(onehot, z, o).loss], [mean(rows(onehot, C).map((y, b) => polyRow(y, rows(z, C)[b], o.epsilon)))], 'poly-1');
      } else if (a.xent.fn === 'categoricalGeneralizedCrossentropy') {
        close([xent.categoricalGeneralizedCrossentropy(labels, z, o).loss], [mean(Array.from(labels, (l, b) => gceRow(l, rows(z, C)[b], o.q, true)))], 'generalized CE', 1e-5);
      } else if (a.xent.fn === 'logitsDistillation') {
        close([xent.logitsDistillation(teacher, z, o).loss], [mean(rows(teacher, C).map((t, b) => distillRow(t, rows(z, C)[b], o.temperature)))], 'distillation', 1e-5);
      } else continue;
      seen.push(a.xent.fn);
    }
    assert.equal(seen.length, 3, seen.join(', '));
  });

  test('finite inputs of any size give finite outputs', () => {
    const big = [[1e30, -1e30, 0, 3e38], [-3e38, 3e38, 1, -1]];
    const soft = [[0.25, 0.25, 0.25, 0.25], [0, 1, 0, 0]];
    const all = [
      xent.polyLossCrossentropy(soft, big, { gradient: true, epsilon: 1e30 }),
      xent.logitsDistillation(big, big.slice().reverse(), { gradient: true, temperature: 1e-30 }),
      xent.logitsDistillation(big, big, { gradient: true, temperature: 3e38 }),
      xent.categoricalGeneralizedCrossentropy([3, 0], big, { gradient: true, fromLogits: true, q: 1e-30 }),
      xent.klDivergence([[3e38, -3e38, 0, 1]], [[-3e38, 3e38, 1e-30, 0]], { gradient: true, sampleWeight: 3e38, reduction: 'sum' }),
      xent.weightedCrossEntropyWithLogits(soft, big, [3e38, -3e38, 1, 0], { gradient: true }),
    ];
    for (const [i, r] of all.entries()) {
      for (const v of [...r.losses, ...r.grad, ...(r.loss === undefined ? [] : [r.loss])]) assert.ok(Number.isFinite(v), `call ${i}: ${v}`);
    }
  });
});

describe('the new losses on both builds', () => {
  const calls = () => {
    const r2 = rng(5);
    const out = [];
    for (const C of [1, 3, 4, 5, 8, 11, 64]) {
      const B = 3;
      const n = B * C;
      const y = Float32Array.from({ length: n }, () => r2());
      const p = Float32Array.from({ length: n }, () => r2());
      const z = Float32Array.from({ length: n }, () => (r2() - 0.5) * 20);
      const z2 = Float32Array.from({ length: n }, () => (r2() - 0.5) * 20);
      const labels = Int32Array.from({ length: B }, () => Math.floor(r2() * C));
      const o = { shape: [B, C], gradient: true };
      out.push(xent.klDivergence(y, p, o), xent.logitsDistillation(z, z2, { ...o, temperature: 2.5 }),
        xent.categoricalGeneralizedCrossentropy(labels, p, o), xent.categoricalGeneralizedCrossentropy(labels, z, { ...o, fromLogits: true }),
        xent.polyLossCrossentropy(y, z, o), xent.weightedCrossEntropyWithLogits(y, z, Array.from({ length: C }, () => 4 * r2()), o));
    }
    return out;
  };
  test('per-example losses and gradients of the f32x4 and scalar builds are identical', async () => {
    await xent.init({ backend: 'wasm-simd' });
    const a = calls();
    await xent.init({ backend: 'wasm' });
    const b = calls();
    await xent.init({ backend: 'wasm-simd' });
    const bits = (f) => Array.from(new Uint32Array(Float32Array.from(f).buffer));
    for (let i = 0; i < a.length; i++) {
      assert.deepEqual(bits(a[i].losses), bits(b[i].losses), `call ${i}: losses`);
      assert.deepEqual(bits(a[i].grad), bits(b[i].grad), `call ${i}: gradient`);
    }
  });
});
