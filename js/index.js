// index.js: the xent JS API. Keras-named cross-entropy losses (docs/semantics.md
// sections 2 and 4) and the tf.nn ops (section 3) over the wasm core in
// src/xent.h: check the options (args.js), then hand the call to call.js
// (shapes, arena layout and copies, the C call, the outputs), which returns
// { loss, losses, grad }. Short typed arrays, the live page's calls, take
// small() first. Also init(), tensor(), `inspect` (what data looks like) and
// the recommender (recommend.js), which works before init(). This file is the
// package's entry point.

import { LOSS_EXPORTS, VARIANT_EXPORTS, loadModule, simdSupported } from './load.js';
import { Heap, Tensor, ERROR_OFFSET, INSPECTION_OFFSET, MAX_TENSOR_VALUES } from './heap.js';
import { OPT, SMALL, checkShape, hasOwn, isF32, parseOptions, place, resolve, sizeOf } from './args.js';
import { P, SHAPE, T, bytes, fail, kerasGeneral, nnGeneral, predClasses, reserveFor, small } from './call.js';
import { describe, notInitialized, rangeError, shapeString, typeError } from './errors.js';
import { classify } from './inspect-classify.js';
import * as recommender from './recommend.js';
import * as sampled from './sampled.js';

/** 'wasm-simd' or 'wasm' once init() has resolved; undefined before. */
export let backend;

let heap = null;
let pending = null;

const INIT_KEYS = ['wasm', 'backend'];

/**
 * Loads the wasm module: the SIMD build where the engine supports it, else
 * the scalar one. Idempotent; `{ backend: 'wasm' }` forces the scalar build and
 * `{ wasm }` takes the module (bytes, Response, URL or WebAssembly.Module).
 * Asking for another module than the loaded one replaces it (tensors of the
 * old one become unusable). Resolves to the backend name.
 */
export function init(options) {
  let wasm;
  let want;
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object' || Array.isArray(options)) {
      return Promise.reject(typeError('xent.init', `options must be an object such as { backend: 'wasm' }, got ${describe(options)}`));
    }
    for (const key in options) {
      if (hasOwn(options, key) && !INIT_KEYS.includes(key)) {
        return Promise.reject(typeError('xent.init', `unknown option '${key}'; the options are wasm and backend`));
      }
    }
    wasm = hasOwn(options, 'wasm') ? options.wasm : undefined;
    want = hasOwn(options, 'backend') ? options.backend : undefined;
    if (want !== undefined && want !== 'wasm-simd' && want !== 'wasm') {
      const err = typeof want === 'string' ? rangeError : typeError;
      return Promise.reject(err('xent.init', `options.backend must be 'wasm-simd' or 'wasm', got ${describe(want)}`));
    }
  }
  if (wasm === undefined && pending && (want === undefined || want === pendingBackend)) return pending;
  const previous = pending ? pending.catch(() => undefined) : Promise.resolve();
  pendingBackend = want;
  const p = previous.then(async () => {
    let next = null;
    const loaded = await loadModule({ wasm, backend: want }, () => {
      if (next) next.refresh();
    });
    next = new Heap(loaded.exports, loaded.memory);
    // By the index the functions below pass (a plain array is a faster lookup
    // than the exports object).
    next.calls = [...LOSS_EXPORTS, ...VARIANT_EXPORTS].map((name) => loaded.exports[name]);
    if (heap) heap.closed = true;
    heap = next;
    backend = loaded.backend;
    pendingBackend = backend;
    return backend;
  });
  pending = p;
  p.catch(() => {
    if (pending === p) pending = heap ? Promise.resolve(backend) : null;
    pendingBackend = backend;
  });
  return p;
}
let pendingBackend;

export { simdSupported };

function ready(fn) {
  if (heap === null) throw notInitialized(fn);
  return heap;
}

/** An array of `shape` in wasm memory that every function accepts without a copy. */
export function tensor(shape, dtype = 'float32') {
  const h = ready('xent.tensor');
  if (typeof shape === 'number') shape = [shape];
  checkShape('xent.tensor', shape, 'shape');
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw (typeof dtype === 'string' ? rangeError : typeError)('xent.tensor', `dtype must be 'float32' or 'int32', got ${describe(dtype)}`);
  }
  const size = sizeOf(shape);
  if (!(size <= MAX_TENSOR_VALUES)) {
    throw rangeError('xent.tensor', `shape ${shapeString(shape)} has ${size} values; a tensor holds at most ${MAX_TENSOR_VALUES} (2 GiB of wasm memory, the module's limit)`);
  }
  return new Tensor(h, shape, dtype, size);
}

/** Wasm memory in use: total bytes, the scratch arena's high-water mark, live tensors. */
export function memoryStats() {
  return ready('xent.memoryStats').stats();
}

// ---- Keras losses ------------------------------------------------------------

const KERAS = OPT.fromLogits | OPT.labelSmoothing | OPT.reduction | OPT.sampleWeight | OPT.classWeight | OPT.mask | OPT.gradient | OPT.shape | OPT.out;
const SPARSE = (KERAS & ~OPT.labelSmoothing) | OPT.ignoreClass;
const BINARY_FOCAL = KERAS | OPT.alpha | OPT.gamma | OPT.applyClassBalancing;
const CATEGORICAL_FOCAL = KERAS | OPT.alpha | OPT.alphaPerClass | OPT.gamma;

// keras() and parseOptions() stay under V8's inlining limit (460 bytes of
// bytecode), so each exported function compiles with its options parse
// inlined; the rest of the general path is kerasGeneral().
function keras(fn, call, allowed, sparse, yTrue, yPred, options) {
  const h = ready(fn);
  const o = parseOptions(fn, options, allowed);
  if (isF32(yPred) && yPred.length <= SMALL) {
    const r = small(fn, h, o, call, true, sparse, false, yTrue, yPred, undefined);
    if (r !== null) return r;
  }
  return kerasGeneral(fn, h, o, call, sparse, yTrue, yPred);
}

export function binaryCrossentropy(yTrue, yPred, options) {
  return keras('binaryCrossentropy', 0 /* xent_binary_crossentropy */, KERAS, false, yTrue, yPred, options);
}
export function categoricalCrossentropy(yTrue, yPred, options) {
  return keras('categoricalCrossentropy', 1 /* xent_categorical_crossentropy */, KERAS, false, yTrue, yPred, options);
}
export function sparseCategoricalCrossentropy(yTrue, yPred, options) {
  return keras('sparseCategoricalCrossentropy', 2 /* xent_sparse_categorical_crossentropy */, SPARSE, true, yTrue, yPred, options);
}
export function binaryFocalCrossentropy(yTrue, yPred, options) {
  return keras('binaryFocalCrossentropy', 3 /* xent_binary_focal_crossentropy */, BINARY_FOCAL, false, yTrue, yPred, options);
}
export function categoricalFocalCrossentropy(yTrue, yPred, options) {
  return keras('categoricalFocalCrossentropy', 4 /* xent_categorical_focal_crossentropy */, CATEGORICAL_FOCAL, false, yTrue, yPred, options);
}

// ---- More losses: KL divergence, distillation, generalized CE, poly-1 ------------
// (docs/semantics.md "New losses"): the same Keras call path and options.

const WEIGHTS = OPT.reduction | OPT.sampleWeight | OPT.classWeight | OPT.mask | OPT.gradient | OPT.shape | OPT.out;

/** Keras kl_divergence: sum y' log(y' / p'), both clipped to [1e-7, 1]. */
export function klDivergence(yTrue, yPred, options) {
  return keras('klDivergence', 9 /* xent_kl_divergence */, WEIGHTS, false, yTrue, yPred, options);
}
/**
 * Keras' LogitsDistillation: T^2 kl_divergence(softmax(teacher / T), softmax(student / T)),
 * options.temperature T (default 3); yTrue holds the teacher's logits, yPred
 * the student's, and `grad` is with respect to the student's logits.
 */
export function logitsDistillation(teacherLogits, studentLogits, options) {
  const fn = 'logitsDistillation';
  const h = ready(fn);
  const o = parseOptions(fn, options, WEIGHTS | OPT.temperature);
  return kerasGeneral(fn, h, o, 10 /* xent_logits_distillation */, false, teacherLogits, studentLogits, 'teacherLogits', 'studentLogits');
}
/** Keras categorical_generalized_cross_entropy: integer labels, (1 - p^q) / q, options.q in (0, 1] (default 0.5). */
export function categoricalGeneralizedCrossentropy(yTrue, yPred, options) {
  return keras('categoricalGeneralizedCrossentropy', 11 /* xent_categorical_generalized_cross_entropy */, WEIGHTS | OPT.fromLogits | OPT.q, true, yTrue, yPred, options);
}
/** Optax poly_loss_cross_entropy (poly-1): CE + epsilon sum y (1 - p) from logits, options.epsilon (default 2). */
export function polyLossCrossentropy(yTrue, yPred, options) {
  return keras('polyLossCrossentropy', 12 /* xent_poly_loss_cross_entropy */, WEIGHTS | OPT.epsilon, false, yTrue, yPred, options);
}

// ---- tf.nn ops -----------------------------------------------------------------

const NN = OPT.gradient | OPT.shape | OPT.out;
const ELEMENTWISE = 0;
const ROWS = 1;
const SPARSE_ROWS = 2;

function nn(fn, call, mode, labels, logits, posWeight, options, perClass) {
  const h = ready(fn);
  const o = parseOptions(fn, options, NN);
  if (perClass !== undefined) {
    o.posWeightPerClass = perClass;
    o.rare = true;
  }
  const sparse = mode === SPARSE_ROWS;
  const elementwise = mode === ELEMENTWISE;
  if (isF32(logits) && logits.length <= SMALL) {
    const r = small(fn, h, o, call, false, sparse, elementwise, labels, logits, posWeight);
    if (r !== null) return r;
  }
  return nnGeneral(fn, h, o, call, sparse, elementwise, labels, logits, posWeight);
}

export function sigmoidCrossEntropyWithLogits(labels, logits, options) {
  return nn('sigmoidCrossEntropyWithLogits', 5 /* xent_sigmoid_cross_entropy_with_logits */, ELEMENTWISE, labels, logits, undefined, options);
}
export function weightedCrossEntropyWithLogits(labels, logits, posWeight, options) {
  const fn = 'weightedCrossEntropyWithLogits';
  if (Array.isArray(posWeight) || (ArrayBuffer.isView(posWeight) && !(posWeight instanceof DataView))) {
    // One weight per class, broadcast along the last axis (docs/semantics.md 3.2).
    return nn(fn, 13 /* xent_weighted_cross_entropy_with_logits_per_class */, ELEMENTWISE, labels, logits, 0, options, posWeight);
  }
  if (typeof posWeight !== 'number') {
    throw typeError(fn, `posWeight must be a number (the weight of the positive class) or an array of one per class, got ${describe(posWeight)}`);
  }
  if (!Number.isFinite(posWeight) || Math.abs(posWeight) > 3.4028234663852886e38) {
    throw rangeError(fn, `posWeight must be a finite number, got ${posWeight}`);
  }
  return nn(fn, 6 /* xent_weighted_cross_entropy_with_logits */, ELEMENTWISE, labels, logits, posWeight, options);
}
export function softmaxCrossEntropyWithLogits(labels, logits, options) {
  return nn('softmaxCrossEntropyWithLogits', 7 /* xent_softmax_cross_entropy_with_logits */, ROWS, labels, logits, undefined, options);
}
export function sparseSoftmaxCrossEntropyWithLogits(labels, logits, options) {
  return nn('sparseSoftmaxCrossEntropyWithLogits', 8 /* xent_sparse_softmax_cross_entropy_with_logits */, SPARSE_ROWS, labels, logits, undefined, options);
}

// ---- Huge vocabularies: candidate sampling and sampled losses (sampled.js) ---------

/** tf.random.log_uniform_candidate_sampler with xent's own seeded generator. */
export function logUniformCandidateSampler(options) {
  return sampled.logUniformCandidateSampler(ready('logUniformCandidateSampler'), options);
}
/** tf.nn.sampled_softmax_loss: { losses, sampled, grad } with sparse class gradients. */
export function sampledSoftmaxLoss(options) {
  return sampled.sampledSoftmaxLoss(ready('sampledSoftmaxLoss'), options);
}
/** tf.nn.nce_loss: { losses, sampled, grad } with sparse class gradients. */
export function nceLoss(options) {
  return sampled.nceLoss(ready('nceLoss'), options);
}

// ---- Inspecting data and recommending a loss -----------------------------------

const INSPECTION_FIELDS = [
  ['rows', 'u'], ['labelNonfinite', 'u'], ['labelIntegerRows', 'u'], ['labelBinaryRows', 'u'],
  ['labelOnehotRows', 'u'], ['labelUnitRows', 'u'], ['labelSum1Rows', 'u'], ['labelMin', 'f'],
  ['labelMax', 'f'], ['predNonfinite', 'u'], ['predUnitRows', 'u'], ['predSum1Rows', 'u'],
  ['predMin', 'f'], ['predMax', 'f'],
];

/**
 * Reads labels and predictions in one pass of the C core and classifies them
 * (inspect-classify.js): integer, one-hot, multi-hot, soft or 0/1 labels;
 * logits, sigmoid-like or softmax-like predictions.
 */
export function inspect(yTrue, yPred, options) {
  const fn = 'inspect';
  const h = ready(fn);
  const o = parseOptions(fn, options, OPT.shape);
  resolve(fn, 'yPred', yPred, P, h, false);
  resolve(fn, 'yTrue', yTrue, T, h, false);
  const classes = predClasses(fn, 'yPred', o, T.length === P.length);
  const total = P.length;
  const shape = SHAPE || [total];
  const batch = total / classes;
  let labelCols;
  if (T.length === total) labelCols = classes;
  else if (T.length === batch) labelCols = 1;
  else {
    throw rangeError(fn, `yTrue has shape ${shapeString(T.shape || [T.length])} but yPred has shape ${shapeString(shape)}; labels need one value per row or one per class`);
  }
  if (typeof h.ex.xent_inspect !== 'function') throw new Error('inspect: this wasm build does not export xent_inspect; rebuild with `bash scripts/build.sh wasm`');
  let at = reserveFor(fn, h, bytes(P) + bytes(T), 'yPred', total);
  const pPtr = place(fn, 'yPred', P, h, at);
  at += bytes(P);
  const tPtr = place(fn, 'yTrue', T, h, at);
  const out = h.fixed + INSPECTION_OFFSET;
  const status = h.ex.xent_inspect(tPtr, labelCols, pPtr, batch, classes, out, h.fixed + ERROR_OFFSET);
  if (status !== 0) throw fail(fn, h, status, classes);
  const stats = { labelCols, classes };
  for (let i = 0; i < INSPECTION_FIELDS.length; i++) {
    const [key, kind] = INSPECTION_FIELDS[i];
    stats[key] = kind === 'u' ? h.u32[(out >> 2) + i] : h.f32[(out >> 2) + i];
  }
  return classify(stats);
}

/**
 * Which loss to use (recommend.js; works before init()). Given `yTrue` and
 * `yPred` instead of (or besides) declared encodings, the data is inspected
 * first (that needs init()) and the recommender checks the declarations
 * against it.
 */
export function recommend(situation) {
  return recommender.recommend(situation, { inspect });
}

export const DECISION_TABLE = recommender.DECISION_TABLE;
