// tfjs.js: `xent/tfjs`, xent's losses on TensorFlow.js tensors
// (docs/semantics.md sections 2-4 for the losses, section 5 for how TF.js
// differs). Each function takes tf.Tensors and returns a tf.Tensor (a scalar
// for the reductions, the batch shape, or for the elementwise tf.nn ops the
// logits' shape, otherwise), differentiable with respect to the predictions
// through tf.customGrad with xent's fused gradient; labels and weights are
// constants. Data moves once each way: the predictions are read straight from
// the TF.js backend's memory into xent's (on the wasm backend, from its heap;
// on cpu, from its array; on webgl, after TF.js downloads them), and the
// gradient goes back as one new tensor. Also acceptSparseLabels(model), which
// lets tfjs-layers' model.fit take class-index targets with these losses.
//
// TF.js is an optional peer dependency: this module imports the user's
// '@tensorflow/tfjs-core' (the one @tensorflow/tfjs, the backends and
// tfjs-layers import too), so a bundle holds one TF.js; a page that loads
// TF.js by script tags and cannot resolve the import gets the global `tf`.
// The package's entry point for the "./tfjs" export; the main API (index.js)
// does not import this file.

import * as xent from './index.js';
import { describe, rangeError, shapeString, typeError } from './errors.js';

const tf = await loadTf();
await xent.init();

async function loadTf() {
  let failure;
  try {
    const ns = await import('@tensorflow/tfjs-core');
    const core = typeof ns.customGrad === 'function' ? ns : ns.default;
    if (core && typeof core.customGrad === 'function') return core;
    failure = new Error("'@tensorflow/tfjs-core' has no customGrad");
  } catch (err) {
    failure = err;
  }
  const global = globalThis.tf;
  if (global && typeof global.customGrad === 'function' && typeof global.Tensor === 'function') return global;
  throw new Error(
    "xent/tfjs: cannot import '@tensorflow/tfjs-core', TensorFlow.js's core, which xent/tfjs needs " +
      '(it is an optional peer dependency of xent; the main entry point, `xent`, works without it). ' +
      'Fix: `npm install @tensorflow/tfjs-core` (or `npm install @tensorflow/tfjs`, which includes it; ' +
      'add @tensorflow/tfjs-core explicitly with pnpm or Yarn Plug\'n\'Play) next to xent. In a page ' +
      "without a bundler, map '@tensorflow/tfjs-core' in an import map, or load TF.js by a script tag " +
      '(the global `tf`) before importing xent/tfjs.',
    { cause: failure },
  );
}

// ---- The losses: one entry each ------------------------------------------------
// labels: 'dense' (the predictions' shape) or 'sparse' (one class index per row);
// out: 'reduced' (Keras: a scalar, or per row with reduction 'none'), 'rows' (one
// loss per row) or 'elements' (one per prediction); extra: positional arguments
// between the predictions and the options (posWeight). The names of the
// arguments are the main API's. A new loss of the main API called the same way
// (labels, predictions, extra arguments, options) is one entry here and one
// export line below; tests/js/tfjs-adapter.test.js fails until both exist.

function freeze(table) {
  for (const key in table) Object.freeze(table[key]);
  return Object.freeze(table);
}

const KERAS = { trueName: 'yTrue', predName: 'yPred', out: 'reduced', extra: 0 };
const NN = { trueName: 'labels', predName: 'logits', extra: 0 };

export const LOSSES = freeze({
  binaryCrossentropy: { ...KERAS, labels: 'dense' },
  categoricalCrossentropy: { ...KERAS, labels: 'dense' },
  sparseCategoricalCrossentropy: { ...KERAS, labels: 'sparse' },
  binaryFocalCrossentropy: { ...KERAS, labels: 'dense' },
  categoricalFocalCrossentropy: { ...KERAS, labels: 'dense' },
  sigmoidCrossEntropyWithLogits: { ...NN, labels: 'dense', out: 'elements' },
  weightedCrossEntropyWithLogits: { ...NN, labels: 'dense', out: 'elements', extra: 1 },
  softmaxCrossEntropyWithLogits: { ...NN, labels: 'dense', out: 'rows' },
  sparseSoftmaxCrossEntropyWithLogits: { ...NN, labels: 'sparse', out: 'rows' },
  klDivergence: { ...KERAS, labels: 'dense' },
  logitsDistillation: { ...KERAS, trueName: 'teacherLogits', predName: 'studentLogits', labels: 'dense' },
  categoricalGeneralizedCrossentropy: { ...KERAS, labels: 'sparse' },
  polyLossCrossentropy: { ...KERAS, labels: 'dense' },
});

export const binaryCrossentropy = adapt('binaryCrossentropy');
export const categoricalCrossentropy = adapt('categoricalCrossentropy');
export const sparseCategoricalCrossentropy = adapt('sparseCategoricalCrossentropy');
export const binaryFocalCrossentropy = adapt('binaryFocalCrossentropy');
export const categoricalFocalCrossentropy = adapt('categoricalFocalCrossentropy');
export const sigmoidCrossEntropyWithLogits = adapt('sigmoidCrossEntropyWithLogits');
export const weightedCrossEntropyWithLogits = adapt('weightedCrossEntropyWithLogits');
export const softmaxCrossEntropyWithLogits = adapt('softmaxCrossEntropyWithLogits');
export const sparseSoftmaxCrossEntropyWithLogits = adapt('sparseSoftmaxCrossEntropyWithLogits');
export const klDivergence = adapt('klDivergence');
export const logitsDistillation = adapt('logitsDistillation');
export const categoricalGeneralizedCrossentropy = adapt('categoricalGeneralizedCrossentropy');
export const polyLossCrossentropy = adapt('polyLossCrossentropy');

/** The TF.js namespace the losses use (the user's own). */
export { tf };

// Options the adapter sets itself from the tensors.
const OWN_OPTIONS = { shape: 'the predictions tensor gives the shape', gradient: 'tf.grad and the optimizers ask for the gradient', out: 'the results are tensors' };
const PRED_DTYPES = ['float32'];
const DENSE_DTYPES = ['float32', 'int32', 'bool'];
const SPARSE_DTYPES = ['int32', 'float32'];

function adapt(name) {
  const spec = LOSSES[name];
  const call = xent[name];
  const { trueName, predName } = spec;
  return function loss(yTrue, yPred, ...rest) {
    const extra = rest.slice(0, spec.extra);
    const options = rest[spec.extra];
    checkTensor(name, predName, yPred, PRED_DTYPES);
    if (yPred.rank === 0) throw rangeError(name, `${predName} must have at least one dimension (the classes), got a scalar`);
    checkTensor(name, trueName, yTrue, spec.labels === 'sparse' ? SPARSE_DTYPES : DENSE_DTYPES);
    checkLabelShape(name, spec, yTrue, yPred);
    const o = callOptions(name, options);
    const predShape = yPred.shape;
    const rowShape = predShape.slice(0, -1);
    const perRow = spec.out === 'rows' || (spec.out === 'reduced' && (o.reduction === 'none' || o.reduction === null));
    const outShape = spec.out === 'elements' ? predShape : perRow ? rowShape : [];
    const weights = o.sampleWeight instanceof tf.Tensor || o.classWeight instanceof tf.Tensor;
    sweep();
    const f = tf.customGrad((pred) => {
      const wantGrad = gradientWanted();
      o.gradient = wantGrad;
      o.shape = predShape;
      if (weights) readWeights(name, o, options);
      // The gradient waits in xent's memory until TF.js asks for it.
      const held = wantGrad ? hold(pred.size) : null;
      if (held) o.out = { grad: held.buffer };
      let r;
      try {
        // Reads right before the call: a TF.js allocation could move the wasm heap.
        const labels = values(yTrue);
        r = call(labels, values(pred), ...extra, o);
      } catch (err) {
        if (held) release(held);
        throw err;
      }
      const value = perRow || spec.out === 'elements' ? tf.tensor(r.losses, outShape, 'float32') : tf.scalar(r.loss);
      return {
        value,
        gradFunc: (dy) => {
          const g = gradTensor(name, held, predShape);
          return perRow ? tf.mul(g, tf.expandDims(dy, -1)) : isOne(dy) ? g : tf.mul(dy, g);
        },
      };
    });
    return f(yPred);
  };
}

function checkTensor(fn, name, t, dtypes) {
  if (!(t instanceof tf.Tensor)) {
    throw typeError(fn, `${name} must be a tf.Tensor (xent/tfjs takes tensors; the main API, \`xent\`, takes arrays), got ${describe(t)}`);
  }
  if (t.isDisposed) throw typeError(fn, `${name} is a tf.Tensor that was disposed`);
  if (!dtypes.includes(t.dtype)) {
    throw typeError(fn, `${name} must be a ${dtypes.join(' or ')} tensor, got a ${t.dtype} tensor${dtypes[0] === 'float32' && t.dtype === 'int32' ? ' (cast it with tf.cast(x, "float32"))' : ''}`);
  }
}

const same = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);

// Dense labels have the predictions' shape, or differ from it by a trailing
// dimension of 1 (Keras squeezes or expands it); sparse labels have the batch
// shape, or the batch shape and a trailing 1 (tfjs-layers' [batch, 1] targets).
function checkLabelShape(fn, spec, yTrue, yPred) {
  const t = yTrue.shape;
  const p = yPred.shape;
  if (spec.labels === 'sparse') {
    const lead = p.slice(0, -1);
    if (same(t, lead) || (t.length === lead.length + 1 && t[t.length - 1] === 1 && same(t.slice(0, -1), lead))) return;
    throw rangeError(fn, `${spec.trueName} has shape ${shapeString(t)} but ${spec.predName} has shape ${shapeString(p)}; sparse labels need one class index per row, shape ${shapeString(lead)} or ${shapeString([...lead, 1])}`);
  }
  if (same(t, p)) return;
  const trailingOne = (a, b) => a.length === b.length + 1 && a[a.length - 1] === 1 && same(a.slice(0, -1), b);
  if (trailingOne(t, p) || trailingOne(p, t)) return;
  throw rangeError(fn, `${spec.trueName} has shape ${shapeString(t)} but ${spec.predName} has shape ${shapeString(p)}; they must match`);
}

// A fresh options object for the main API (the caller's is never changed).
function callOptions(fn, options) {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw typeError(fn, `options must be an object such as { fromLogits: true }, got ${describe(options)}`);
  }
  const o = { ...options };
  for (const key in OWN_OPTIONS) {
    if (key in o) throw typeError(fn, `option '${key}' does not apply to xent/tfjs: ${OWN_OPTIONS[key]}`);
  }
  return o;
}

function readWeights(fn, o, options) {
  for (const key of ['sampleWeight', 'classWeight']) {
    const w = options[key];
    if (w instanceof tf.Tensor) {
      checkTensor(fn, `options.${key}`, w, ['float32', 'int32']);
      o[key] = values(w);
    }
  }
}

// True unless TF.js is certainly not recording a gradient (then the kernel
// computes the loss alone).
function gradientWanted() {
  const state = tf.engine().state;
  return !(state && state.gradientDepth === 0);
}

// The upstream gradient of a loss that ends the computation is a scalar 1
// (tf.grad, the optimizers): then xent's gradient is the answer as it is,
// which saves a multiply pass over it. Read only where a read is cheap and
// synchronous (not on webgl, where it would wait for the GPU).
function isOne(dy) {
  if (dy.size !== 1 || dy.dtype !== 'float32') return false;
  const name = tf.getBackend();
  return (name === 'cpu' || name === 'wasm') && dy.dataSync()[0] === 1;
}

// ---- Moving data ---------------------------------------------------------------

// The values of a tensor as a typed array, with no copy where the backend
// allows: on the wasm backend a view of its heap (what its readSync copies
// from), on cpu its own array (what dataSync returns), elsewhere dataSync
// (webgl: TF.js downloads the texture). Used at once, never kept.
function values(t) {
  const b = tf.backend();
  const info = b && b.wasm && b.dataIdMap && b.dataIdMap.has(t.dataId) ? b.dataIdMap.get(t.dataId) : null;
  if (info && typeof info.memoryOffset === 'number' && info.dtype === t.dtype) {
    const heap = b.wasm.HEAPU8;
    const Ctor = t.dtype === 'int32' ? Int32Array : t.dtype === 'bool' ? Uint8Array : Float32Array;
    if (info.memoryOffset + t.size * Ctor.BYTES_PER_ELEMENT <= heap.buffer.byteLength) return new Ctor(heap.buffer, info.memoryOffset, t.size);
  }
  return t.dataSync();
}

// The gradient of a call made while TF.js records a tape is computed by the
// fused kernel into a tensor of xent's memory, and becomes a TF.js tensor only
// when the backward pass asks for it: one copy (on wasm, TF.js copies the view
// into its heap; on cpu and webgl, which keep the array they are given, the
// copy is a slice). Nothing is copied for a loss the backward pass never
// reaches; its buffer is freed by the first call after its tape is gone (TF.js
// starts a new tape array for each top-level gradient computation).
// Released buffers are kept for reuse (up to SPARE of them): a new tensor is
// zeroed, a reused one is not, and the kernel writes every value anyway.
const pending = new Set();
const spare = [];
const SPARE = 2;

function hold(size) {
  const i = spare.findIndex((b) => b.size === size && !b.freed && !b.heap.closed);
  const buffer = i >= 0 ? spare.splice(i, 1)[0] : xent.tensor([size]);
  const held = { buffer, tape: tf.engine().state.activeTape };
  pending.add(held);
  return held;
}

function release(held) {
  pending.delete(held);
  spare.push(held.buffer);
  while (spare.length > SPARE) spare.shift().free();
}

function sweep() {
  if (pending.size === 0) return;
  const tape = tf.engine().state.activeTape;
  for (const held of pending) if (held.tape !== tape) release(held);
}

function gradTensor(fn, held, shape) {
  if (held === null || !pending.has(held)) throw new Error(`${fn}: xent/tfjs has no gradient for this call (TF.js asked twice, or outside the tape it was recorded on)`);
  const view = held.buffer.data;
  const b = tf.backend();
  const copies = !!(b && b.wasm && b.dataIdMap);
  const t = tf.tensor(copies ? view : view.slice(), shape, 'float32');
  release(held);
  return t;
}

// ---- tfjs-layers ---------------------------------------------------------------

/**
 * Lets `model.fit` and `model.evaluate` of a compiled tfjs-layers model take
 * targets of one class index per row ([batch, 1], as for tfjs-layers' own
 * 'sparseCategoricalCrossentropy') for the outputs given (all by default)
 * with a sparse xent loss. tfjs-layers checks targets against the output's
 * shape for every loss but its own sparse one; this makes the check expect
 * [batch, 1] as it does for that loss. Call it after `model.compile`.
 */
export function acceptSparseLabels(model, outputs) {
  const fn = 'acceptSparseLabels';
  if (!model || typeof model.fit !== 'function') throw typeError(fn, `model must be a tfjs-layers model, got ${describe(model)}`);
  // A tf.Sequential keeps its compiled state in the LayersModel it wraps.
  const m = Array.isArray(model.feedOutputShapes) || !model.model ? model : model.model;
  const shapes = m.feedOutputShapes;
  const names = m.outputNames;
  if (!Array.isArray(shapes) || !Array.isArray(names) || shapes.length !== names.length) {
    throw new Error(`${fn}: call it after model.compile({ optimizer, loss }); this model has no compiled output shapes (tfjs-layers 4 keeps them in model.feedOutputShapes)`);
  }
  let which = names.map((_, i) => i);
  if (outputs !== undefined) {
    const list = Array.isArray(outputs) ? outputs : [outputs];
    which = list.map((o) => {
      const i = typeof o === 'number' ? o : names.indexOf(o);
      if (!Number.isInteger(i) || i < 0 || i >= names.length) throw rangeError(fn, `outputs names no output of this model: ${describe(o)}; its outputs are ${names.join(', ')}`);
      return i;
    });
  }
  const base = Array.isArray(m.internalOutputShapes) ? m.internalOutputShapes : shapes;
  for (const i of which) shapes[i] = base[i].slice(0, -1).concat([1]);
  return model;
}
