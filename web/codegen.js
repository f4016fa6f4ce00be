// codegen.js: the code tabs of the explorer, generated from the whole state:
// for the loss the Live example computes (story.js liveSpec, every option
// included) and the Live example's own numbers, a runnable program for Keras 3,
// tf.nn, TensorFlow.js, PyTorch and xent that prints the reduced loss the page
// shows. Where a framework lacks an option the program says so and computes
// it with the closest correct code (the formula of docs/semantics.md §2.3-2.8,
// §3.2, §5, §6 written out). Pure; called by panels/recommend.js and by the
// tests, which run the TF.js, xent and PyTorch programs.

import { exampleClasses, kerasName } from './story.js';

// The shortest decimal that reads back as the same float32.
export function f32(v) {
  const x = Math.fround(v);
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p < 9; p++) {
    const t = Number(x.toPrecision(p));
    if (Math.fround(t) === x) return String(t);
  }
  return String(Number(x.toPrecision(9)));
}
// The same, always with a decimal point (a Python float, not an int).
const pf = (v) => { const t = f32(v); return /[.e]/.test(t) || !Number.isFinite(Math.fround(v)) ? t : `${t}.0`; };
// A float64 result of decimal arithmetic, printed without binary noise (1 - 0.7 is 0.3).
const dec = (x) => Number(x.toPrecision(12));
const rowsOf = (a, n, u) => Array.from({ length: n }, (_, i) => Array.from(a.slice(i * u, i * u + u), pf));
const pyList = (rows) => `[${rows.map((r) => (Array.isArray(r) ? `[${r.join(', ')}]` : r)).join(', ')}]`;
const py = (v) => (v === true ? 'True' : v === false ? 'False' : typeof v === 'string' ? `"${v}"` : String(v));
const pyArgs = (args) => Object.entries(args).map(([k, v]) => `${k}=${py(v)}`).join(', ');

// Per-example weights (class weight of the example's class, 0 where the label
// is ignore_class) and the denominator of the reduction (docs/semantics.md §2.8).
export function weighting(spec, y, n) {
  const cls = exampleClasses(spec, y, n);
  const w = cls.map((c) => (spec.classWeight ? spec.classWeight[c] : 1));
  const mask = cls.map((c) => (spec.ignoreClass !== null && c === spec.ignoreClass ? 0 : 1));
  const weights = w.map((v, i) => v * mask[i]);
  const valid = mask.reduce((a, b) => a + b, 0);
  const denominator = spec.reduction === 'sum' ? 1 : spec.ignoreClass !== null ? valid : n;
  const plain = !spec.classWeight && spec.ignoreClass === null;
  return { classes: cls, weights, denominator, plain };
}

function smoothText(spec, lang) {
  const s = spec.labelSmoothing;
  if (!s) return '';
  const add = spec.family === 'binary' ? dec(s / 2) : `${s} / ${spec.u}`;
  return lang === 'js' ? `.mul(${dec(1 - s)}).add(${add})` : ` * ${dec(1 - s)} + ${add}`;
}


// ---- Keras 3 (checked as text: Keras cannot run here) ------------------------
function keras(spec, d, notes) {
  const k = kerasName(spec);
  const W = weighting(spec, d.y, d.n);
  const L = [...notes.map((t) => `# ${t}`), 'import numpy as np', 'import keras', ''];
  L.push(spec.family === 'sparse' ? `y_true = np.array([${Array.from(d.y).join(', ')}], dtype="int32")` : `y_true = np.array(${pyList(rowsOf(d.y, d.n, d.u))}, dtype="float32")`);
  L.push(`z = np.array(${pyList(rowsOf(d.z, d.n, d.u))}, dtype="float32")  # the last layer's raw values`);
  if (spec.output === 'sigmoid') L.push('y_pred = 1 / (1 + np.exp(-z))  # sigmoid in NumPy: Keras cannot recover the logits behind it');
  else if (spec.output === 'softmax') L.push('e = np.exp(z - z.max(axis=-1, keepdims=True))', 'y_pred = e / e.sum(axis=-1, keepdims=True)  # softmax in NumPy: Keras cannot recover the logits behind it');
  else L.push('y_pred = z  # no activation');
  if (!k.className) {
    L.push('', 'import tensorflow as tf', '# Keras has no pos_weight option: a custom loss with the tf.nn op computes it.',
      'def loss_fn(y_true, y_pred):',
      `    y = y_true${smoothText(spec, 'py')}`,
      `    per_example = tf.reduce_mean(tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=y_pred, pos_weight=${pf(spec.posWeight)}), axis=-1)`,
      `    return tf.reduce_${spec.reduction === 'sum' ? 'sum' : 'mean'}(per_example)`, '',
      'print(float(loss_fn(y_true, y_pred)))  # model.compile(loss=loss_fn) to train with it');
    return L;
  }
  L.push(`loss_fn = keras.losses.${k.className}(${pyArgs(k.args)})`);
  if (spec.classWeight) {
    const dict = spec.classWeight.map((w, c) => `${c}: ${pf(w)}`).join(', ');
    L.push(`# Training: model.fit(x, y, class_weight={${dict}}) gives each example the weight of its class;`,
      '# on this batch that is the sample weight:',
      `sample_weight = np.array([${W.classes.map((c) => pf(spec.classWeight[c])).join(', ')}], dtype="float32")`,
      'print(float(loss_fn(y_true, y_pred, sample_weight=sample_weight)))');
  } else {
    L.push('print(float(loss_fn(y_true, y_pred)))');
  }
  return L;
}

// ---- tf.nn (checked as text) ----------------------------------------------------
function tfnn(spec, d, notes) {
  const W = weighting(spec, d.y, d.n);
  const L = [...notes.map((t) => `# ${t}`), 'import tensorflow as tf', ''];
  L.push(spec.family === 'sparse' ? `y = tf.constant([${Array.from(d.y).join(', ')}], tf.int32)` : `y = tf.constant(${pyList(rowsOf(d.y, d.n, d.u))}, tf.float32)`);
  L.push(`z = tf.constant(${pyList(rowsOf(d.z, d.n, d.u))}, tf.float32)`);
  L.push(spec.output === 'sigmoid' ? 'y_pred = tf.sigmoid(z)' : spec.output === 'softmax' ? 'y_pred = tf.nn.softmax(z)' : 'y_pred = z');
  if (spec.labelSmoothing) L.push(`y = y${smoothText(spec, 'py')}  # label smoothing: the ops have no option for it`);
  const fl = spec.fromLogits;
  if (spec.focal) {
    L.push('# tf.nn has no focal loss: the Keras function computes it per example.', 'import keras');
    const k = kerasName({ ...spec, labelSmoothing: 0, reduction: 'sum_over_batch_size', ignoreClass: null });
    const fn = spec.family === 'binary' ? 'binary_focal_crossentropy' : 'categorical_focal_crossentropy';
    L.push(`per_example = keras.losses.${fn}(y, y_pred, ${pyArgs(k.args)})`);
  } else if (spec.posWeight !== null) {
    L.push(`per_example = tf.reduce_mean(tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=y_pred, pos_weight=${pf(spec.posWeight)}), axis=-1)`);
  } else if (spec.family === 'binary') {
    if (fl) L.push('per_example = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=y_pred), axis=-1)');
    else L.push('# tf.nn has no op on probabilities: Keras\' clipped formula, written out.', 'p = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)',
      'per_example = tf.reduce_mean(-(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p)), axis=-1)');
  } else if (spec.family === 'categorical') {
    if (fl) L.push('per_example = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=y_pred)');
    else L.push('# tf.nn has no op on probabilities: Keras\' normalise-and-clip formula, written out.',
      'p = tf.clip_by_value(y_pred / tf.reduce_sum(y_pred, axis=-1, keepdims=True), 1e-7, 1 - 1e-7)', 'per_example = -tf.reduce_sum(y * tf.math.log(p), axis=-1)');
  } else {
    const labels = spec.ignoreClass !== null ? `tf.where(y == ${spec.ignoreClass}, 0, y)` : 'y';
    if (fl) L.push(`per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=${labels}, logits=y_pred)`);
    else L.push('# tf.nn has no op on probabilities: Keras feeds log(clip(p)) to the logits op, as here.',
      `per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=${labels}, logits=tf.math.log(tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)))`);
  }
  if (W.plain) L.push(`loss = tf.reduce_${spec.reduction === 'sum' ? 'sum' : 'mean'}(per_example)`);
  else {
    L.push(`w = tf.constant([${W.weights.map(pf).join(', ')}])  # ${spec.classWeight ? 'the class weight of each example\'s class' : 'one per example'}${spec.ignoreClass !== null ? `, 0 where the label is ${spec.ignoreClass}` : ''}`);
    L.push(`loss = tf.reduce_sum(per_example * w)${spec.reduction === 'sum' ? '' : ` / ${W.denominator}`}  # ${spec.reduction === 'sum' ? 'reduction "sum"' : spec.ignoreClass !== null ? 'divided by the labels not ignored' : 'divided by the batch size, as Keras does'}`);
  }
  L.push('print(float(loss))');
  return L;
}

// ---- TensorFlow.js (run by the tests) --------------------------------------------
function tfjs(spec, d, notes) {
  const W = weighting(spec, d.y, d.n);
  const fl = spec.fromLogits;
  const L = [...notes.map((t) => `// ${t}`), "import * as tf from '@tensorflow/tfjs';", ''];
  L.push(spec.family === 'sparse' ? `const yTrue = tf.tensor1d([${Array.from(d.y).join(', ')}], 'int32');` : `const yTrue = tf.tensor2d(${pyList(rowsOf(d.y, d.n, d.u))});`);
  L.push(`const z = tf.tensor2d(${pyList(rowsOf(d.z, d.n, d.u))});`);
  L.push(spec.output === 'sigmoid' ? 'const yPred = tf.sigmoid(z);' : spec.output === 'softmax' ? 'const yPred = tf.softmax(z);' : 'const yPred = z;');
  const NONE = 'tf.Reduction.NONE';
  const clipP = 'tf.clipByValue(yPred, 1e-7, 1 - 1e-7)';
  const y = spec.family !== 'sparse' && spec.labelSmoothing && (spec.focal || spec.posWeight !== null || !fl) ? 'y' : 'yTrue';
  if (y === 'y') L.push(`const y = tf.add(tf.mul(yTrue, ${dec(1 - spec.labelSmoothing)}), ${spec.family === 'binary' ? dec(spec.labelSmoothing / 2) : `${spec.labelSmoothing} / ${spec.u}`});  // label smoothing`);
  if (spec.focal && spec.family === 'binary') {
    L.push('// TF.js has no focal loss: Keras\' formula, written out.');
    L.push(fl ? `const bce = tf.losses.sigmoidCrossEntropy(${y}, yPred, undefined, 0, ${NONE});` : `const bce = tf.losses.logLoss(${y}, ${clipP}, undefined, 0, ${NONE});`);
    L.push(`const p = ${fl ? 'tf.sigmoid(yPred)' : 'yPred'};`, `const pt = tf.add(tf.mul(${y}, p), tf.mul(tf.sub(1, ${y}), tf.sub(1, p)));`);
    if (!fl) L.push('// 1 - p_t is clamped at 0, as xent does: on "probabilities" outside [0, 1] Keras\' formula gives NaN or a negative loss.');
    let e = `tf.mul(tf.pow(${fl ? 'tf.sub(1, pt)' : 'tf.relu(tf.sub(1, pt))'}, ${f32(spec.gamma)}), bce)`;
    if (spec.classBalancing) e = `tf.mul(${e}, tf.add(tf.mul(${y}, ${f32(spec.alpha)}), tf.mul(tf.sub(1, ${y}), ${f32(1 - spec.alpha)})))`;
    L.push(`const perExample = tf.mean(${e}, -1);`);
  } else if (spec.focal) {
    L.push('// TF.js has no focal loss: Keras\' formula, written out (it normalises and clips, also from logits).');
    L.push(`const p = ${fl ? 'tf.softmax(yPred)' : 'yPred'};`, 'const q = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), 1e-7, 1 - 1e-7);');
    L.push(`const perExample = tf.sum(tf.mul(tf.mul(tf.pow(tf.sub(1, q), ${f32(spec.gamma)}), ${f32(spec.alpha)}), tf.neg(tf.mul(${y}, tf.log(q)))), -1);`);
  } else if (spec.posWeight !== null) {
    L.push('// TF.js has no pos_weight: tf.nn.weighted_cross_entropy_with_logits\' formula, written out.');
    L.push(`const perExample = tf.mean(tf.add(tf.mul(tf.sub(1, ${y}), yPred), tf.mul(tf.add(1, tf.mul(${y}, ${f32(spec.posWeight - 1)})), tf.softplus(tf.neg(yPred)))), -1);`);
  } else if (spec.family === 'binary') {
    L.push(fl ? `const perExample = tf.mean(tf.losses.sigmoidCrossEntropy(yTrue, yPred, undefined, ${spec.labelSmoothing}, ${NONE}), -1);`
      : `const perExample = tf.mean(tf.losses.logLoss(${y}, ${clipP}, undefined, 0, ${NONE}), -1);  // epsilon 0 on clipped p: Keras' formula`);
  } else if (spec.family === 'categorical') {
    L.push(fl ? `const perExample = tf.losses.softmaxCrossEntropy(yTrue, yPred, undefined, ${spec.labelSmoothing}, ${NONE});`
      : `const perExample = tf.metrics.categoricalCrossentropy(${y}, yPred);  // normalise, clip, -sum y log p`);
  } else if (fl) {
    L.push(`const perExample = tf.losses.softmaxCrossEntropy(tf.oneHot(yTrue, ${spec.u}), yPred, undefined, 0, ${NONE});`);
  } else {
    L.push('// Keras on probabilities with class indices: clip, normalise, -log p[label].', `const q = ${clipP};`,
      `const perExample = tf.sub(tf.log(tf.sum(q, -1)), tf.log(tf.sum(tf.mul(q, tf.oneHot(yTrue, ${spec.u})), -1)));`);
  }
  if (W.plain) L.push(`const loss = tf.${spec.reduction === 'sum' ? 'sum' : 'mean'}(perExample);`);
  else {
    L.push(`const w = tf.tensor1d([${W.weights.map(f32).join(', ')}]);  // ${spec.classWeight ? 'the class weight of each example\'s class' : 'one per example'}${spec.ignoreClass !== null ? `, 0 where the label is ${spec.ignoreClass}` : ''}`);
    L.push(`const loss = ${spec.reduction === 'sum' ? 'tf.sum(tf.mul(perExample, w))' : `tf.div(tf.sum(tf.mul(perExample, w)), ${W.denominator})`};`);
  }
  L.push('console.log(loss.dataSync()[0]);');
  return L;
}

// ---- PyTorch (run by the tests) ----------------------------------------------------
function pytorch(spec, d, notes) {
  const W = weighting(spec, d.y, d.n);
  const fl = spec.fromLogits;
  const L = [...notes.map((t) => `# ${t}`), 'import torch', 'import torch.nn as nn', ''];
  L.push(spec.family === 'sparse' ? `y_true = torch.tensor([${Array.from(d.y).join(', ')}])` : `y_true = torch.tensor(${pyList(rowsOf(d.y, d.n, d.u))})`);
  L.push(`z = torch.tensor(${pyList(rowsOf(d.z, d.n, d.u))})`);
  L.push(spec.output === 'sigmoid' ? 'y_pred = torch.sigmoid(z)' : spec.output === 'softmax' ? 'y_pred = torch.softmax(z, dim=-1)' : 'y_pred = z');
  const smoothBinary = spec.family === 'binary' && spec.labelSmoothing;
  const y = (spec.family !== 'sparse' && spec.labelSmoothing && !(spec.family === 'categorical' && fl && !spec.focal)) ? 'y' : 'y_true';
  if (y === 'y') L.push(`y = y_true${smoothText(spec, 'py')}  # label smoothing${smoothBinary ? ': nn.BCEWithLogitsLoss has none' : ''}`);
  let perExampleWeighted = false;
  if (spec.focal) {
    L.push('# PyTorch has no focal loss in torch.nn: Keras\' formula, written out.');
    if (spec.family === 'binary') {
      L.push(fl ? `bce = nn.BCEWithLogitsLoss(reduction="none")(y_pred, ${y})` : `bce = nn.BCELoss(reduction="none")(y_pred.clamp(1e-7, 1 - 1e-7), ${y})`);
      L.push(`p = ${fl ? 'torch.sigmoid(y_pred)' : 'y_pred'}`, `pt = ${y} * p + (1 - ${y}) * (1 - p)`);
      if (!fl) L.push('# 1 - p_t is clamped at 0, as xent does: on "probabilities" outside [0, 1] Keras\' formula gives NaN or a negative loss.');
      let e = `(1 - pt)${fl ? '' : '.clamp(min=0)'} ** ${pf(spec.gamma)} * bce`;
      if (spec.classBalancing) e += ` * (${y} * ${pf(spec.alpha)} + (1 - ${y}) * ${pf(1 - spec.alpha)})`;
      L.push(`per_example = (${e}).mean(dim=-1)`);
    } else {
      L.push(`p = ${fl ? 'torch.softmax(y_pred, dim=-1)' : 'y_pred'}`, 'q = (p / p.sum(dim=-1, keepdim=True)).clamp(1e-7, 1 - 1e-7)');
      L.push(`per_example = ((1 - q) ** ${pf(spec.gamma)} * ${pf(spec.alpha)} * -(${y} * q.log())).sum(dim=-1)`);
    }
  } else if (spec.posWeight !== null) {
    L.push(`per_example = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([${pf(spec.posWeight)}]), reduction="none")(y_pred, ${y}).mean(dim=-1)`);
  } else if (spec.family === 'binary') {
    if (fl) L.push(`per_example = nn.BCEWithLogitsLoss(reduction="none")(y_pred, ${y}).mean(dim=-1)`);
    else L.push('# Keras clips p to [1e-7, 1 - 1e-7] (nn.BCELoss alone clamps log at -100 instead)', `per_example = nn.BCELoss(reduction="none")(y_pred.clamp(1e-7, 1 - 1e-7), ${y}).mean(dim=-1)`);
  } else if (spec.family === 'categorical') {
    if (fl) L.push(`per_example = nn.CrossEntropyLoss(${spec.labelSmoothing ? `label_smoothing=${spec.labelSmoothing}, ` : ''}reduction="none")(y_pred, y_true)`);
    else L.push('# nn.CrossEntropyLoss takes logits: Keras\' normalise-and-clip formula on probabilities, written out.',
      'q = (y_pred / y_pred.sum(dim=-1, keepdim=True)).clamp(1e-7, 1 - 1e-7)', `per_example = -(${y} * q.log()).sum(dim=-1)`);
  } else {
    const kw = [];
    if (spec.classWeight) kw.push(`weight=torch.tensor([${spec.classWeight.map(pf).join(', ')}])`);
    if (spec.ignoreClass !== null) kw.push(`ignore_index=${spec.ignoreClass}`);
    kw.push('reduction="none"');
    perExampleWeighted = true;
    if (fl) L.push(`per_example = nn.CrossEntropyLoss(${kw.join(', ')})(y_pred, y_true)`);
    else L.push('# Keras on probabilities: clip, normalise, then -log p[label]', 'q = y_pred.clamp(1e-7, 1 - 1e-7)', `per_example = nn.NLLLoss(${kw.join(', ')})(torch.log(q / q.sum(dim=-1, keepdim=True)), y_true)`);
  }
  if (W.plain) L.push(`loss = per_example.${spec.reduction === 'sum' ? 'sum' : 'mean'}()`);
  else if (perExampleWeighted) {
    L.push(`loss = per_example.sum()${spec.reduction === 'sum' ? '' : ` / ${W.denominator}`}  # ${spec.reduction === 'sum' ? 'reduction "sum"' : spec.classWeight ? 'Keras divides by the batch size; PyTorch\'s "mean" would divide by the sum of the weights' : 'divided by the labels not ignored'}`);
  } else {
    L.push(`w = torch.tensor([${W.weights.map(pf).join(', ')}])  # the class weight of each example's class (nn.${spec.family === 'binary' ? 'BCEWithLogitsLoss(weight=) weights columns' : 'CrossEntropyLoss(weight=) weights each class term of soft targets'}, not examples)`);
    L.push(`loss = (per_example * w).sum()${spec.reduction === 'sum' ? '' : ` / ${W.denominator}`}  # ${spec.reduction === 'sum' ? 'reduction "sum"' : 'divided by the batch size, as Keras does'}`);
  }
  L.push('print(loss.item())');
  return L;
}

// ---- xent (run by the tests) ---------------------------------------------------------
function xentCode(spec, d, notes, call) {
  const L = [...notes.map((t) => `// ${t}`), "import * as xent from 'xent';", '', 'await xent.init();'];
  const flat = (a) => Array.from(a, f32).join(', ');
  L.push(spec.family === 'sparse' ? `const yTrue = new Int32Array([${Array.from(d.y).join(', ')}]);` : `const yTrue = new Float32Array([${flat(d.y)}]);  // [${d.n}, ${d.u}]`);
  L.push(`const z = new Float32Array([${flat(d.z)}]);  // the last layer's raw values [${d.n}, ${d.u}]`);
  if (spec.output === 'sigmoid') L.push('const yPred = z.map((x) => 1 / (1 + Math.exp(-x)));');
  else if (spec.output === 'softmax') {
    L.push(`const yPred = z.map((x, k) => {  // softmax over each row of ${d.u}`,
      `  const row = z.subarray(k - (k % ${d.u}), k - (k % ${d.u}) + ${d.u});`,
      '  const m = Math.max(...row);', '  let sum = 0;', '  for (const r of row) sum += Math.exp(r - m);', '  return Math.exp(x - m) / sum;', '});');
  } else L.push('const yPred = z;');
  if (call.fn === 'weightedCrossEntropyWithLogits') {
    const y = spec.labelSmoothing ? `yTrue.map((v) => v * ${dec(1 - spec.labelSmoothing)} + ${dec(spec.labelSmoothing / 2)})` : 'yTrue';
    L.push(`const { losses } = xent.weightedCrossEntropyWithLogits(${y}, yPred, ${f32(spec.posWeight)}, { shape: [${d.n}, ${d.u}] });`,
      '// the op is per element: the mean over the units, then the reduction over the batch', 'let total = 0;',
      `for (let i = 0; i < ${d.n}; i++) {`, '  let acc = 0;', `  for (let j = 0; j < ${d.u}; j++) acc += losses[i * ${d.u} + j];`, `  total += acc / ${d.u};`, '}',
      `console.log(Math.fround(total / ${spec.reduction === 'sum' ? 1 : d.n}));`);
    return L;
  }
  const opts = Object.entries(call.options).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.map(f32).join(', ')}]` : typeof v === 'string' ? `'${v}'` : v}`);
  opts.push(`shape: [${d.n}, ${d.u}]`);
  L.push(`const { loss } = xent.${call.fn}(yTrue, yPred, { ${opts.join(', ')} });`, 'console.log(loss);');
  return L;
}

// The five tabs for a spec and the Live example's numbers: { tab: { code, note } }.
// `d` = { z (the raw last-layer values), y (labels in the spec's layout), n, u,
// loss (the page's number) }; `verdict` = { verdict, text, fix } from the story.
export function codeTabs(spec, d, call, verdict = null) {
  if (!Number.isFinite(d.loss)) d = { ...d };
  const notes = [];
  if (verdict && verdict.verdict !== 'correct') {
    notes.push(`This reproduces your setup as chosen (the page's numbers). Verdict: ${verdict.verdict}${verdict.first ? ` (first: ${verdict.first})` : ''}.`);
    if (verdict.fix) notes.push(`The recommended loss: ${verdict.fix}`);
  }
  const all = [...notes, ...spec.notApplied.map((x) => `Not applied: ${x.option} (${x.why})`)];
  const shows = `The page shows ${Number.isFinite(d.loss) ? String(Number(d.loss.toPrecision(7))) : String(d.loss)}.`;
  const out = {};
  const make = (tab, lines, note) => { out[tab] = { code: [...lines, (tab === 'tfjs' || tab === 'xent' ? '// ' : '# ') + shows].join('\n'), note }; };
  make('keras', keras(spec, d, all), spec.classWeight ? 'model.fit(class_weight=...) weights each example by its class; on one batch it is the sample_weight shown.' : '');
  make('tfnn', tfnn(spec, d, all), spec.focal ? 'tf.nn has no focal loss: the Keras function is the closest.' : '');
  make('tfjs', tfjs(spec, d, all), spec.focal || spec.posWeight !== null ? 'TF.js has no focal loss and no pos_weight: the formula is written out.' : '');
  make('pytorch', pytorch(spec, d, all), spec.classWeight && spec.family !== 'sparse' ? 'PyTorch\'s weight= weights columns or class terms, not examples: the per-example weights are applied by hand.' : spec.classWeight ? 'Keras divides the weighted sum by the batch size, PyTorch\'s default mean by the sum of the weights: reduction="none" and the sum over the batch size reproduce Keras.' : '');
  make('xent', xentCode(spec, d, all, call), '');
  return out;
}
