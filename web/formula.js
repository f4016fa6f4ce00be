// formula.js: the formula strip's content: the loss the Live example computes
// (story.js liveSpec), written out for each example with the state's numbers
// in float64: the activation applied (docs/semantics.md 2.3-2.6), the
// per-example loss with its terms, the class weight or ignore mask and the
// reduction (2.8), and what the gradient bars are (section 4: p − y times
// the reduction's scale for cross-entropy from logits). Pure (no DOM, no
// wasm); used by panels/formula.js and the tests, which compare it with the
// numbers xent computes.

import { activate } from './model.js';
import { labelsFor, exampleClasses } from './story.js';

// Keras' epsilon and its float32 upper clip 1 − 1e-7 = 0.99999988.
export const EPS = 1e-7;
const TOP = Math.fround(1 - EPS);
const clip = (p) => Math.min(Math.max(p, EPS), TOP);
// Four significant digits; trailing zeros are dropped only when the short
// number is the value, in float64 or as the float32 the page computes with
// (0.5, 2, the clip bound 1e-7), so a rounded 2.000091 reads 2.000, not 2.
const f4 = (v) => {
  if (v === 0) return '0';
  const plain = Math.abs(v) >= 1e-4 && Math.abs(v) < 1e5;
  const s = plain ? v.toPrecision(4) : v.toExponential(3);
  const exact = Number(s) === v || Math.fround(Number(s)) === v;
  return exact ? (plain ? String(Number(s)) : s.replace(/\.?0+e/, 'e')) : s;
};
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const list = (a) => (a.length === 1 ? f4(a[0]) : `[${a.map(f4).join(', ')}]`);

function softmax(row) {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

// The probabilities the loss works with for one row x (the model output),
// and the text saying how they came about.
function probsOf(spec, x) {
  const what = spec.output === 'logits' ? 'z' : `${spec.output}(z)`;
  if (spec.family === 'binary') {
    if (spec.fromLogits) return { p: x.map(sigmoid), text: `p = σ(${what}) = σ(${list(x)})` };
    return { p: x.map(clip), text: `p = clip(${what}, 1e-7, 0.99999988) = clip(${list(x)})` };
  }
  if (spec.fromLogits && !spec.focal) return { p: softmax(x), text: `p = softmax(${what}) = softmax(${list(x)})` };
  if (spec.fromLogits) return { p: softmax(x).map(clip), text: `p = clip(softmax(${what})) = clip(softmax(${list(x)}))` };
  if (spec.family === 'sparse') {
    const c = x.map(clip);
    const s = c.reduce((a, b) => a + b, 0);
    return { p: c.map((v) => v / s), text: `p = clip(${what}) / Σ clip(${what}), ${what} = ${list(x)}` };
  }
  const s = x.reduce((a, b) => a + b, 0);
  return { p: x.map((v) => clip(s === 0 ? 0 : v / s)), text: `p = clip(${what} / Σ ${what}), ${what} = ${list(x)}` };
}

// Binary cross-entropy of one element (2.3): exact from logits, clipped from probabilities.
function bce(spec, x, p, y, q = 1) {
  if (spec.fromLogits) {
    const sp = (t) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))); // log(1 + e^t)
    return q * y * sp(-x) + (1 - y) * sp(x);
  }
  return -(q * y * Math.log(p) + (1 - y) * Math.log(Math.fround(1 - p))); // 1 − p' in float32, as Keras
}

// One example's loss, its formula with numbers, and its class weight.
function exampleLoss(spec, x, y, p) {
  const ls = spec.labelSmoothing;
  if (spec.family === 'binary') {
    const ys = y.map((v) => v * (1 - ls) + ls / 2);
    const q = spec.posWeight ?? 1;
    const terms = x.map((xi, j) => {
      const b = bce(spec, xi, p[j], ys[j], q);
      if (!spec.focal) return b;
      const pr = spec.fromLogits ? sigmoid(xi) : x[j];
      const pt = ys[j] * pr + (1 - ys[j]) * (1 - pr);
      const w = spec.classBalancing ? spec.alpha * ys[j] + (1 - spec.alpha) * (1 - ys[j]) : 1;
      return w * Math.max(1 - pt, 0) ** spec.gamma * b; // 1 − p_t clamped at 0 (8.2)
    });
    const L = terms.reduce((a, b) => a + b, 0) / terms.length;
    const one = (j) => {
      const yj = ys[j];
      const qy = q !== 1 ? `${f4(q)}·` : '';
      const core = yj === 1 ? `−${qy}log ${f4(p[j])}` : yj === 0 ? `−log(1 − ${f4(p[j])})` : `−[${qy}${f4(yj)}·log ${f4(p[j])} + ${f4(1 - yj)}·log(1 − ${f4(p[j])})]`;
      if (!spec.focal) return core;
      const pr = spec.fromLogits ? sigmoid(x[j]) : x[j];
      const pt = yj * pr + (1 - yj) * (1 - pr);
      const w = spec.classBalancing ? `${f4(spec.alpha * yj + (1 - spec.alpha) * (1 - yj))}·` : '';
      return `${w}(1 − ${f4(Math.min(pt, 1))})^${spec.gamma}·(${core})`;
    };
    const head = spec.focal ? `${spec.classBalancing ? 'α_t·' : ''}(1 − p_t)^γ·BCE` : spec.posWeight !== null ? '−[q·y log p + (1 − y) log(1 − p)]' : '−[y log p + (1 − y) log(1 − p)]';
    const text = terms.length === 1 ? `${head} = ${one(0)}` : `mean over ${terms.length} columns of ${head} = (${terms.map(f4).join(' + ')}) / ${terms.length}`;
    return { L, text, y: ys };
  }
  const C = x.length;
  const ys = y.map((v) => v * (1 - ls) + ls / C);
  let L = 0;
  const parts = [];
  for (let j = 0; j < C; j++) {
    if (ys[j] === 0) continue;
    const f = spec.focal ? spec.alpha * (1 - p[j]) ** spec.gamma : 1;
    L += -f * ys[j] * Math.log(p[j]);
    const fac = spec.focal ? `${f4(spec.alpha)}·(1 − ${f4(p[j])})^${spec.gamma}·` : '';
    parts.push(ys[j] === 1 ? `${fac}log ${f4(p[j])}` : `${fac}${f4(ys[j])}·log ${f4(p[j])}`);
  }
  const k = ys.indexOf(1);
  const head = spec.focal ? '−Σ α(1 − p_j)^γ y_j log p_j' : k >= 0 ? `−log p_${k}` : '−Σ y_j log p_j';
  const text = `${head} = −${parts.length === 1 ? parts[0] : `(${parts.join(' + ')})`}`;
  return { L, text, y: ys };
}

// The strip for a state: { examples: [{ i, probs, p, loss, text, weight, ignored }],
// total, reduction, gradient } with every number in float64.
export function formulaStrip(s, spec) {
  const n = s.batch, u = spec.u;
  const z = Float32Array.from(s.logits);
  const out = activate(s.output, z, n, u);
  const y = labelsFor(s, spec, s.targets, n);
  const cls = exampleClasses(spec, y, n);
  const examples = [];
  let sum = 0, valid = 0;
  for (let i = 0; i < n; i++) {
    const x = Array.from(out.subarray(i * u, i * u + u));
    const row = spec.family === 'sparse' ? Array.from({ length: u }, (_, j) => (j === y[i] ? 1 : 0)) : Array.from(y.subarray(i * u, i * u + u));
    const pr = probsOf(spec, x);
    const ignored = spec.ignoreClass !== null && y[i] === spec.ignoreClass;
    const e = exampleLoss(spec, x, row, pr.p);
    const weight = spec.classWeight ? spec.classWeight[cls[i]] ?? 1 : 1;
    const loss = ignored ? 0 : weight * e.L;
    if (!ignored) valid++;
    sum += loss;
    const floor = spec.labelSmoothing && !spec.focal ? smoothingFloor(spec, e.y) : null;
    examples.push({ i, probs: pr.text, p: pr.p, y: e.y, loss, ignored, weight, floor,
      text: ignored ? `label ${y[i]} = ignore_class: loss 0, left out of the mean` : `${e.text}${weight !== 1 ? ` → × class weight ${f4(weight)}` : ''} = ${f4(loss)}` });
  }
  const mean = s.reduction !== 'sum';
  const total = mean ? (valid ? sum / valid : 0) : sum;
  const terms = examples.map((e) => f4(e.loss)).join(' + ');
  const paren = examples.length > 1 ? `(${terms})` : terms;
  const reduction = mean ? `${s.reduction}: ${paren} / ${valid} = ${f4(total)}` : `sum: ${terms} = ${f4(total)}`;
  return { examples, total, reduction, gradient: gradientLabel(s, spec, mean ? valid : 1) };
}

// Label smoothing's target row and the smallest loss it allows: the
// entropy of the smoothed row (the loss at p = y'), per column averaged for
// the binary loss.
export function smoothingFloor(spec, ys) {
  const h = (v) => (v > 0 ? -v * Math.log(v) : 0);
  const value = spec.family === 'binary'
    ? ys.reduce((a, v) => a + h(v) + h(1 - v), 0) / ys.length
    : ys.reduce((a, v) => a + h(v), 0);
  const rule = spec.family === 'binary' ? `y(1 − ${spec.labelSmoothing}) + ${spec.labelSmoothing}/2` : `y(1 − ${spec.labelSmoothing}) + ${spec.labelSmoothing}/${ys.length}`;
  return { value, text: `smoothed target y' = ${rule} = ${list(ys)}; the loss cannot go below its entropy H(y') = ${f4(value)}` };
}

// What the gradient bars are, in symbols with the reduction's scale.
export function gradientLabel(s, spec, div) {
  const scale = [div > 1 ? String(div) : '', spec.family === 'binary' && spec.u > 1 ? String(spec.u) : ''].filter(Boolean).join('·');
  const by = scale ? ` / ${scale}` : '';
  const w = spec.classWeight ? 'w·' : '';
  if (!spec.fromLogits) return `∂loss/∂p (the loss takes probabilities: 0 where p is clipped)${by}`;
  if (spec.focal) return `∂loss/∂z of the focal loss${by}`;
  if (spec.posWeight !== null) return `∂loss/∂z = (1 + (q − 1)·y)·p − q·y${by}`;
  return `∂loss/∂z = ${w}(p − y)${by}`;
}
