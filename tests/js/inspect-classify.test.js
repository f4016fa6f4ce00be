// inspect-classify.test.js: classify() (js/inspect-classify.js), which reads
// the counts of xent_inspect. The counts are computed here from generated data
// of every encoding, element by element, from the definitions in src/xent.h
// (no wasm); the verdicts are what the recommender says the data looks like.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../js/inspect-classify.js';

// A deterministic generator (mulberry32).
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

// The xent_inspection counts, by the definitions of xent.h.
function stats(y, labelCols, p, classes) {
  const rows = p.length / classes;
  const s = { rows, labelCols, classes, labelNonfinite: 0, labelIntegerRows: 0, labelBinaryRows: 0, labelOnehotRows: 0,
    labelUnitRows: 0, labelSum1Rows: 0, labelMin: Infinity, labelMax: -Infinity, predNonfinite: 0, predUnitRows: 0,
    predSum1Rows: 0, predMin: Infinity, predMax: -Infinity };
  const scan = (x, n, b) => {
    const row = Array.from(x.slice(b * n, b * n + n));
    const fin = row.filter(Number.isFinite);
    const unit = row.every((v) => v >= 0 && v <= 1);
    return { nonfinite: n - fin.length, fin, unit, integer: row.every(Number.isInteger),
      binary: row.every((v) => v === 0 || v === 1), ones: row.filter((v) => v === 1).length,
      sum1: unit && Math.abs(row.reduce((a, v) => a + v, 0) - 1) <= 1e-3 };
  };
  for (let b = 0; b < rows; b++) {
    const t = scan(y, labelCols, b);
    const q = scan(p, classes, b);
    s.labelNonfinite += t.nonfinite;
    s.labelIntegerRows += t.integer;
    s.labelBinaryRows += t.binary;
    s.labelOnehotRows += t.binary && t.ones === 1;
    s.labelUnitRows += t.unit;
    s.labelSum1Rows += t.sum1;
    for (const v of t.fin) { s.labelMin = Math.min(s.labelMin, v); s.labelMax = Math.max(s.labelMax, v); }
    s.predNonfinite += q.nonfinite;
    s.predUnitRows += q.unit;
    s.predSum1Rows += q.sum1;
    for (const v of q.fin) { s.predMin = Math.min(s.predMin, v); s.predMax = Math.max(s.predMax, v); }
  }
  if (s.labelMin > s.labelMax) s.labelMin = s.labelMax = 0;
  if (s.predMin > s.predMax) s.predMin = s.predMax = 0;
  return s;
}

function labels(kind, rows, classes, r) {
  const cols = kind === 'integer' || kind === 'binary01' ? 1 : classes;
  const y = new Float32Array(rows * cols);
  for (let b = 0; b < rows; b++) {
    const row = y.subarray(b * cols, b * cols + cols);
    if (kind === 'integer') row[0] = Math.floor(r() * classes);
    else if (kind === 'binary01') row[0] = r() < 0.5 ? 0 : 1;
    else if (kind === 'onehot') row[Math.floor(r() * cols)] = 1;
    else if (kind === 'multihot') { for (let j = 0; j < cols; j++) row[j] = r() < 0.4 ? 1 : 0; row[0] = 1; row[1] = 1; }
    else { let t = 0; for (let j = 0; j < cols; j++) { row[j] = 0.05 + r(); t += row[j]; } for (let j = 0; j < cols; j++) row[j] /= t; }
  }
  return { y, cols };
}

function preds(kind, rows, classes, r) {
  const p = new Float32Array(rows * classes);
  for (let b = 0; b < rows; b++) {
    let t = 0;
    for (let j = 0; j < classes; j++) {
      const z = (r() - 0.5) * 12;
      p[b * classes + j] = kind === 'logits' ? z : kind === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.exp(z);
      t += p[b * classes + j];
    }
    if (kind === 'softmax') for (let j = 0; j < classes; j++) p[b * classes + j] /= t;
  }
  return p;
}

const LABEL_KINDS = ['integer', 'binary01', 'onehot', 'multihot', 'soft'];
const OUTPUT_KINDS = ['logits', 'sigmoid', 'softmax'];

test('clean data of every encoding and output kind is recognised, with no row breaking the pattern', () => {
  const r = rng(4);
  for (const lk of LABEL_KINDS) {
    for (const ok of OUTPUT_KINDS) {
      const classes = 6, rows = 64;
      const { y, cols } = labels(lk, rows, classes, r);
      const got = classify(stats(y, cols, preds(ok, rows, classes, r), classes));
      assert.equal(got.labels, lk, `${lk}/${ok}`);
      assert.equal(got.output, ok, `${lk}/${ok}`);
      assert.equal(got.rowsBreakingLabelPattern, 0);
      assert.equal(got.rowsBreakingOutputPattern, 0);
      if (lk === 'integer') assert.ok(got.labelRange[0] >= 0 && got.labelRange[1] <= 5 && !got.labelOutOfRange);
      if (lk === 'soft') assert.equal(got.softRowsSumTo1, true);
    }
  }
});

test('corrupted rows are counted as breaking the pattern, which still wins', () => {
  const r = rng(9);
  const classes = 5, rows = 50;
  const { y, cols } = labels('onehot', rows, classes, r);
  const p = preds('softmax', rows, classes, r);
  y[3 * cols + 1] = 2; // not 0/1
  y[7 * cols] = NaN; // non-finite
  y[8 * cols + 2] = 0.5; // a half
  p[10 * classes] = 3.5; // a logit among probabilities
  p[11 * classes] += 0.2; // no longer sums to 1
  const got = classify(stats(y, cols, p, classes));
  assert.equal(got.labels, 'onehot');
  assert.equal(got.rowsBreakingLabelPattern, 3);
  assert.equal(got.output, 'softmax');
  assert.equal(got.rowsBreakingOutputPattern, 2);
  assert.equal(got.labelNonfinite, 1);
  assert.ok(got.notes.some((n) => /Non-finite/.test(n)));
});

test('labels outside [0, classes) are flagged, and 1-based labels show in the range', () => {
  const r = rng(2);
  const rows = 30, classes = 4;
  const y = new Float32Array(rows).map(() => 1 + Math.floor(r() * classes));
  y[0] = 4;
  const got = classify(stats(y, 1, preds('logits', rows, classes, r), classes));
  assert.equal(got.labels, 'integer');
  assert.equal(got.labelOutOfRange, true);
  assert.deepEqual(got.labelRange, [1, 4]);
});

test('soft multi-label targets that do not sum to 1 still read as soft, and say so', () => {
  const r = rng(5);
  const rows = 20, classes = 4;
  const y = new Float32Array(rows * classes).map(() => r());
  const got = classify(stats(y, classes, preds('sigmoid', rows, classes, r), classes));
  assert.equal(got.labels, 'soft');
  assert.equal(got.softRowsSumTo1, false);
  assert.ok(got.notes.some((n) => /do not sum to 1/.test(n)));
});

test('a one-unit output of exact ones is a softmax over one unit', () => {
  const rows = 10;
  const y = new Float32Array(rows).map((_, i) => i % 2);
  const got = classify(stats(y, 1, new Float32Array(rows).fill(1), 1));
  assert.equal(got.labels, 'binary01');
  assert.equal(got.output, 'sigmoid');
  assert.ok(got.notes.some((n) => /softmax over one unit/.test(n)));
});

test('data that fits no encoding is unknown, and an empty batch says so', () => {
  const r = rng(1);
  const y = new Float32Array(40).map(() => (r() - 0.5) * 7.3);
  const got = classify(stats(y, 4, preds('logits', 10, 4, r), 4));
  assert.equal(got.labels, 'unknown');
  assert.equal(got.rowsBreakingLabelPattern, 10);
  const empty = classify(stats(new Float32Array(0), 3, new Float32Array(0), 3));
  assert.equal(empty.labels, 'unknown');
  assert.equal(empty.output, 'unknown');
  assert.deepEqual(empty.labelRange, [0, 0]);
});
