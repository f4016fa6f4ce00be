// call.js: one call of a loss, between the argument checks and the C core:
// shapes and labels checked against each other (docs/semantics.md section 2.2),
// the inputs laid out and copied in the scratch arena (heap.js), the
// xent_options struct written (layout asserted in src/status.c), the C entry
// point called, its status turned into a JS error (errors.js), and the outputs
// copied out. Three paths, one result: small() for short typed arrays (the
// live page's calls), zeroCopy() for tensors, prepare() for everything else
// and for every error. Used by index.js.

import { ERROR_OFFSET, LOSS_OFFSET, MAX_BYTES, OPTIONS_OFFSET, Tensor, align } from './heap.js';
import { COPY, FILL, HEAP, SMALL, isF32, isI32, outTarget, pin, pinOut, place, resolve, sizeOf, source } from './args.js';
import { fromStatus, rangeError, shapeString } from './errors.js';
import { AL, CW, SW, W, weights } from './weights.js';

export const P = source();
export const T = source();
const ONE_LABEL = [0];

const sameShape = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);

// The prediction's shape as an array when one is known (nested input, the
// `shape` option, or nested labels of a flat prediction), else null: a flat
// prediction [total] is one example. Kept in SHAPE so the common flat case
// allocates nothing. Returns the number of classes (the last dimension).
export let SHAPE = null;
export function predClasses(fn, predName, o, dense) {
  let shape = P.shape;
  if (o.shape !== undefined) {
    if (shape !== null && !sameShape(shape, o.shape)) {
      throw rangeError(fn, `${predName} has shape ${shapeString(shape)} but options.shape is ${shapeString(o.shape)}`);
    }
    if (shape === null && P.length !== sizeOf(o.shape)) {
      throw rangeError(fn, `${predName} has ${P.length} values but options.shape ${shapeString(o.shape)} needs ${sizeOf(o.shape)}`);
    }
    shape = o.shape;
  } else if (shape === null && dense && T.shape !== null && T.length === P.length) {
    shape = T.shape; // a flat prediction takes the shape of nested labels
    if (shape[shape.length - 1] === 0) {
      throw rangeError(fn, `${trueNameOf(predName)} has shape ${shapeString(shape)} (and the flat ${predName} of ${P.length} values takes that shape): the last dimension (the classes) must be at least 1`);
    }
  }
  SHAPE = shape;
  const classes = shape === null ? P.length : shape[shape.length - 1];
  if (classes === 0) {
    throw rangeError(fn, `${predName} has shape ${shapeString(shape || [0])}: the last dimension (the classes) must be at least 1`);
  }
  return classes;
}

// The labels' argument name that goes with a prediction's.
const trueNameOf = (predName) => (predName === 'logits' ? 'labels' : 'yTrue');

function checkDenseLabels(fn, trueName, predName, total) {
  if (T.shape !== null ? SHAPE === null || !sameShape(T.shape, SHAPE) : T.length !== total) {
    throw rangeError(fn, `${trueName} has shape ${shapeString(T.shape || [T.length])} but ${predName} has shape ${shapeString(SHAPE || [total])}; they must match (a flat ${trueName} needs ${total} values)`);
  }
}

function checkSparseLabels(fn, trueName, predName, batch, total) {
  if (T.shape === null && T.length === batch) return;
  const shape = SHAPE || [total];
  const lead = shape.slice(0, -1);
  const ok = T.shape !== null &&
    (sameShape(T.shape, lead) || (T.shape.length === lead.length + 1 && T.shape[lead.length] === 1 && sameShape(T.shape.slice(0, -1), lead)));
  if (!ok) {
    throw rangeError(fn, `${trueName} has shape ${shapeString(T.shape || [T.length])} but ${predName} has shape ${shapeString(shape)}; sparse labels need one class index per row, shape ${shapeString(lead.length ? lead : [1])}`);
  }
}

export const bytes = (rec) => (rec.kind === COPY || rec.kind === FILL ? align(rec.length * 4) : 0);

export function fail(fn, h, status, classes) {
  h.refresh();
  const e = (h.fixed + ERROR_OFFSET) >> 2;
  const arg = h.string(h.u32[e]);
  const index = h.u32[e + 1];
  const value = h.f64[(h.fixed + ERROR_OFFSET + 8) >> 3];
  return fromStatus(fn, status, arg, index, value, classes, h.string(h.ex.xent_status_string(status)));
}

// One output: a new Float32Array (mode 0), the caller's buffer outside wasm
// memory, copied into (mode -1), or the caller's buffer the kernel wrote (mode > 0).
function output(f32, mode, ptr, out, n) {
  if (mode === 0) {
    if (n > SMALL) return f32.slice(ptr >> 2, (ptr >> 2) + n);
    out = new Float32Array(n);
    mode = -1;
  }
  if (mode < 0) {
    if (n <= SMALL) {
      const base = ptr >> 2;
      for (let i = 0; i < n; i++) out[i] = f32[base + i];
    } else {
      out.set(f32.subarray(ptr >> 2, (ptr >> 2) + n));
    }
  }
  return out;
}

// The shared first half of a call: argument checks, where the outputs go, the
// arena layout and the copies. Leaves the addresses in L (one record: calls
// do not nest).
const L = {
  batch: 0, classes: 0, total: 0, lossesLen: 0, pPtr: 0, tPtr: 0, swPtr: 0, cwPtr: 0, lPtr: 0, gPtr: 0, lMode: 0, gMode: 0, lStage: 0, gStage: 0,
  mPtr: 0, aPtr: 0, repeat: 0, lossesShape: null, scalarResult: false,
};

// The shape of `losses`: the prediction's shape without its class axis (one
// value per example; [] for a 1-D prediction, one example, a Keras scalar), or
// all of it for the elementwise tf.nn ops. Frozen, so that the common shapes
// ([] and [batch]) are shared between calls instead of allocated by each.
const NO_AXES = Object.freeze([]);
let oneAxis = Object.freeze([1]);
let oneAxisLength = 1; // oneAxis[0], kept apart: a load from a frozen array is a generic IC call
function lossesShapeOf(shape, total, elementwise) {
  if (elementwise) return Object.freeze(shape === null || shape === undefined ? [total] : shape.slice());
  if (shape === null || shape === undefined || shape.length === 1) return NO_AXES;
  if (shape.length === 2) {
    if (oneAxisLength !== shape[0]) {
      oneAxisLength = shape[0];
      oneAxis = Object.freeze([oneAxisLength]);
    }
    return oneAxis;
  }
  return Object.freeze(shape.slice(0, -1));
}

function prepare(fn, h, o, trueName, predName, yTrue, yPred, sparse, elementwise) {
  resolve(fn, predName, yPred, P, h, false);
  if (sparse && typeof yTrue === 'number') {
    ONE_LABEL[0] = yTrue;
    yTrue = ONE_LABEL;
  }
  resolve(fn, trueName, yTrue, T, h, sparse);
  const classes = predClasses(fn, predName, o, !sparse);
  const total = P.length;
  const batch = total / classes;
  if (sparse) checkSparseLabels(fn, trueName, predName, batch, total);
  else checkDenseLabels(fn, trueName, predName, total);
  weights(fn, o, batch, classes, !sparse, h, lossesShapeOf(SHAPE, total, elementwise));
  L.repeat = W.repeat;
  L.lossesShape = W.lossesShape;
  L.scalarResult = W.scalarResult;
  const lossesLen = elementwise ? total : batch;
  const wantGrad = o.gradient;
  // Outputs that view wasm memory are written there by the kernel, short ones
  // too (a view would be detached if the arena grows the memory).
  const lMode = pinOut(o.outLosses, outTarget(fn, 'losses', o.outLosses, lossesLen, h), h);
  const gMode = wantGrad ? pinOut(o.outGrad, outTarget(fn, 'grad', o.outGrad, total, h), h) : 0;
  // An output in wasm memory that overlaps an input the kernel reads in
  // place is staged: the kernel writes the arena, and the result is copied to
  // the output after the call, so an in-place call gives the same bits as a
  // call with separate buffers. Where the two outputs overlap, the gradient
  // is staged, so that it is written last.
  const lStage = lMode > 0 && readsInPlace(lMode, lossesLen) ? lMode : 0;
  const gStage = gMode > 0 && (readsInPlace(gMode, total) || overlaps(lMode, lossesLen, gMode, total)) ? gMode : 0;
  const bP = bytes(P);
  const bT = bytes(T);
  const bSW = bytes(SW);
  const bCW = bytes(CW);
  const bAL = bytes(AL);
  const bM = W.mask === null ? 0 : align(batch);
  const bL = lMode > 0 && !lStage ? 0 : align(lossesLen * 4);
  const need = bP + bT + bSW + bCW + bAL + bM + bL + (wantGrad && (gMode <= 0 || gStage) ? align(total * 4) : 0);
  if (need > h.arenaBytes) {
    pin(P, h);
    pin(T, h);
    pin(SW, h);
    pin(CW, h);
    pin(AL, h);
  }
  let at = reserveFor(fn, h, need, predName, total);
  L.pPtr = place(fn, predName, P, h, at);
  at += bP;
  L.tPtr = place(fn, trueName, T, h, at);
  at += bT;
  L.swPtr = SW.kind === -1 ? 0 : place(fn, 'options.sampleWeight', SW, h, at);
  at += bSW;
  L.cwPtr = CW.kind === -1 ? 0 : place(fn, 'options.classWeight', CW, h, at);
  at += bCW;
  L.aPtr = AL.kind === -1 ? 0 : place(fn, 'options.alpha', AL, h, at);
  at += bAL;
  L.mPtr = 0;
  if (W.mask !== null) {
    h.u8.set(W.mask, at);
    L.mPtr = at;
  }
  at += bM;
  L.lPtr = lMode > 0 && !lStage ? lMode : at;
  at += bL;
  L.gPtr = !wantGrad ? 0 : gMode > 0 && !gStage ? gMode : at;
  L.lMode = lMode;
  L.gMode = gMode;
  L.lStage = lStage;
  L.gStage = gStage;
  L.batch = batch;
  L.classes = classes;
  L.total = total;
  L.lossesLen = lossesLen;
}

/** The rest of a Keras loss call when small() declined it: layout, call, outputs. */
export function kerasGeneral(fn, h, o, call, sparse, yTrue, yPred, trueName = 'yTrue', predName = 'yPred') {
  if (!(yPred instanceof Tensor && zeroCopy(h, o, yTrue, yPred, sparse, false))) prepare(fn, h, o, trueName, predName, yTrue, yPred, sparse, false);
  writeOptions(h, o, L.swPtr, L.cwPtr);
  const fixed = h.fixed;
  const w = (fixed + OPTIONS_OFFSET) >> 2;
  h.i32[w + 10] = L.mPtr;
  h.i32[w + 11] = L.aPtr;
  h.i32[w + 12] = L.repeat;
  if (L.mPtr !== 0 || L.aPtr !== 0 || L.repeat !== 0) h.optionsTail = true;
  // A scalar loss (1-D prediction) times a scalar weight: Keras' reduce_values
  // returns it as it is, for every reduction.
  if (L.scalarResult && o.reduction !== 2) h.i32[w + 2] = 1;
  const status = h.calls[call](L.tPtr, L.pPtr, L.batch, L.classes, fixed + OPTIONS_OFFSET, L.lPtr, L.gPtr, fixed + LOSS_OFFSET, fixed + ERROR_OFFSET);
  if (status !== 0) throw fail(fn, h, status, L.classes);
  const f32 = h.f32;
  if (L.lStage || L.gStage) unstage(f32);
  return {
    loss: o.reduction === 2 ? undefined : f32[(fixed + LOSS_OFFSET) >> 2],
    losses: output(f32, L.lMode, L.lPtr, o.outLosses, L.batch),
    lossesShape: L.lossesShape,
    grad: o.gradient ? output(f32, L.gMode, L.gPtr, o.outGrad, L.total) : undefined,
  };
}

/** The rest of a tf.nn op when small() declined it: layout, call, outputs. */
export function nnGeneral(fn, h, o, call, sparse, elementwise, labels, logits, posWeight) {
  if (!(logits instanceof Tensor && zeroCopy(h, o, labels, logits, sparse, elementwise))) prepare(fn, h, o, 'labels', 'logits', labels, logits, sparse, elementwise);
  const err = h.fixed + ERROR_OFFSET;
  const status = posWeight === undefined
    ? h.calls[call](L.tPtr, L.pPtr, L.batch, L.classes, L.lPtr, L.gPtr, err)
    : h.calls[call](L.tPtr, L.pPtr, L.batch, L.classes, o.posWeightPerClass !== undefined ? L.aPtr : posWeight, L.lPtr, L.gPtr, err);
  if (status !== 0) throw fail(fn, h, status, L.classes);
  const f32 = h.f32;
  if (L.lStage || L.gStage) unstage(f32);
  return {
    losses: output(f32, L.lMode, L.lPtr, o.outLosses, L.lossesLen),
    lossesShape: L.lossesShape,
    grad: o.gradient ? output(f32, L.gMode, L.gPtr, o.outGrad, L.total) : undefined,
  };
}

// The xent_options struct of a Keras call (layout asserted in src/status.c).
function writeOptions(h, o, swPtr, cwPtr) {
  const w = (h.fixed + OPTIONS_OFFSET) >> 2;
  const i32 = h.i32;
  const f32 = h.f32;
  i32[w] = o.fromLogits ? 1 : 0;
  f32[w + 1] = o.labelSmoothing;
  i32[w + 2] = o.reduction;
  i32[w + 3] = o.ignoreClass === undefined ? 0 : 1;
  i32[w + 4] = o.ignoreClass === undefined ? 0 : o.ignoreClass;
  f32[w + 5] = o.alpha;
  f32[w + 6] = o.gamma;
  i32[w + 7] = o.applyClassBalancing ? 1 : 0;
  i32[w + 8] = swPtr;
  i32[w + 9] = cwPtr;
  // The fields few calls set (mask, alpha_per_class, sample_weight_repeat,
  // q, epsilon, temperature) keep their defaults from call to call: they are
  // written when this call sets one (o.rare) or an earlier call did.
  if (o.rare || h.optionsTail) {
    i32[w + 10] = 0; // mask
    i32[w + 11] = 0; // alpha_per_class
    i32[w + 12] = 0; // sample_weight_repeat
    f32[w + 13] = o.q;
    f32[w + 14] = o.epsilon;
    f32[w + 15] = o.temperature;
    h.optionsTail = o.rare;
  }
}

// The whole of a small call (the live page's) in one function: a
// Float32Array prediction of at most SMALL values (the caller checked that),
// labels as an Int32Array (sparse) or a Float32Array of the prediction's
// length, no weights, outputs new or in Float32Arrays of the right length, and
// an arena that already holds everything. For anything else, every error
// included, it returns null before writing a byte and prepare() takes the
// call, so both paths accept the same calls and give the same results. The
// layout and copies are prepare()'s, with locals for L and loops for the
// source records; nothing is allocated but the result.
export function small(fn, h, o, call, isKeras, sparse, elementwise, yTrue, yPred, posWeight) {
  if (o.sampleWeight !== undefined || o.classWeight !== undefined || o.mask !== undefined || o.alphaPerClass !== undefined || o.posWeightPerClass !== undefined) return null;
  const total = yPred.length;
  let classes = total;
  const shape = o.shape;
  if (shape !== undefined) {
    // parseOptions checked it: non-negative integers.
    const last = shape.length - 1;
    let size = 1;
    for (let i = 0; i < last; i++) size *= shape[i];
    classes = shape[last];
    if (size * classes !== total) return null;
  }
  if (classes === 0) return null;
  const batch = total / classes;
  const labels = sparse ? batch : total;
  if (!(sparse ? isI32(yTrue) : isF32(yTrue)) || yTrue.length !== labels) return null;
  const lossesLen = elementwise ? total : batch;
  const outL = o.outLosses;
  const outG = o.outGrad;
  if (outL !== undefined && !(isF32(outL) && outL.length === lossesLen)) return null;
  if (outG !== undefined && !(isF32(outG) && outG.length === total)) return null;
  const gradient = o.gradient;
  const bP = align(total * 4);
  const bT = align(labels * 4);
  const bL = align(lossesLen * 4);
  if (bP + bT + bL + (gradient ? bP : 0) > h.arenaBytes) return null;

  const pPtr = h.arena;
  const tPtr = pPtr + bP;
  const lPtr = tPtr + bT;
  const gPtr = gradient ? lPtr + bL : 0;
  const f32 = h.f32;
  let base = pPtr >> 2;
  for (let i = 0; i < total; i++) f32[base + i] = yPred[i];
  base = tPtr >> 2;
  if (sparse) {
    const i32 = h.i32;
    for (let i = 0; i < labels; i++) i32[base + i] = yTrue[i];
  } else {
    for (let i = 0; i < labels; i++) f32[base + i] = yTrue[i];
  }
  const fixed = h.fixed;
  let status;
  if (isKeras) {
    writeOptions(h, o, 0, 0);
    status = h.calls[call](tPtr, pPtr, batch, classes, fixed + OPTIONS_OFFSET, lPtr, gPtr, fixed + LOSS_OFFSET, fixed + ERROR_OFFSET);
  } else if (posWeight === undefined) {
    status = h.calls[call](tPtr, pPtr, batch, classes, lPtr, gPtr, fixed + ERROR_OFFSET);
  } else {
    status = h.calls[call](tPtr, pPtr, batch, classes, posWeight, lPtr, gPtr, fixed + ERROR_OFFSET);
  }
  if (status !== 0) throw fail(fn, h, status, classes);

  const losses = outL === undefined ? new Float32Array(lossesLen) : outL;
  base = lPtr >> 2;
  for (let i = 0; i < lossesLen; i++) losses[i] = f32[base + i];
  let grad;
  if (gradient) {
    grad = outG === undefined ? new Float32Array(total) : outG;
    base = gPtr >> 2;
    for (let i = 0; i < total; i++) grad[i] = f32[base + i];
  }
  const lossesShape = lossesShapeOf(shape, total, elementwise);
  if (!isKeras) return { losses, lossesShape, grad };
  return { loss: o.reduction === 2 ? undefined : f32[(fixed + LOSS_OFFSET) >> 2], losses, lossesShape, grad };
}

// A call on tensors (the zero-copy path), laid out without prepare(): a live
// float32 tensor prediction and no options.shape; labels a live 1-D tensor of
// the right dtype and length, or a short Int32Array (sparse) or Float32Array
// as small() takes them; outputs new, short Float32Arrays or live float32
// tensors of the right size; no weights; an arena that already holds the
// rest. Fills L as prepare() would and returns true. For anything else, every
// error included, it returns false before writing a byte and prepare() takes
// the call.
function zeroCopy(h, o, yTrue, yPred, sparse, elementwise) {
  if (o.shape !== undefined || o.sampleWeight !== undefined || o.classWeight !== undefined || o.mask !== undefined || o.alphaPerClass !== undefined || o.posWeightPerClass !== undefined || !live(yPred, h, 'float32')) return false;
  const total = yPred.size;
  const classes = yPred.shape[yPred.shape.length - 1];
  if (classes === 0) return false;
  const batch = total / classes;
  const labels = sparse ? batch : total;
  let tPtr = 0;
  if (yTrue instanceof Tensor) {
    if (!live(yTrue, h, sparse ? 'int32' : 'float32') || yTrue.shape.length !== 1 || yTrue.size !== labels) return false;
    tPtr = yTrue.ptr;
  } else if (!(sparse ? isI32(yTrue) : isF32(yTrue)) || yTrue.length !== labels || labels > SMALL) {
    return false;
  }
  const lossesLen = elementwise ? total : batch;
  const gradient = o.gradient;
  const lMode = outMode(h, o.outLosses, lossesLen);
  const gMode = gradient ? outMode(h, o.outGrad, total) : 0;
  if (lMode === null || gMode === null) return false;
  // Outputs that overlap the tensors read in place, or each other: prepare() stages them.
  const tValues = tPtr ? labels : 0;
  if (lMode > 0 && (overlaps(lMode, lossesLen, yPred.ptr, total) || overlaps(lMode, lossesLen, tPtr, tValues) || overlaps(lMode, lossesLen, gMode, gMode > 0 ? total : 0))) return false;
  if (gMode > 0 && (overlaps(gMode, total, yPred.ptr, total) || overlaps(gMode, total, tPtr, tValues))) return false;
  const bT = tPtr ? 0 : align(labels * 4);
  const bL = lMode > 0 ? 0 : align(lossesLen * 4);
  const bG = gradient && gMode <= 0 ? align(total * 4) : 0;
  if (bT + bL + bG > h.arenaBytes) return false;

  const at = h.arena;
  if (!tPtr) {
    tPtr = at;
    const base = at >> 2;
    if (sparse) {
      const i32 = h.i32;
      for (let i = 0; i < labels; i++) i32[base + i] = yTrue[i];
    } else {
      const f32 = h.f32;
      for (let i = 0; i < labels; i++) f32[base + i] = yTrue[i];
    }
  }
  L.pPtr = yPred.ptr;
  L.tPtr = tPtr;
  L.swPtr = 0;
  L.cwPtr = 0;
  L.mPtr = 0;
  L.aPtr = 0;
  L.repeat = 0;
  L.scalarResult = false;
  L.lossesShape = lossesShapeOf(yPred.shape, total, elementwise);
  L.lPtr = lMode > 0 ? lMode : at + bT;
  L.gPtr = !gradient ? 0 : gMode > 0 ? gMode : at + bT + bL;
  L.lMode = lMode;
  L.gMode = gMode;
  L.lStage = 0;
  L.gStage = 0;
  L.batch = batch;
  L.classes = classes;
  L.total = total;
  L.lossesLen = lossesLen;
  return true;
}

// An output as outTarget() sees it, or null where outTarget() would throw or
// look at wasm memory: undefined (0), a short Float32Array of length n (-1),
// a live float32 tensor of n values (its address).
function outMode(h, out, n) {
  if (out === undefined) return 0;
  if (isF32(out)) return out.length === n && n <= SMALL && out.buffer !== h.buffer ? -1 : null;
  return out instanceof Tensor && live(out, h, 'float32') && out.size === n ? out.ptr : null;
}

// A tensor the kernels can use in place: not freed, of this module, of `dtype`.
const live = (t, h, dtype) => t.ptr !== 0 && t.heap === h && t.dtype === dtype;

// Whether n 4-byte values at byte address a overlap m values at b (0: none).
const overlaps = (a, n, b, m) => a > 0 && b > 0 && n > 0 && m > 0 && a < b + m * 4 && b < a + n * 4;

// Whether n values at byte address a overlap an input that the kernel reads
// in place (a tensor, or a long Float32Array/Int32Array view of wasm memory).
function readsInPlace(a, n) {
  return (P.kind === HEAP && overlaps(a, n, P.ptr, P.length)) || (T.kind === HEAP && overlaps(a, n, T.ptr, T.length)) ||
    (SW.kind === HEAP && overlaps(a, n, SW.ptr, SW.length)) || (CW.kind === HEAP && overlaps(a, n, CW.ptr, CW.length)) ||
    (AL.kind === HEAP && overlaps(a, n, AL.ptr, AL.length));
}

// Copies staged outputs from the arena to the caller's buffers in wasm memory.
function unstage(f32) {
  if (L.lStage) f32.copyWithin(L.lStage >> 2, L.lPtr >> 2, (L.lPtr >> 2) + L.lossesLen);
  if (L.gStage) f32.copyWithin(L.gStage >> 2, L.gPtr >> 2, (L.gPtr >> 2) + L.total);
}

/**
 * The arena, at least `need` bytes, for a call whose largest argument is
 * `name` with `values` values. A call that cannot fit in wasm memory is a
 * RangeError that names that argument (a byte count of 2^32 or more would
 * wrap at malloc and overwrite memory).
 */
export function reserveFor(fn, h, need, name, values) {
  if (need <= h.arenaBytes) return h.arena;
  if (need < MAX_BYTES) {
    try {
      return h.reserve(need);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  throw rangeError(fn, `${name} has ${values} values: with the other arguments and the outputs this call needs ${need} bytes of wasm memory, more than the module can allocate (at most ${MAX_BYTES} bytes in all); split the batch, or pass tensors (xent.tensor) and out buffers to avoid the copies`);
}
