// recommend-exec.test.js: runs what the recommender recommends. For every row
// of the decision table (and with the facts that change the call), data is
// generated in the declared encoding, the row's label transform is applied,
// the recommended xent call runs through the JS API, and its loss is compared
// with a float64 reference of the Keras class the recommendation names,
// written here from docs/semantics.md sections 1, 2.3-2.6 and 2.8. Also inspect()
// on generated data through the wasm core, and recommend() with data.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { TABLE } from '../../js/decision-table.js';

before(async () => { await xent.init(); });

const EPS = Math.fround(1e-7);
const ONE_MINUS_EPS = 1 - 2 ** -23;
const clip = (p) => Math.min(Math.max(p, EPS), ONE_MINUS_EPS);
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const lse = (z) => { const m = Math.max(...z); return m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)); };

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Keras 3 (TensorFlow backend) per-example losses, float64, mean-reduced.
function kerasReference(className, args, y, pred, C) {
  const fromLogits = args.from_logits === true;
  const ls = args.label_smoothing ?? 0;
  const per = [];
  let count = 0;
  for (let b = 0; b < pred.length; b++) {
    const z = pred[b];
    if (className === 'SparseCategoricalCrossentropy') {
      const label = y[b];
      if (args.ignore_class !== undefined && label === args.ignore_class) { per.push(0); continue; }
      count++;
      if (fromLogits) per.push(lse(z) - z[label]);
      else { const q = z.map(clip); per.push(Math.log(q.reduce((a, v) => a + v, 0)) - Math.log(q[label])); }
      continue;
    }
    count++;
    if (className === 'CategoricalCrossentropy') {
      const t = y[b].map((v) => v * (1 - ls) + ls / C);
      if (fromLogits) { const l = lse(z); per.push(t.reduce((a, v, j) => a + v * (l - z[j]), 0)); }
      else { const s = z.reduce((a, v) => a + v, 0); per.push(-t.reduce((a, v, j) => a + v * Math.log(clip(z[j] / s)), 0)); }
      continue;
    }
    // Binary and binary focal: element losses, then the mean over the classes axis.
    let sum = 0;
    for (let j = 0; j < C; j++) {
      const t = y[b][j] * (1 - ls) + 0.5 * ls;
      const x = z[j];
      const bce = fromLogits ? Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)))
        : -(t * Math.log(clip(x)) + (1 - t) * Math.log(1 - clip(x)));
      if (className === 'BinaryCrossentropy') { sum += bce; continue; }
      const p = fromLogits ? sigmoid(x) : x;
      const pt = t * p + (1 - t) * (1 - p);
      let l = (1 - pt) ** args.gamma * bce;
      if (args.apply_class_balancing) l *= t * args.alpha + (1 - t) * (1 - args.alpha);
      sum += l;
    }
    per.push(sum / C);
  }
  return per.reduce((a, v) => a + v, 0) / (count || 1);
}

const width = (units, K) => (units === '1' ? 1 : units === '2' ? 2 : K);

// Labels in the declared encoding, then as the recommended loss takes them.
function makeCase(row, r, rec) {
  const N = 6;
  const K = row.problem === 'binary' ? 2 : 4;
  const C = width(rec.units, K);
  const classes = row.labels === 'binary01' ? 2 : K;
  const declared = [];
  for (let b = 0; b < N; b++) {
    if (row.labels === 'binary01') declared.push(b % 2);
    else if (row.labels === 'integer') declared.push(b % classes);
    else if (row.labels === 'onehot') declared.push(Array.from({ length: K }, (_, j) => (j === b % K ? 1 : 0)));
    else if (row.labels === 'multihot') declared.push(Array.from({ length: K }, (_, j) => (j === b % K || r() < 0.4 ? 1 : 0)));
    else { const v = Array.from({ length: K }, () => 0.1 + r()); const t = v.reduce((a, x) => a + x, 0); declared.push(v.map((x) => Math.fround(x / t))); }
  }
  const tr = rec.labelTransform && rec.labelTransform.id;
  const y = declared.map((d) => {
    if (tr === 'column1') return d[1];
    if (tr === 'argmax') return d.indexOf(Math.max(...d));
    if (tr === 'multihot' || tr === 'onehot') return Array.from({ length: C }, (_, j) => (j === d ? 1 : 0));
    return d;
  });
  const logits = Array.from({ length: N }, () => Array.from({ length: C }, () => Math.fround((r() - 0.5) * 8)));
  return { y, logits, C };
}

function execute(situation, seed) {
  const rec = xent.recommend(situation);
  const row = TABLE.find((t) => t.key === `${situation.problem}/${situation.labels}/${situation.output}`);
  const r = rng(seed);
  const { y, logits, C } = makeCase(row, r, rec);
  const sparse = rec.xent.fn === 'sparseCategoricalCrossentropy';
  const fromLogits = rec.xent.options.fromLogits;
  const binaryFamily = rec.xent.fn.startsWith('binary');
  const pred = fromLogits ? logits : logits.map((z) => {
    if (binaryFamily) return z.map((v) => Math.fround(sigmoid(v)));
    const e = z.map((v) => Math.exp(v)); const s = e.reduce((a, v) => a + v, 0);
    return e.map((v) => Math.fround(v / s));
  });
  const yTrue = sparse ? y.map((v) => { assert.ok(Number.isInteger(v), `${rec.row}: sparse label ${v}`); return v; })
    : y.map((v) => (Array.isArray(v) ? v : [v]));
  if (!sparse) for (const t of yTrue) assert.equal(t.length, C, `${rec.row}: label width ${t.length} fits the ${C}-unit output`);
  const got = xent[rec.xent.fn](yTrue, pred, rec.xent.options);
  const want = kerasReference(rec.keras.className, rec.keras.args, yTrue, pred, C);
  const err = Math.abs(got.loss - want);
  assert.ok(err <= 1e-5 * Math.abs(want) + 1e-6, `${rec.row} ${JSON.stringify(situation)}: xent.${rec.xent.fn} ${got.loss} vs Keras ${rec.keras.code} ${want}`);
  return err / Math.max(Math.abs(want), 1e-12);
}

test('the recommended xent call of every combination returns the loss of the Keras class it names', (t) => {
  let worst = 0;
  let n = 0;
  for (const row of TABLE) {
    const base = { problem: row.problem, labels: row.labels, output: row.output };
    const variants = [{}, { noisyLabels: true }, { imbalanced: true }];
    if (row.labels === 'integer' || row.labels === 'binary01') variants.push({ paddingLabel: 1 });
    for (const units of Object.keys(row.byUnits)) variants.push({ outputUnits: Number(units) });
    for (const v of variants) {
      worst = Math.max(worst, execute({ ...base, ...v }, 1000 + n));
      n++;
    }
  }
  assert.ok(n >= 45 * 3);
  t.diagnostic(`${n} recommended calls executed; largest relative deviation from the Keras reference ${worst.toExponential(2)}`);
});

test('inspect() reads generated data of every encoding through the wasm core', () => {
  const r = rng(77);
  const N = 12, C = 5;
  const logits = Array.from({ length: N }, () => Array.from({ length: C }, () => (r() - 0.5) * 10));
  const softmax = logits.map((z) => { const e = z.map(Math.exp); const s = e.reduce((a, v) => a + v, 0); return e.map((v) => v / s); });
  const sig = logits.map((z) => z.map(sigmoid));
  const onehot = Array.from({ length: N }, (_, b) => Array.from({ length: C }, (__, j) => (j === b % C ? 1 : 0)));
  const multihot = onehot.map((row, b) => row.map((v, j) => (v || j === (b + 2) % C ? 1 : 0)));
  const integer = Array.from({ length: N }, (_, b) => b % C);
  const cases = [
    [integer, logits, 'integer', 'logits'], [onehot, softmax, 'onehot', 'softmax'],
    [multihot, sig, 'multihot', 'sigmoid'], [softmax, logits, 'soft', 'logits'],
    [integer.map((v) => v % 2), sig.map((z) => [z[0]]), 'binary01', 'sigmoid'],
  ];
  for (const [y, p, labels, output] of cases) {
    const got = xent.inspect(y, p);
    assert.equal(got.labels, labels);
    assert.equal(got.output, output);
    assert.equal(got.rowsBreakingLabelPattern, 0);
  }
  const broken = onehot.map((row) => row.slice());
  broken[2][0] = 2;
  broken[5][1] = NaN;
  const got = xent.inspect(broken, softmax);
  assert.equal(got.labels, 'onehot');
  assert.equal(got.rowsBreakingLabelPattern, 2);
  assert.equal(got.labelNonfinite, 1);
});

test('recommend() with data warns where the declared encodings contradict it', () => {
  const probs = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]];
  const r = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', fromLogits: true, yTrue: [0, 1, 2, 0], yPred: probs });
  const ids = r.warnings.map((w) => w.id);
  assert.ok(ids.includes('double-activation') && ids.includes('declared-contradicts-data'), ids.join(', '));
  const logits = [[3, -2, 0.5], [-4, 6, 1], [0, 2, -7], [1.5, -0.5, 9]];
  const r2 = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'softmax', fromLogits: false, yTrue: [0, 1, 2, 0], yPred: logits });
  assert.ok(r2.warnings.some((w) => w.id === 'logits-treated-as-probabilities'));
  const r3 = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', yTrue: [1, 2, 3, 3], yPred: logits });
  assert.ok(r3.warnings.some((w) => w.id === 'label-out-of-range'), 'label 3 of 3 classes');
});
