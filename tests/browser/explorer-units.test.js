// explorer-units.test.js: the explorer's pure modules in Node, no browser:
// parse.js (arrays as NumPy, PyTorch, TF, TF.js and JS print them), state.js
// (URL round-trip, typed keys, carrying labels across encodings) and
// charts/line.js (positions computed here independently); and model.js over
// the real JS API for every combination the Choose panel allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArray } from '../../web/parse.js';
import { applyPatch, defaults, fromEntries, fromHash, normalize, same, targetsAsRows, toHash, SCHEMA } from '../../web/state.js';
import { lineChart, ticks } from '../../web/charts/line.js';
import { evaluate } from '../../web/model.js';
import { sweep } from '../../web/panels/curves.js';
import * as xent from '../../js/index.js';

const PROBLEMS = ['binary', 'multiclass', 'multilabel'];
const LABELS = ['binary01', 'integer', 'onehot', 'soft', 'multihot'];
const OUTPUTS = ['logits', 'sigmoid', 'softmax'];
function* combinations(extras) {
  for (const problem of PROBLEMS) for (const labels of LABELS) for (const output of OUTPUTS) {
    for (const fromLogits of [true, false]) {
      for (const extra of extras) yield applyPatch(defaults(), { problem, labels, output, 'from-logits': fromLogits, ...extra });
    }
  }
}

test('parseArray reads arrays as NumPy, PyTorch, TensorFlow, TF.js and JS print them', () => {
  const cases = [
    ['array([[ 0.1, -1.2,  2.3],\n       [ 1.5,  0.3, -0.8]], dtype=float32)', [0.1, -1.2, 2.3, 1.5, 0.3, -0.8], [2, 3]],
    ['[[1. 0. 0.]\n [0. 1. 0.]]', [1, 0, 0, 0, 1, 0], [2, 3]],
    ["tensor([[ 2.0000, -1.0000],\n        [ 0.5000,  3.0000]], device='cuda:0', grad_fn=<AddmmBackward0>)", [2, -1, 0.5, 3], [2, 2]],
    ['tensor([1, 0, 2])', [1, 0, 2], [3]],
    ['<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\narray([[1.e-07, 1.e+00],\n       [nan, -inf]], dtype=float32)>', [1e-7, 1, NaN, -Infinity], [2, 2]],
    ['tf.Tensor(\n[[0.2 0.8]\n [0.6 0.4]], shape=(2, 2), dtype=float32)', [0.2, 0.8, 0.6, 0.4], [2, 2]],
    ['Tensor\n    [[1, 2],\n     [3, 4]]', [1, 2, 3, 4], [2, 2]],
    ['Float32Array(3) [ 0.5, 0.25, 0.125 ]', [0.5, 0.25, 0.125], [3]],
    ['[[true, false], [False, True]]', [1, 0, 0, 1], [2, 2]],
    ['0.1 0.9\n0.7, 0.3', [0.1, 0.9, 0.7, 0.3], [2, 2]],
    ['3 1 2', [3, 1, 2], [3]],
  ];
  for (const [text, values, shape] of cases) {
    const r = parseArray(text);
    assert.deepEqual(r.shape, shape, text);
    assert.deepEqual(r.values, values, text);
  }
});

test('parseArray names what is wrong: ragged rows, abbreviations, stray words, missing brackets', () => {
  assert.throws(() => parseArray('[[1, 2], [3]]'), /ragged rows: array\[0\] has shape \[2\] but array\[1\] has shape \[1\]/);
  assert.throws(() => parseArray('array([0.1, 0.2, ..., 0.9])'), /abbreviated/);
  assert.throws(() => parseArray('[1, two]'), /not a number at "two/);
  assert.throws(() => parseArray('[[1, 2]'), /unbalanced/);
  assert.throws(() => parseArray('   '), /empty/);
});

test('every state survives the URL hash exactly', () => {
  const states = [
    defaults(),
    applyPatch(defaults(), { problem: 'binary', labels: 'binary01', output: 'sigmoid', 'from-logits': false, batch: 4 }),
    applyPatch(defaults(), { labels: 'soft', classes: 7, 'label-smoothing': 0.15, focal: true, gamma: 1.5, alpha: 0.4, tab: 'pytorch' }),
    applyPatch(defaults(), { problem: 'multilabel', labels: 'multihot', 'class-weight': [1, 2.5, 0.5], reduction: 'sum', hide: ['code', 'learn'] }),
    applyPatch(defaults(), { logits: [9.99, -10, 0.01, 3.33, -2.5, 7], 'ignore-class': 2, 'numeric-logit': -1e30, curve: 4 }),
  ];
  for (const s of states) {
    const back = fromHash(toHash(s));
    assert.ok(same(back, s), `${toHash(s)} -> ${toHash(back)}`);
  }
  assert.equal(toHash(defaults()), '#problem=multiclass');
});

test('typed keys: booleans, numbers and enums parse like attributes, bad values are ignored and clamped', () => {
  const s = fromEntries([['from-logits', 'false'], ['batch', '9'], ['classes', 'x'], ['output', 'relu'], ['gamma', '3'], ['hide', 'code  curves']]);
  assert.equal(s['from-logits'], false);
  assert.equal(s.batch, SCHEMA.batch.max);
  assert.equal(s.classes, SCHEMA.classes.default);
  assert.equal(s.output, 'logits');
  assert.equal(s.gamma, 3);
  assert.deepEqual(s.hide, ['code', 'curves']);
  assert.equal(fromEntries([['focal', '']]).focal, true, 'a bare boolean attribute means true');
});

test('changing the label encoding or the class count keeps each example’s truth and logits', () => {
  let s = applyPatch(defaults(), { classes: 4, targets: [3, 1], logits: [1, 2, 3, 4, 5, 6, 7, 8] });
  const truth = targetsAsRows(s);
  for (const labels of ['onehot', 'soft', 'integer', 'multihot', 'integer']) {
    s = applyPatch(s, { labels });
    assert.deepEqual(targetsAsRows(s).map((r) => r.indexOf(Math.max(...r))), truth.map((r) => r.indexOf(1)), labels);
  }
  s = applyPatch(s, { classes: 5 });
  assert.deepEqual(s.logits.slice(0, 4), [1, 2, 3, 4]);
  assert.deepEqual(s.logits.slice(5, 9), [5, 6, 7, 8]);
  s = applyPatch(s, { batch: 1 });
  assert.deepEqual(s.targets, [3]);
  const b = normalize({ ...defaults(), problem: 'binary', labels: 'integer', classes: 7 });
  assert.equal(b.classes, 2, 'a binary problem with class indices has two classes');
});

test('lineChart places points and the marker where the axes say, and breaks lines at non-finite values', () => {
  const svg = lineChart({
    width: 480, height: 200, x: [0, 10], y: [0, 1],
    series: [{ points: [[0, 0], [5, NaN], [10, 1]] }], marker: { x: 5, y: 0.5 },
  });
  // Plot area: left 52, right 12, top 14, bottom 34 -> 416 x 152.
  assert.match(svg, /<circle class="marker" cx="260.0" cy="90.0"/);
  assert.match(svg, /d="M52.0,166.0M468.0,14.0"/);
  // Ticks step by the smallest 1, 2 or 5 times a power of ten that is at least range / count.
  assert.deepEqual(ticks(0, 1, 4), [0, 0.5, 1]);
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(ticks(-10, 10, 6), [-10, -5, 0, 5, 10]);
});

test('every Choose-panel combination and option computes finite losses and gradients through the API', async () => {
  await xent.init();
  const extras = [{}, { 'label-smoothing': 0.1 }, { focal: true }, { focal: true, 'class-balancing': true }, { 'pos-weight': 3 },
    { 'class-weight': [1, 2, 3, 4] }, { 'ignore-class': 1 }, { reduction: 'sum' }];
  let count = 0;
  for (const s of combinations(extras)) {
    const what = toHash(s);
    const r = evaluate(xent, s, Float32Array.from(s.logits), s.targets, s.batch);
    assert.ok(Number.isFinite(r.loss), what);
    assert.ok([...r.grad, ...r.gradZ, ...r.losses].every(Number.isFinite), what);
    // The curves panel's current point is the live example's first example.
    const c = sweep(xent, s, 0, {});
    assert.equal(c.loss[c.loss.length - 1], r.losses[0], what);
    count++;
  }
  assert.equal(count, 720);
});

test('the gradient chained to z (curves, training) matches central differences of the loss', async () => {
  await xent.init();
  const h = 1e-2;
  for (const s of combinations([{}, { 'label-smoothing': 0.1 }, { focal: true }, { 'pos-weight': 3 }])) {
    const z = Float64Array.from(s.logits);
    const r = evaluate(xent, s, Float32Array.from(z), s.targets, s.batch);
    for (let k = 0; k < z.length; k++) {
      const a = z.slice(), b = z.slice();
      a[k] += h;
      b[k] -= h;
      const fd = (evaluate(xent, s, Float32Array.from(a), s.targets, s.batch).loss -
        evaluate(xent, s, Float32Array.from(b), s.targets, s.batch).loss) / (2 * h);
      assert.ok(Math.abs(fd - r.gradZ[k]) <= 2e-3 * (1 + Math.abs(fd)), `${toHash(s)} z${k}: ${r.gradZ[k]} vs ${fd}`);
    }
  }
});
