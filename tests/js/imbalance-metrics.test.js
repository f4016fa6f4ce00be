// imbalance-metrics.test.js: the Imbalance and Metrics panels' numbers.
// Imbalance (web/imbalance.js): each example's gradient under plain
// cross-entropy, class weights, pos_weight and the focal losses equals a
// float64 formula written here from docs/semantics.md 4.1, 4.2 and 4.7;
// Keras' weighted mean is Σ w·L / N and PyTorch's CrossEntropyLoss(weight=)
// (run in /usr/bin/python3) gives the other number the panel shows.
// Metrics (web/metrics.js): the accuracy the panel reports on the Live
// example equals TF.js's own metric (tf.metrics.binaryAccuracy on
// sigmoid(z), categoricalAccuracy, sparseCategoricalAccuracy) over many states.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as xent from '../../js/index.js';
import { imbalanceRows, weightedMeans, WEIGHTED, SCENARIO } from '../../web/imbalance.js';
import { metricFor, liveAccuracy } from '../../web/metrics.js';
import { applyPatch, defaults } from '../../web/state.js';
import { liveSpec } from '../../web/story.js';
import { loadTf } from './tfjs-bundle.js';

let tf;
before(async () => { await xent.init(); tf = await loadTf(); });

const sig = (x) => 1 / (1 + Math.exp(-x));
const close = (a, b, what, tol = 2e-6) => assert.ok(Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-6), `${what}: ${a} vs ${b}`);

test('the gradient each example receives matches float64 formulas for plain, weighted and focal losses', () => {
  const gamma = 2, alpha = 0.25, w = 9;
  const n = SCENARIO.nNeg + 1;
  const zp = Math.fround(SCENARIO.zPos), zn = Math.fround(SCENARIO.zNeg);
  const rows = imbalanceRows(xent, { gamma, alpha });
  const plain = (z, y) => (sig(z) - y) / n;
  // 4.7 from logits: w·[γ(1 − p_t)^(γ−1)(1 − 2y)σ(1 − σ)·B + (1 − p_t)^γ(σ − y)]
  const focal = (z, y, bal) => {
    const p = sig(z), pt = y * p + (1 - y) * (1 - p);
    const B = Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    const wt = bal ? alpha * y + (1 - alpha) * (1 - y) : 1;
    return (wt * (gamma * (1 - pt) ** (gamma - 1) * (1 - 2 * y) * p * (1 - p) * B + (1 - pt) ** gamma * (p - y))) / n;
  };
  const expect = [
    [Math.abs(plain(zp, 1)), Math.abs(plain(zn, 0))],
    [w * Math.abs(plain(zp, 1)), Math.abs(plain(zn, 0))],
    [w * Math.abs(plain(zp, 1)), Math.abs(plain(zn, 0))],
    [Math.abs(focal(zp, 1, false)), Math.abs(focal(zn, 0, false))],
    [Math.abs(focal(zp, 1, true)), Math.abs(focal(zn, 0, true))],
  ];
  rows.forEach((r, k) => {
    close(r.rare, expect[k][0], `${r.name} rare`);
    close(r.common, expect[k][1], `${r.name} common`);
    close(r.commonTotal, SCENARIO.nNeg * expect[k][1], `${r.name} common total`);
  });
  assert.ok(rows[0].share < 0.5 && rows[1].share > 0.5, 'weighting gives the rare class the larger pull');
});

test('Keras\' weighted mean divides by the batch size, PyTorch\'s by the sum of the weights (run in PyTorch)', () => {
  const wm = weightedMeans(xent);
  const { labels, weights, logits } = WEIGHTED;
  const ce = logits.map((r, i) => { const zz = r.map(Math.fround); const m = Math.max(...zz); return m + Math.log(zz.reduce((a, v) => a + Math.exp(v - m), 0)) - zz[labels[i]]; });
  const sum = ce.reduce((a, l, i) => a + weights[labels[i]] * l, 0);
  close(wm.keras, sum / labels.length, 'Keras');
  close(wm.torch, sum / labels.reduce((a, k) => a + weights[k], 0), 'PyTorch, float64');
  let torch;
  try {
    torch = Number(execFileSync('/usr/bin/python3', ['-c', `import torch\nz = torch.tensor(${JSON.stringify(logits)})\ny = torch.tensor(${JSON.stringify(labels)})\nprint(torch.nn.CrossEntropyLoss(weight=torch.tensor(${JSON.stringify(weights)}, dtype=torch.float32))(z, y).item())`]).toString());
  } catch { return; } // no PyTorch on this machine: the float64 check above stands
  close(wm.torch, torch, 'PyTorch CrossEntropyLoss(weight=)');
});

test('the metric named fits the loss: binary threshold 0 on logits and 0.5 on probabilities, argmax metrics otherwise', () => {
  const st = (p) => applyPatch(defaults(), p);
  assert.deepEqual([metricFor(st({ problem: 'binary', labels: 'binary01' })).id, metricFor(st({ problem: 'binary', labels: 'binary01' })).threshold], ['binary_accuracy', 0]);
  assert.equal(metricFor(st({ problem: 'binary', labels: 'binary01', output: 'sigmoid', 'from-logits': false })).threshold, 0.5);
  assert.equal(metricFor(st({ labels: 'integer' })).id, 'sparse_categorical_accuracy');
  assert.equal(metricFor(st({ labels: 'onehot' })).id, 'categorical_accuracy');
  assert.equal(metricFor(st({ problem: 'multilabel', labels: 'multihot' })).id, 'binary_accuracy');
});

test('the accuracy on the Live example equals TF.js\'s metric over 200 random states', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const setups = [{ problem: 'binary', labels: 'binary01' }, { problem: 'binary', labels: 'binary01', output: 'sigmoid', 'from-logits': false },
    { labels: 'integer' }, { labels: 'onehot' }, { labels: 'integer', output: 'softmax', 'from-logits': false },
    { problem: 'multilabel', labels: 'multihot' }, { problem: 'multilabel', labels: 'multihot', output: 'sigmoid', 'from-logits': false }];
  for (let t = 0; t < 200; t++) {
    const base = setups[t % setups.length];
    const batch = 1 + (t % 4), classes = 2 + (t % 4);
    let s = applyPatch(defaults(), { ...base, batch, classes });
    s = applyPatch(s, { logits: s.logits.map(() => Math.round((rnd() * 8 - 4) * 100) / 100) });
    const spec = liveSpec(s);
    const n = s.batch, u = spec.u;
    const z = tf.tensor2d(s.logits, [n, u]);
    const out = s.output === 'sigmoid' ? tf.sigmoid(z) : s.output === 'softmax' ? tf.softmax(z) : z;
    let ref;
    if (spec.family === 'binary') {
      const y = s.labels === 'binary01' ? tf.tensor2d(s.targets, [n, 1]) : tf.tensor2d(s.targets, [n, u]);
      const p = s.output === 'logits' ? tf.sigmoid(out) : out;
      ref = tf.mean(tf.metrics.binaryAccuracy(y, p)).arraySync();
    } else if (spec.family === 'sparse') {
      ref = tf.mean(tf.metrics.sparseCategoricalAccuracy(tf.tensor1d(s.targets), out)).arraySync();
    } else {
      ref = tf.mean(tf.metrics.categoricalAccuracy(tf.oneHot(tf.tensor1d(s.targets, 'int32'), u), out)).arraySync();
    }
    close(liveAccuracy(s).value, ref, `${JSON.stringify(base)} ${s.logits}`, 1e-6);
  }
});
