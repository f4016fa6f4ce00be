// sampled-panel.test.js: the numbers the explorer's "Sampled softmax" panel
// shows (web/panels/sampled.js; docs/semantics.md 3.5), computed in Node: its
// full softmax loss against a float64 log-sum-exp written here, and the
// estimate's bias, large when few classes are sampled and vanishing when all
// are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { C, D, LABEL, curve, estimate, study } from '../../web/panels/sampled.js';

test("the panel's full softmax loss is the float64 log-sum-exp over all 2000 classes minus the true logit", async () => {
  await xent.init();
  const s = study(xent);
  const z = [];
  for (let c = 0; c < C; c++) {
    let v = s.biases[c];
    for (let j = 0; j < D; j++) v += s.inputs[j] * s.weights[c * D + j];
    z.push(v);
  }
  const m = Math.max(...z);
  const want = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - z[LABEL];
  assert.ok(Math.abs(s.full - want) <= 1e-5 * want, `${s.full} vs ${want}`);
});

test('the sampled estimate is biased low at numSampled 2, and within 0.01 of the full loss with all 2000 classes sampled', async () => {
  await xent.init();
  const s = study(xent);
  const cv = curve(xent);
  assert.ok(cv[0].bias < -1, `bias at numSampled ${cv[0].numSampled}: ${cv[0].bias}`);
  const all = cv[cv.length - 1];
  assert.equal(all.numSampled, C);
  assert.ok(Math.abs(all.bias) < 0.01, `bias with every class sampled: ${all.bias}`);
  const e = estimate(xent, 64, 5);
  assert.ok(Number.isFinite(e.softmax) && Number.isFinite(e.nce));
  assert.notEqual(e.softmax, s.full);
});
