// model.js: what the explorer computes, as pure functions over the JS API.
// The user's model has raw last-layer values z (the sliders); its output is
// activation(z) (none, sigmoid or softmax: the "model output" choice); the loss
// named by the label encoding (docs/semantics.md §2.3-2.6, §3.2) receives that output
// with the user's from_logits setting, mistakes included. The gradient comes
// from xent (w.r.t. what the loss receives) and is chained back to z (§4) for
// the curves and the training loop. Imported by xent-explorer.js, the panels
// and the browser tests (which recompute the page's numbers with it in Node).

import { units } from './state.js';

// Model output from z, rounded to float32 like the tensor the loss would get.
export function activate(output, z, n, u) {
  const out = new Float32Array(n * u);
  for (let i = 0; i < n; i++) {
    const row = i * u;
    if (output === 'softmax') {
      let m = -Infinity;
      for (let j = 0; j < u; j++) m = Math.max(m, z[row + j]);
      let sum = 0;
      for (let j = 0; j < u; j++) sum += Math.exp(z[row + j] - m);
      for (let j = 0; j < u; j++) out[row + j] = Math.exp(z[row + j] - m) / sum;
    } else if (output === 'sigmoid') {
      for (let j = 0; j < u; j++) out[row + j] = 1 / (1 + Math.exp(-z[row + j]));
    } else {
      for (let j = 0; j < u; j++) out[row + j] = z[row + j];
    }
  }
  return out;
}

// d loss / d z from d loss / d output: the transposed Jacobian of the activation.
export function chainToLogits(output, out, grad, n, u) {
  const gz = new Float64Array(n * u);
  for (let i = 0; i < n; i++) {
    const row = i * u;
    if (output === 'softmax') {
      let dot = 0;
      for (let j = 0; j < u; j++) dot += out[row + j] * grad[row + j];
      for (let j = 0; j < u; j++) gz[row + j] = out[row + j] * (grad[row + j] - dot);
    } else if (output === 'sigmoid') {
      for (let j = 0; j < u; j++) gz[row + j] = grad[row + j] * out[row + j] * (1 - out[row + j]);
    } else {
      for (let j = 0; j < u; j++) gz[row + j] = grad[row + j];
    }
  }
  return gz;
}

// The loss of the wider family the state names, when its labels fit it
// (docs/semantics.md "New losses"), else null: poly-1 and generalized CE for
// exclusive classes, KL divergence and distillation for probability targets.
export const FAMILY = {
  poly1: { fn: 'polyLossCrossentropy', labels: ['integer', 'onehot', 'soft'], as: 'dense', option: 'epsilon' },
  generalized: { fn: 'categoricalGeneralizedCrossentropy', labels: ['integer', 'onehot'], as: 'sparse', option: 'q' },
  kl: { fn: 'klDivergence', labels: ['onehot', 'soft'], as: 'dense' },
  distillation: { fn: 'logitsDistillation', labels: ['onehot', 'soft'], as: 'teacher', option: 'temperature' },
};
function familySpec(s) {
  const f = FAMILY[s.loss];
  if (!f || !f.labels.includes(s.labels)) return null;
  const o = {};
  if (f.option) o[f.option] = s[f.option];
  if (s.loss === 'generalized') o.fromLogits = s['from-logits'];
  if (s.reduction !== 'sum_over_batch_size') o.reduction = s.reduction;
  return { fn: f.fn, options: o, sparse: f.as === 'sparse', as: f.as };
}

// Which xent function and options the current setting amounts to.
export function lossSpec(s) {
  const family = familySpec(s);
  if (family) return family;
  const fromLogits = s['from-logits'];
  const o = { fromLogits };
  const ls = s['label-smoothing'];
  const cw = s['class-weight'].length ? s['class-weight'].slice() : null;
  let fn;
  if (s.labels === 'binary01' || s.labels === 'multihot') {
    if (s.focal) {
      fn = 'binaryFocalCrossentropy';
      o.gamma = s.gamma;
      o.alpha = s.alpha;
      if (s['class-balancing']) o.applyClassBalancing = true;
    } else if (s['pos-weight'] !== 1 && fromLogits) {
      return { fn: 'weightedCrossEntropyWithLogits', posWeight: s['pos-weight'], options: {}, sparse: false };
    } else {
      fn = 'binaryCrossentropy';
    }
    if (ls > 0) o.labelSmoothing = ls;
  } else if (s.labels === 'integer') {
    fn = 'sparseCategoricalCrossentropy';
    if (s['ignore-class'] >= 0) o.ignoreClass = s['ignore-class'];
  } else {
    fn = s.focal ? 'categoricalFocalCrossentropy' : 'categoricalCrossentropy';
    if (s.focal) {
      o.gamma = s.gamma;
      o.alpha = s.alpha;
    }
    if (ls > 0) o.labelSmoothing = ls;
  }
  if (cw) o.classWeight = cw;
  if (s.reduction !== 'sum_over_batch_size') o.reduction = s.reduction;
  return { fn, options: o, sparse: fn === 'sparseCategoricalCrossentropy' };
}

// The call as a line of JS, for display.
export function callText(spec) {
  const opts = Object.entries(spec.options)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? `'${v}'` : v}`)
    .join(', ');
  if (spec.fn === 'weightedCrossEntropyWithLogits') {
    return `xent.weightedCrossEntropyWithLogits(yTrue, yPred, ${spec.posWeight})  // then the mean over classes and batch`;
  }
  return `xent.${spec.fn}(yTrue, yPred, { ${opts} })`;
}

// Labels in the layout the loss function takes: int32 class indices for the
// sparse loss, else a float32 [n, u] matrix.
export function labelArray(s, targets, n) {
  const u = units(s), C = s.classes;
  if (s.labels === 'integer') return Int32Array.from(targets.slice(0, n));
  const y = new Float32Array(n * u);
  if (s.labels === 'onehot') {
    for (let i = 0; i < n; i++) y[i * C + targets[i]] = 1;
  } else {
    for (let k = 0; k < n * u; k++) y[k] = targets[k];
  }
  return y;
}

// Labels in the layout a loss of the wider family takes: one-hot rows from
// class indices (poly-1), class indices (argmax) from rows (generalized CE),
// and for distillation the teacher's logits, log of the target rows (whose
// softmax at T = 1 is the targets themselves).
function familyLabels(spec, s, y, n, u) {
  if (spec.as === 'dense' && y instanceof Int32Array) {
    const d = new Float32Array(n * u);
    for (let i = 0; i < n; i++) d[i * u + y[i]] = 1;
    return d;
  }
  if (spec.as === 'sparse' && !(y instanceof Int32Array)) {
    const k = new Int32Array(n);
    for (let i = 0; i < n; i++) for (let j = 1; j < u; j++) if (y[i * u + j] > y[i * u + k[i]]) k[i] = j;
    return k;
  }
  if (spec.as === 'teacher') return Float32Array.from(y, (v) => Math.log(Math.max(v, 1e-30)));
  return y;
}

// Runs the setting on z [n, u] and targets (in the state's encoding).
// `override` may change reduction or from-logits (the "flipped" comparison).
// Returns { spec, out, losses, loss, grad, gradZ, wrt }.
export function evaluate(xent, s, z, targets, n, override = {}) {
  const st = { ...s, ...override };
  const u = units(st);
  const spec = lossSpec(st);
  const out = activate(st.output, z, n, u);
  const yTrue = familyLabels(spec, st, labelArray(st, targets, n), n, u);
  let losses, loss, grad;
  if (spec.fn === 'weightedCrossEntropyWithLogits') {
    // tf.nn op, unreduced: per-example mean over the units, then the reduction.
    const r = xent.weightedCrossEntropyWithLogits(yTrue, out, spec.posWeight, { gradient: true, shape: [n, u] });
    const div = st.reduction === 'sum' ? 1 : n;
    losses = new Float32Array(n);
    grad = new Float32Array(n * u);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < u; j++) acc += r.losses[i * u + j];
      losses[i] = acc / u;
      total += acc / u;
    }
    for (let k = 0; k < n * u; k++) grad[k] = r.grad[k] / u / div;
    loss = n ? Math.fround(total / div) : 0;
  } else {
    const r = xent[spec.fn](yTrue, out, { ...spec.options, gradient: true, shape: [n, u] });
    losses = r.losses;
    loss = r.loss;
    grad = r.grad;
  }
  const gradZ = chainToLogits(st.output, out, grad, n, u);
  return { spec, out, losses, loss, grad, gradZ, wrt: st['from-logits'] ? 'logits' : 'probabilities' };
}

// The recommender's situation for a state: what the Choose panel declares.
export function situation(s) {
  const sit = {
    problem: s.problem,
    labels: s.labels,
    output: s.output,
    fromLogits: s['from-logits'],
    numClasses: s.labels === 'binary01' ? 2 : s.classes,
    outputUnits: units(s),
  };
  if (s['class-weight'].length || s['pos-weight'] !== 1 || s.focal) sit.imbalanced = true;
  if (s['label-smoothing'] > 0) sit.noisyLabels = true;
  if (s['ignore-class'] >= 0) sit.paddingLabel = s['ignore-class'];
  if (s.loss === 'generalized') sit.noisyLabels = true;
  if (s.loss === 'distillation') sit.distillation = true;
  return sit;
}

// Numbers as shown: 7 significant digits, enough to compare with Keras' float32.
export function fmt(v, digits = 7) {
  if (v === undefined || v === null) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = Math.abs(v);
  if (a >= 1e7 || a < 1e-4) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}
