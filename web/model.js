// model.js: what the explorer computes, as pure functions over the JS API.
// The user's model has raw last-layer values z (the sliders); its output is
// activation(z) (none, sigmoid or softmax: the "model output" choice); the loss
// named by the label encoding (docs/semantics.md §2.3-2.6, §3.2) receives that output
// with the user's from_logits setting, mistakes included. The gradient comes
// from xent (w.r.t. what the loss receives) and is chained back to z (§4) for
// the curves and the training loop. Imported by xent-explorer.js, the panels
// and the browser tests (which recompute the page's numbers with it in Node).

import { liveSpec, labelsFor, situation, xentCall } from './story.js';
import { targetsAsRows } from './state.js';

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

// Which xent function and options the current setting amounts to
// (story.js decides; kept here under its old name for the panels).
export function lossSpec(s) {
  const call = xentCall(liveSpec(s));
  return { ...call, sparse: call.fn === 'sparseCategoricalCrossentropy' };
}

const js = (v) => (Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? `'${v}'` : String(v));

// The call as a line of JS, for display.
export function callText(spec) {
  if (spec.fn === 'weightedCrossEntropyWithLogits') {
    const y = spec.labelSmoothing ? `yTrue * ${Number((1 - spec.labelSmoothing).toPrecision(12))} + ${Number((spec.labelSmoothing / 2).toPrecision(12))}` : 'yTrue';
    return `xent.weightedCrossEntropyWithLogits(${y}, yPred, ${spec.posWeight})  // then the mean over classes, and the reduction over the batch`;
  }
  const opts = Object.entries(spec.options).map(([k, v]) => `${k}: ${js(v)}`).join(', ');
  return `xent.${spec.fn}(yTrue, yPred, { ${opts} })`;
}

// The Keras call the Live example computes, as Python.
export function kerasText(k) {
  const py = (v) => (v === true ? 'True' : v === false ? 'False' : typeof v === 'string' ? `"${v}"` : String(v));
  const args = Object.entries(k.args).map(([a, v]) => `${a}=${py(v)}`).join(', ');
  return k.className ? `keras.losses.${k.className}(${args})` : `${k.op}(labels=y, logits=y_pred, ${args})  (Keras has no pos_weight)`;
}

// Labels in the layout the loss function takes.
export function labelArray(s, targets, n) {
  return labelsFor(s, liveSpec(s), targets, n);
}

// Runs the setting on z [n, u] and targets (in the state's encoding).
// `override` may change reduction or from-logits (the "flipped" comparison);
// with `raw: true` z is the model output itself (pasted predictions) and no
// activation is applied. Returns { spec, out, losses, loss, grad, gradZ, wrt }.
export function evaluate(xent, s, z, targets, n, override = {}) {
  const { raw = false, ...patch } = override;
  const st = { ...s, ...patch, batch: n };
  const ls = liveSpec(st);
  const u = ls.u;
  const spec = lossSpec(st);
  const out = raw ? Float32Array.from(z) : activate(st.output, z, n, u);
  const yTrue = labelsFor(st, ls, targets, n);
  let losses, loss, grad;
  if (spec.fn === 'weightedCrossEntropyWithLogits') {
    // tf.nn op, unreduced: per-example mean over the units, then the reduction.
    const sm = spec.labelSmoothing;
    // The smoothed labels exactly as the xent tab writes them (decimal constants).
    const keep = Number((1 - sm).toPrecision(12)), add = Number((sm / 2).toPrecision(12));
    const y = sm ? yTrue.map((v) => v * keep + add) : yTrue;
    const r = xent.weightedCrossEntropyWithLogits(y, out, spec.posWeight, { gradient: true, shape: [n, u] });
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
  const gradZ = raw ? Float64Array.from(grad) : chainToLogits(st.output, out, grad, n, u);
  return { spec, live: ls, yTrue, out, losses, loss, grad, gradZ, wrt: st['from-logits'] ? 'logits' : 'probabilities' };
}

export { situation };

// The same examples under the wider family (docs/semantics.md "New losses"),
// beside the Live loss, for exclusive classes (integer, one-hot or soft labels
// over two or more units): poly-1 (Optax's epsilon 2) and, for class labels,
// generalized cross-entropy (Keras' q 0.5), both from z as logits; for one-hot
// or soft rows, KL divergence of the softmax of z from the targets and
// distillation (Keras' temperature 3) with the targets as the teacher's
// softmax (teacher logits log y). Returns [{ name, call, loss }], [] where
// none applies.
export function familyLosses(xent, s, z, n) {
  if (s.problem !== 'multiclass' || !['integer', 'onehot', 'soft'].includes(s.labels)) return [];
  const u = s.classes;
  const shape = [n, u];
  const rows = targetsAsRows({ ...s, batch: n }).flat();
  const y = Float32Array.from(rows);
  const x = Float32Array.from(z.subarray(0, n * u));
  const out = [{ name: 'poly-1 (epsilon 2)', call: 'xent.polyLossCrossentropy(yTrue, z, { epsilon: 2 })',
    loss: xent.polyLossCrossentropy(y, x, { shape, epsilon: 2 }).loss }];
  if (s.labels !== 'soft') {
    const labels = Int32Array.from({ length: n }, (_, i) => rows.slice(i * u, i * u + u).indexOf(1));
    out.push({ name: 'generalized cross-entropy (q 0.5)', call: 'xent.categoricalGeneralizedCrossentropy(labels, z, { q: 0.5, fromLogits: true })',
      loss: xent.categoricalGeneralizedCrossentropy(labels, x, { shape, q: 0.5, fromLogits: true }).loss });
  }
  if (s.labels !== 'integer') {
    out.push({ name: 'KL divergence', call: 'xent.klDivergence(yTrue, softmax(z))',
      loss: xent.klDivergence(y, activate('softmax', x, n, u), { shape }).loss });
    out.push({ name: 'distillation (T 3, teacher logits log y)', call: 'xent.logitsDistillation(log(yTrue), z, { temperature: 3 })',
      loss: xent.logitsDistillation(y.map((v) => Math.log(Math.max(v, 1e-30))), x, { shape, temperature: 3 }).loss });
  }
  return out;
}

// Numbers as shown: 7 significant digits, enough to compare with Keras' float32.
export function fmt(v, digits = 7) {
  if (v === undefined || v === null) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return '0'; // -0 prints as 0: the sign of a zero says nothing here
  const a = Math.abs(v);
  if (a >= 1e7 || a < 1e-4) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}
