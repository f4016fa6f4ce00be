// sampled-train.test.js: end to end, what sampledSoftmaxLoss and nceLoss are for
// (docs/semantics.md 3.5): a tiny embedding model (a context id's embedding
// scored against 2000 class embeddings) trained by plain SGD on the sparse
// gradients in Node, evaluated with the full softmax over all classes on
// held-out data, computed here in float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { rng } from './reference.js';

const CONTEXTS = 300;
const C = 2000;
const D = 16;

/** Context i predicts class i 80% of the time, else a Zipf-like class (frequent ids small). */
function data(r, n) {
  const ctx = new Int32Array(n);
  const label = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    ctx[k] = Math.floor(r() * CONTEXTS);
    label[k] = r() < 0.8 ? ctx[k] : Math.floor(Math.exp(r() * Math.log(C + 1))) - 1;
  }
  return { ctx, label };
}

function heldOutLoss(E, W, bias, { ctx, label }) {
  let total = 0;
  const z = new Float64Array(C);
  for (let k = 0; k < ctx.length; k++) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) {
      let v = bias[c];
      for (let j = 0; j < D; j++) v += E[ctx[k] * D + j] * W[c * D + j];
      z[c] = v;
      m = Math.max(m, v);
    }
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(z[c] - m);
    total += m + Math.log(s) - z[label[k]];
  }
  return total / ctx.length;
}

for (const loss of ['sampledSoftmaxLoss', 'nceLoss']) {
  test(`training a tiny embedding model with ${loss} lowers the full-softmax loss on held-out data to under 40% of its start (measured 7.60 -> 2.17 sampled softmax, 1.99 NCE)`, async () => {
    await xent.init();
    const r = rng(2024);
    const E = Float32Array.from({ length: CONTEXTS * D }, () => (r() - 0.5) * 0.2);
    const W = Float32Array.from({ length: C * D }, () => (r() - 0.5) * 0.2);
    const bias = new Float32Array(C);
    const test = data(r, 300);
    const before = heldOutLoss(E, W, bias, test);
    const batch = 64;
    const lr = 3;
    const inputs = new Float32Array(batch * D);
    for (let step = 0; step < 2000; step++) {
      const { ctx, label } = data(r, batch);
      for (let k = 0; k < batch; k++) inputs.set(E.subarray(ctx[k] * D, ctx[k] * D + D), k * D);
      const { grad } = xent[loss]({
        weights: W, biases: bias, labels: label, inputs, numSampled: 32, numClasses: C, seed: step, gradient: true,
      });
      const a = lr / batch;
      grad.classIds.forEach((c, i) => {
        for (let j = 0; j < D; j++) W[c * D + j] -= a * grad.weights[i * D + j];
        bias[c] -= a * grad.biases[i];
      });
      for (let k = 0; k < batch; k++) for (let j = 0; j < D; j++) E[ctx[k] * D + j] -= a * grad.inputs[k * D + j];
    }
    const after = heldOutLoss(E, W, bias, test);
    assert.ok(after < 0.4 * before, `held-out full softmax loss ${before.toFixed(3)} -> ${after.toFixed(3)}`);
  });
}
