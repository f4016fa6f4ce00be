// reference.js: a float64 JavaScript reference of every xent loss and its
// gradient, written from docs/semantics.md (sections 1-4 and the
// project decisions at its top), independently of the C kernels. Straight
// formulas, one example at a time, no vectorisation and no shared code with
// src/. Used by the JS API tests (api.test.js, backends.test.js) and free for
// the explorer and recommender tests to import.
//
// Every function takes flat arrays (row-major [batch, classes]) and returns
// { loss, losses, grad } in float64: `losses` are the weighted per-example
// losses, `grad` the gradient of the reduced loss (of the sum of `losses` with
// reduction 'none'), `loss` undefined with reduction 'none'. Losses beyond
// the float32 range saturate at FLT_MAX, as xent.h specifies.

/** Keras' clip bounds as float32 values (docs/semantics.md section 1). */
export const EPS = Math.fround(1e-7); // 0x33D6BF95
export const ONE_MINUS_EPS = 1 - 2 ** -23; // 0x3F7FFFFE

/** The largest float32; xent saturates a loss beyond it (src/xent.h: finite in, finite out). */
export const FLT_MAX = 3.4028234663852886e38;
const narrow = (v) => (v > FLT_MAX ? FLT_MAX : v < -FLT_MAX ? -FLT_MAX : v);

const clip = (v) => Math.min(Math.max(v, EPS), ONE_MINUS_EPS);
// The clip passes the gradient on the closed interval, zero strictly outside.
const inClip = (v) => (v >= EPS && v <= ONE_MINUS_EPS ? 1 : 0);

/** Logistic sigmoid, accurate in both tails. */
export function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** max(x, 0) - x z + log1p(exp(-|x|)): tf.nn.sigmoid_cross_entropy_with_logits. */
function sigmoidXent(x, z) {
  return Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
}

function logSumExp(row) {
  let m = -Infinity;
  for (const v of row) m = Math.max(m, v);
  if (m === -Infinity || m === Infinity || Number.isNaN(m)) return m;
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  return m + Math.log(s);
}

function softmax(row) {
  const lse = logSumExp(row);
  return row.map((v) => Math.exp(v - lse));
}

const REDUCTIONS = ['sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight'];

function defaults(options = {}) {
  return {
    fromLogits: false,
    labelSmoothing: 0,
    reduction: 'sum_over_batch_size',
    alpha: 0.25,
    gamma: 2,
    applyClassBalancing: false,
    ...options,
  };
}

// The class an example counts as for class_weight: its sparse label, else the
// argmax of its label row (first maximum), else (one column) y rounded half to
// even as Keras' trainer does (np.round / tf.round; labels in [0, 1] here).
function denseClass(yRow) {
  if (yRow.length === 1) return yRow[0] > 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < yRow.length; j++) if (yRow[j] > yRow[best]) best = j;
  return best;
}

/**
 * Applies weights and the reduction (docs/semantics.md section 2.8) to per-example
 * losses L[b] and their gradients dL[b] (arrays over the row).
 * `cls[b]` is the example's class, `valid[b]` false for ignored rows.
 */
function reduce(L, dL, cls, valid, o, classes) {
  const batch = L.length;
  const w = new Float64Array(batch);
  let validCount = 0;
  let weightSum = 0;
  for (let b = 0; b < batch; b++) {
    if (!valid[b]) continue;
    validCount++;
    let wb = o.sampleWeight ? o.sampleWeight[b] : 1;
    if (o.classWeight) wb *= o.classWeight[cls[b]];
    w[b] = wb;
    weightSum += wb;
  }
  let denominator;
  switch (o.reduction) {
    case 'sum_over_batch_size':
      denominator = validCount;
      break;
    case 'sum':
    case 'none':
      denominator = 1;
      break;
    case 'mean_with_sample_weight':
      denominator = o.sampleWeight || o.classWeight ? weightSum : validCount;
      break;
    default:
      throw new Error(`reference: unknown reduction ${o.reduction}`);
  }
  const losses = new Float64Array(batch);
  const grad = new Float64Array(batch * classes);
  let sum = 0;
  for (let b = 0; b < batch; b++) {
    const lb = valid[b] ? w[b] * L[b] : 0;
    sum += lb;
    losses[b] = narrow(lb);
    const scale = valid[b] && denominator !== 0 ? w[b] / denominator : 0;
    for (let j = 0; j < classes; j++) grad[b * classes + j] = scale === 0 ? 0 : scale * dL[b][j];
  }
  const loss = o.reduction === 'none' ? undefined : denominator === 0 ? 0 : narrow(sum / denominator);
  return { loss, losses, grad };
}

function rows(flat, batch, classes) {
  const out = [];
  for (let b = 0; b < batch; b++) out.push(Array.from(flat.slice(b * classes, (b + 1) * classes)));
  return out;
}

// ---- Per-example formulas: [loss, gradient row] ---------------------------------

// Binary cross-entropy of one row (docs/semantics.md 2.3, 4.1, 4.3): mean over the row.
function bceRow(y, p, o) {
  const C = p.length;
  const s = o.labelSmoothing;
  let L = 0;
  const g = new Array(C);
  for (let j = 0; j < C; j++) {
    const t = y[j] * (1 - s) + 0.5 * s;
    if (o.fromLogits) {
      L += sigmoidXent(p[j], t);
      g[j] = (sigmoid(p[j]) - t) / C;
    } else {
      const q = clip(p[j]);
      L += -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
      g[j] = (inClip(p[j]) * (q - t)) / (q * (1 - q)) / C;
    }
  }
  return [L / C, g];
}

// Categorical cross-entropy of one row (2.4, 4.4, 4.5, decision 3).
function cceRow(y, p, o) {
  const C = p.length;
  const s = o.labelSmoothing;
  const t = y.map((v) => v * (1 - s) + s / C);
  const tSum = t.reduce((a, v) => a + v, 0);
  if (o.fromLogits) {
    const lse = logSumExp(p);
    let L = 0;
    for (let j = 0; j < C; j++) if (t[j] !== 0) L += t[j] * (lse - p[j]);
    const sm = softmax(p);
    return [L, sm.map((v, i) => tSum * v - t[i])];
  }
  const S = p.reduce((a, v) => a + v, 0);
  const q = p.map((v) => (S === 0 ? 0 : v / S));
  const qc = q.map(clip);
  const m = q.map(inClip);
  let L = 0;
  for (let j = 0; j < C; j++) L += -t[j] * Math.log(qc[j]);
  let common = 0;
  for (let j = 0; j < C; j++) common += (m[j] * t[j] * q[j]) / qc[j];
  const g = new Array(C);
  for (let i = 0; i < C; i++) g[i] = S === 0 ? 0 : (-(m[i] * t[i]) / qc[i] + common) / S;
  return [L, g];
}

// Sparse categorical cross-entropy of one row (2.5, 4.4, 4.6).
function sparseRow(label, p, o) {
  const C = p.length;
  if (o.fromLogits) {
    const sm = softmax(p);
    return [logSumExp(p) - p[label], sm.map((v, i) => v - (i === label ? 1 : 0))];
  }
  const pc = p.map(clip);
  const S = pc.reduce((a, v) => a + v, 0);
  const g = new Array(C);
  for (let i = 0; i < C; i++) g[i] = inClip(p[i]) * (1 / S - (i === label ? 1 / pc[i] : 0));
  return [Math.log(S) - Math.log(pc[label]), g];
}

// Binary focal cross-entropy of one row (2.6, 4.7), on Keras' TF backend.
function binaryFocalRow(y, p, o) {
  const C = p.length;
  const s = o.labelSmoothing;
  const { alpha, gamma } = o;
  let L = 0;
  const g = new Array(C);
  for (let j = 0; j < C; j++) {
    const t = y[j] * (1 - s) + 0.5 * s;
    let prob; // the unclipped probability
    let oneMinusProb;
    let bce;
    let dBce; // d bce / d input (logit or probability)
    let dProb; // d prob / d input
    if (o.fromLogits) {
      prob = sigmoid(p[j]);
      oneMinusProb = sigmoid(-p[j]);
      bce = sigmoidXent(p[j], t);
      dBce = prob - t;
      dProb = prob * oneMinusProb;
    } else {
      prob = p[j];
      oneMinusProb = 1 - p[j];
      const q = clip(p[j]);
      bce = -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
      dBce = (inClip(p[j]) * (q - t)) / (q * (1 - q));
      dProb = 1;
    }
    const oneMinusPt = t * oneMinusProb + (1 - t) * prob; // 1 - p_t
    const focal = oneMinusPt ** gamma;
    const w = o.applyClassBalancing ? t * alpha + (1 - t) * (1 - alpha) : 1;
    L += w * focal * bce;
    // d(1 - p_t)/d prob = -(2t - 1)
    const dFocal = gamma === 0 ? 0 : gamma * oneMinusPt ** (gamma - 1) * -(2 * t - 1) * dProb;
    g[j] = (w * (dFocal * bce + focal * dBce)) / C;
  }
  return [L / C, g];
}

// Categorical focal cross-entropy of one row (2.6, 4.8): always normalise and clip.
function categoricalFocalRow(y, p, o) {
  const C = p.length;
  const s = o.labelSmoothing;
  const { alpha, gamma } = o;
  const t = y.map((v) => v * (1 - s) + s / C);
  const probs = o.fromLogits ? softmax(p) : p;
  const S = probs.reduce((a, v) => a + v, 0);
  const q = probs.map((v) => (S === 0 ? 0 : v / S));
  const qc = q.map(clip);
  const m = q.map(inClip);
  let L = 0;
  const gq = new Array(C); // d L / d clipped q
  for (let j = 0; j < C; j++) {
    const f = (1 - qc[j]) ** gamma;
    L += alpha * f * -t[j] * Math.log(qc[j]);
    gq[j] = t[j] === 0 ? 0 : alpha * (gamma * (1 - qc[j]) ** (gamma - 1) * t[j] * Math.log(qc[j]) - (f * t[j]) / qc[j]);
  }
  let common = 0;
  for (let j = 0; j < C; j++) common += m[j] * gq[j] * q[j];
  const G = new Array(C);
  for (let i = 0; i < C; i++) G[i] = S === 0 ? 0 : (m[i] * gq[i] - common) / S;
  if (!o.fromLogits) return [L, G];
  let sg = 0;
  for (let j = 0; j < C; j++) sg += probs[j] * G[j];
  return [L, probs.map((sv, i) => sv * (G[i] - sg))];
}

// ---- Keras losses ------------------------------------------------------------------

function denseLoss(rowFn, yTrue, yPred, batch, classes, options) {
  const o = defaults(options);
  if (!REDUCTIONS.includes(o.reduction)) throw new Error(`reference: unknown reduction ${o.reduction}`);
  const Y = rows(yTrue, batch, classes);
  const P = rows(yPred, batch, classes);
  const L = [];
  const dL = [];
  for (let b = 0; b < batch; b++) {
    const [l, g] = rowFn(Y[b], P[b], o);
    L.push(l);
    dL.push(g);
  }
  return reduce(L, dL, Y.map(denseClass), Y.map(() => true), o, classes);
}

export const binaryCrossentropy = (yTrue, yPred, batch, classes, options) =>
  denseLoss(bceRow, yTrue, yPred, batch, classes, options);
export const categoricalCrossentropy = (yTrue, yPred, batch, classes, options) =>
  denseLoss(cceRow, yTrue, yPred, batch, classes, options);
export const binaryFocalCrossentropy = (yTrue, yPred, batch, classes, options) =>
  denseLoss(binaryFocalRow, yTrue, yPred, batch, classes, options);
export const categoricalFocalCrossentropy = (yTrue, yPred, batch, classes, options) =>
  denseLoss(categoricalFocalRow, yTrue, yPred, batch, classes, options);

export function sparseCategoricalCrossentropy(labels, yPred, batch, classes, options) {
  const o = defaults(options);
  const P = rows(yPred, batch, classes);
  const L = [];
  const dL = [];
  const valid = [];
  for (let b = 0; b < batch; b++) {
    const ignored = o.ignoreClass !== undefined && o.ignoreClass !== null && labels[b] === o.ignoreClass;
    valid.push(!ignored);
    if (ignored) {
      L.push(0);
      dL.push(new Array(classes).fill(0));
      continue;
    }
    if (!(labels[b] >= 0 && labels[b] < classes)) throw new RangeError(`reference: label ${labels[b]} out of range`);
    const [l, g] = sparseRow(labels[b], P[b], o);
    L.push(l);
    dL.push(g);
  }
  return reduce(L, dL, Array.from(labels), valid, o, classes);
}

// ---- tf.nn ops (section 3): unreduced, gradient of the sum ----------------------------

export function sigmoidCrossEntropyWithLogits(labels, logits) {
  const n = logits.length;
  const losses = new Float64Array(n);
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    losses[i] = narrow(sigmoidXent(logits[i], labels[i]));
    grad[i] = sigmoid(logits[i]) - labels[i];
  }
  return { losses, grad };
}

export function weightedCrossEntropyWithLogits(labels, logits, posWeight) {
  const n = logits.length;
  const losses = new Float64Array(n);
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = logits[i];
    const z = labels[i];
    const l = 1 + (posWeight - 1) * z;
    losses[i] = narrow((1 - z) * x + l * (Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0)));
    grad[i] = l * sigmoid(x) - posWeight * z;
  }
  return { losses, grad };
}

export function softmaxCrossEntropyWithLogits(labels, logits, batch, classes) {
  const losses = new Float64Array(batch);
  const grad = new Float64Array(batch * classes);
  const Y = rows(labels, batch, classes);
  const Z = rows(logits, batch, classes);
  for (let b = 0; b < batch; b++) {
    const lse = logSumExp(Z[b]);
    const sm = softmax(Z[b]);
    const ySum = Y[b].reduce((a, v) => a + v, 0);
    let L = 0;
    for (let j = 0; j < classes; j++) {
      if (Y[b][j] !== 0) L += Y[b][j] * (lse - Z[b][j]);
      grad[b * classes + j] = ySum * sm[j] - Y[b][j];
    }
    losses[b] = narrow(L);
  }
  return { losses, grad };
}

export function sparseSoftmaxCrossEntropyWithLogits(labels, logits, batch, classes) {
  const losses = new Float64Array(batch);
  const grad = new Float64Array(batch * classes);
  const Z = rows(logits, batch, classes);
  for (let b = 0; b < batch; b++) {
    const y = labels[b];
    if (!(y >= 0 && y < classes)) throw new RangeError(`reference: label ${y} out of range`);
    losses[b] = narrow(logSumExp(Z[b]) - Z[b][y]);
    const sm = softmax(Z[b]);
    for (let j = 0; j < classes; j++) grad[b * classes + j] = sm[j] - (j === y ? 1 : 0);
  }
  return { losses, grad };
}

/**
 * Central finite differences of a scalar function `f(x)` of a Float64Array,
 * step h scaled to each coordinate. For checking analytic gradients.
 */
export function finiteDifference(f, x, h = 1e-6) {
  const g = new Float64Array(x.length);
  const xp = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const step = h * Math.max(1, Math.abs(x[i]));
    xp[i] = x[i] + step;
    const up = f(xp);
    xp[i] = x[i] - step;
    const down = f(xp);
    xp[i] = x[i];
    g[i] = (up - down) / (2 * step);
  }
  return g;
}

// ---- Test utilities ------------------------------------------------------------------

/** A seeded uniform random generator in [0, 1) (mulberry32), for reproducible data. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How far `got` is from `want`, element by element: the largest
 * |got - want| / (rtol |want| + atol) (at most 1 passes) and the largest
 * relative error |got - want| / max(|want|, atol / rtol).
 * NaN must meet NaN and an infinity the same infinity.
 */
export function deviation(got, want, rtol = 1e-6, atol = 1e-7) {
  let excess = 0;
  let relative = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w))) return { excess: Infinity, relative: Infinity, at: i };
      continue;
    }
    const d = Math.abs(g - w);
    const e = Number.isNaN(d) ? Infinity : d / (rtol * Math.abs(w) + atol);
    if (e > excess) {
      excess = e;
      at = i;
    }
    relative = Math.max(relative, d / Math.max(Math.abs(w), atol / rtol));
  }
  return { excess, relative, at };
}
