// args.js: argument checks of the JS API, made before any wasm call. Turns
// every accepted input form (typed arrays, plain or nested arrays, tensors in
// wasm memory) into a reusable "source" record (what to copy, or the address
// to pass), infers shapes, and parses options in one pass over their keys.
// Errors follow errors.js. Shapes follow docs/semantics.md section 2.2: the class
// axis is the last one; a 1-D prediction is one example; a flat array of the
// right length stands for any shape. Used by index.js.

import { Tensor } from './heap.js';
import { describe, rangeError, shapeString, typeError, unknownOption } from './errors.js';

// Source kinds.
export const COPY = 0; // a JS array or typed array, copied into the arena
export const HEAP = 1; // already in wasm memory at `ptr`, right dtype: no copy
export const FILL = 2; // a single number repeated `length` times

/** Arrays up to this length are copied by a loop and never checked for zero-copy use. */
export const SMALL = 64;

/** A reusable description of one array argument. */
export function source() {
  return { kind: COPY, src: null, length: 0, shape: null, ptr: 0, ints: false, off: -1, ctor: null };
}

/** Whether `key` is an own property of `obj` (options are read from own properties only). */
export const hasOwn = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** A real Float32Array / Int32Array (a Proxy of one is not: its getters throw). */
export const isF32 = (v) => v instanceof Float32Array && ArrayBuffer.isView(v);
export const isI32 = (v) => v instanceof Int32Array && ArrayBuffer.isView(v);

const isTyped = (v) => ArrayBuffer.isView(v) && !(v instanceof DataView);
const isBig = (v) => v instanceof BigInt64Array || v instanceof BigUint64Array;

// Nested plain arrays: the shape, checked to be rectangular, and the values flattened.
function nestedShape(value) {
  const shape = [];
  let level = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flattenInto(fn, name, value, shape, depth, out, at, path) {
  const n = shape[depth];
  if (!Array.isArray(value) || value.length !== n) {
    const got = Array.isArray(value) ? `length ${value.length}` : describe(value);
    throw rangeError(fn, `${name} is a ragged nested array: ${name}${path} has ${got} where ${n} values were expected (all rows must have the same length, shape ${shapeString(shape)})`);
  }
  if (depth === shape.length - 1) {
    for (let i = 0; i < n; i++) {
      const v = value[i];
      if (typeof v !== 'number') {
        if (Array.isArray(v)) throw rangeError(fn, `${name} is a ragged nested array: ${name}${path}[${i}] is an array where a number was expected`);
        throw typeError(fn, `${name}${path}[${i}] must be a number, got ${describe(v)}`);
      }
      out[at + i] = v;
    }
    return at + n;
  }
  for (let i = 0; i < n; i++) at = flattenInto(fn, name, value[i], shape, depth + 1, out, at, `${path}[${i}]`);
  return at;
}

/**
 * Fills `rec` from an array argument. `ints` asks for int32 data (sparse
 * labels); the copy then checks that each value is an integer.
 */
export function resolve(fn, name, value, rec, heap, ints) {
  rec.ints = ints;
  rec.shape = null;
  rec.ptr = 0;
  rec.off = -1;
  rec.kind = COPY;
  // The common cases first, with one type test each.
  // ArrayBuffer.isView, not instanceof alone: a Proxy of a typed array passes
  // instanceof but throws on .length; it is not an array xent can read.
  if (isTyped(value) && !isBig(value)) {
    rec.length = value.length;
    rec.src = value;
    // Reading .buffer of a small typed array makes V8 move it off its heap
    // (about 15 ns); short inputs are copied anyway, and pin() catches the
    // rare short view of wasm memory before the memory can grow.
    if (value.length > SMALL && value.buffer === heap.buffer) {
      if (ints ? value instanceof Int32Array : value instanceof Float32Array) {
        rec.kind = HEAP;
        rec.ptr = value.byteOffset;
      } else {
        // A view of wasm memory of another type: copied, through a view made
        // after the arena is reserved (growing the memory detaches this one).
        rec.off = value.byteOffset;
        rec.ctor = value.constructor;
      }
    }
    return rec;
  }
  if (isBig(value)) {
    throw typeError(fn, `${name} must hold numbers, got a ${value.constructor.name}; convert it to an Int32Array or Float32Array`);
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && Array.isArray(value[0])) {
      const shape = nestedShape(value);
      let total = 1;
      for (const d of shape) total *= d;
      const flat = new Float64Array(total);
      if (total > 0) flattenInto(fn, name, value, shape, 0, flat, 0, '');
      else checkEmptyNested(fn, name, value, shape);
      rec.shape = shape;
      rec.src = flat;
      rec.length = total;
      return rec;
    }
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v !== 'number') {
        if (Array.isArray(v)) throw rangeError(fn, `${name} is a ragged nested array: ${name}[${i}] is an array but ${name}[0] is a number`);
        throw typeError(fn, `${name}[${i}] must be a number, got ${describe(v)}`);
      }
    }
    rec.src = value;
    rec.length = value.length;
    return rec;
  }
  if (value instanceof Tensor) {
    if (!value.ptr) throw typeError(fn, `${name} is a tensor that was freed`);
    if (value.heap !== heap) throw typeError(fn, `${name} is a tensor of a wasm module that init() replaced`);
    rec.shape = value.shape.length > 1 ? value.shape : null;
    rec.length = value.size;
    if (ints === (value.dtype === 'int32')) {
      rec.kind = HEAP;
      rec.ptr = value.ptr;
    } else {
      rec.kind = COPY;
      rec.off = value.ptr;
      rec.ctor = value.dtype === 'int32' ? Int32Array : Float32Array;
    }
    return rec;
  }
  throw typeError(
    fn,
    `${name} must be a Float32Array, Float64Array, Int32Array, an array (possibly nested) of numbers, or an xent tensor; got ${describe(value)}`,
  );
}

function checkEmptyNested(fn, name, value, shape) {
  // [[]] or [[], []]: every row must be empty too.
  const walk = (v, depth, path) => {
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw rangeError(fn, `${name} is a ragged nested array: ${name}${path} does not have length ${shape[depth]}`);
    }
    if (depth + 1 < shape.length) for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
}

/** Copies `rec` into wasm memory at byte address `at` (float32, or int32 for labels). */
export function place(fn, name, rec, heap, at) {
  if (rec.kind === HEAP) return rec.ptr;
  if (rec.kind === FILL) {
    heap.f32.fill(rec.src, at >> 2, (at >> 2) + rec.length);
    return at;
  }
  const view = rec.off >= 0 ? new rec.ctor(heap.buffer, rec.off, rec.length) : rec.src;
  const n = rec.length;
  if (!rec.ints) {
    // A loop is cheaper than set() for the short rows of interactive use;
    // both round to float32 the same way.
    if (n <= SMALL) {
      const f32 = heap.f32;
      const base = at >> 2;
      for (let i = 0; i < n; i++) f32[base + i] = view[i];
    } else {
      heap.f32.set(view, at >> 2);
    }
    return at;
  }
  if (view instanceof Int32Array) {
    if (n <= SMALL) {
      const i32 = heap.i32;
      const base = at >> 2;
      for (let i = 0; i < n; i++) i32[base + i] = view[i];
    } else {
      heap.i32.set(view, at >> 2);
    }
    return at;
  }
  const i32 = heap.i32;
  const base = at >> 2;
  for (let i = 0; i < n; i++) {
    const v = view[i];
    if (!Number.isInteger(v) || v > 2147483647 || v < -2147483648) {
      if (Number.isInteger(v)) throw rangeError(fn, `${name}[${i}] = ${v} is outside the valid range of class indices`);
      throw rangeError(fn, `${name}[${i}] = ${v} is not an integer; sparse labels are class indices`);
    }
    i32[base + i] = v;
  }
  return at;
}

/** Product of a shape. */
export function sizeOf(shape) {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Checks a shape: an array of non-negative integers, at least one. */
export function checkShape(fn, shape, name = 'options.shape') {
  if (!Array.isArray(shape)) throw typeError(fn, `${name} must be an array of integers such as [batch, classes], got ${describe(shape)}`);
  if (shape.length === 0) throw rangeError(fn, `${name} must have at least one dimension (the classes), got []`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number') throw typeError(fn, `${name}[${i}] must be a number, got ${describe(d)}`);
    if (!Number.isInteger(d) || d < 0) throw rangeError(fn, `${name}[${i}] must be a non-negative integer, got ${d}`);
  }
  return shape;
}

// ---- Options ------------------------------------------------------------------

export const OPT = {
  fromLogits: 1,
  labelSmoothing: 2,
  reduction: 4,
  sampleWeight: 8,
  classWeight: 16,
  ignoreClass: 32,
  alpha: 64,
  gamma: 128,
  applyClassBalancing: 256,
  gradient: 512,
  shape: 1024,
  out: 2048,
  mask: 4096,
  q: 8192,
  epsilon: 16384,
  temperature: 32768,
  alphaPerClass: 65536, // internal: `alpha` may be a list (categorical focal)
};
const NAMES = Object.keys(OPT).filter((n) => n !== 'alphaPerClass');

export const REDUCTIONS = ['sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight'];
// Keras 3 also accepts 'mean' (the same as 'sum_over_batch_size') and None
// (null here: the same as 'none'), docs/semantics.md section 2.8.
const REDUCTION_CODES = { sum_over_batch_size: 0, mean: 0, sum: 1, none: 2, mean_with_sample_weight: 3 };
const REDUCTION_LIST = "'sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight', 'mean' or null";

/** The parsed options of one call (one shared record: calls do not nest). */
export const opts = {
  fromLogits: false,
  labelSmoothing: 0,
  reduction: 0,
  sampleWeight: undefined,
  classWeight: undefined,
  ignoreClass: undefined,
  alpha: 0.25,
  gamma: 2,
  applyClassBalancing: false,
  gradient: false,
  shape: undefined,
  outLosses: undefined,
  outGrad: undefined,
  // The options few calls set; `rare` says one of them was, so that
  // parseOptions resets them only then (and stays small enough to inline).
  rare: false,
  mask: undefined,
  alphaPerClass: undefined,
  posWeightPerClass: undefined,
  q: 0.5,
  epsilon: 2,
  temperature: 3,
};

// Every field of `o` back to its default (inlined into parseOptions).
function defaults(o) {
  o.fromLogits = false;
  o.labelSmoothing = 0;
  o.reduction = 0;
  o.sampleWeight = undefined;
  o.classWeight = undefined;
  o.ignoreClass = undefined;
  o.alpha = 0.25;
  o.gamma = 2;
  o.applyClassBalancing = false;
  o.gradient = false;
  o.shape = undefined;
  o.outLosses = undefined;
  o.outGrad = undefined;
  if (o.rare) clearRare(o);
  return o;
}

function clearRare(o) {
  o.rare = false;
  o.mask = undefined;
  o.alphaPerClass = undefined;
  o.posWeightPerClass = undefined;
  o.q = 0.5;
  o.epsilon = 2;
  o.temperature = 3;
}

function bool(fn, name, v) {
  if (typeof v !== 'boolean') throw typeError(fn, `options.${name} must be true or false, got ${describe(v)}`);
  return v;
}

function unit(fn, name, v) {
  if (typeof v !== 'number') throw typeError(fn, `options.${name} must be a number, got ${describe(v)}`);
  if (!(v >= 0 && v <= 1)) throw rangeError(fn, `options.${name} must be in [0, 1], got ${v}`);
  return v;
}

function unknown(fn, key, allowed) {
  const known = NAMES.filter((n) => allowed & OPT[n]);
  if (key === 'labelSmoothing' && allowed & OPT.ignoreClass) {
    return typeError(fn, "unknown option 'labelSmoothing': Keras' sparse categorical cross-entropy has no label smoothing; one-hot encode the labels and use categoricalCrossentropy with labelSmoothing");
  }
  if (key in OPT && !(allowed & OPT[key])) {
    return typeError(fn, `option '${key}' does not apply to ${fn}; its options are ${known.join(', ')}`);
  }
  return unknownOption(fn, key, known);
}

/**
 * Parses `options` into `opts`, accepting only the names in the `allowed` bit
 * set. Kept under V8's inlining limit (460 bytes of bytecode; messages are
 * built in helpers) so it inlines into every call.
 */
export function parseOptions(fn, options, allowed) {
  const o = defaults(opts);
  if (options === undefined || options === null) return o;
  if (typeof options !== 'object' || Array.isArray(options) || isTyped(options)) throw notAnObject(fn, options);
  for (const key in options) {
    // Own properties only: a key inherited from a prototype (Object.create({
    // fromLogits: true }), or a polluted Object.prototype) is not an option.
    if (!hasOwn(options, key)) continue;
    const v = options[key];
    // One switch both checks the name and reads the value: no lookup table
    // and no Object.keys on the hot path.
    let bit = 0;
    switch (key) {
      case 'fromLogits':
        bit = 1;
        if (typeof v === 'boolean') o.fromLogits = v;
        else if (v !== undefined) bool(fn, key, v);
        break;
      case 'gradient':
        bit = 512;
        if (typeof v === 'boolean') o.gradient = v;
        else if (v !== undefined) bool(fn, key, v);
        break;
      case 'shape':
        bit = 1024;
        if (v !== undefined) o.shape = isShape(v) ? v : checkShape(fn, v);
        break;
      case 'out':
        bit = 2048;
        readOut(fn, o, v);
        break;
      default:
        bit = OPT[key];
        if (bit === undefined || !(allowed & bit)) throw unknown(fn, key, allowed);
        if (v !== undefined) slowOption(fn, o, key, v, allowed);
    }
    if (!(allowed & bit)) throw unknown(fn, key, allowed);
  }
  if (o.outGrad !== undefined) o.gradient = true;
  return o;
}

// The common shapes, [classes] and [batch, classes] of small integers, checked
// without a call; anything else goes through checkShape.
function isShape(v) {
  if (!Array.isArray(v)) return false;
  const n = v.length;
  if (n === 2) {
    const a = v[0];
    const b = v[1];
    return typeof a === 'number' && typeof b === 'number' && a === (a >>> 0) && b === (b >>> 0);
  }
  return n === 1 && typeof v[0] === 'number' && v[0] === (v[0] >>> 0);
}

function notAnObject(fn, options) {
  return typeError(fn, `options must be an object such as { fromLogits: true }, got ${describe(options)}`);
}

function slowOption(fn, o, key, v, allowed) {
  o.rare = true;
  switch (key) {
      case 'labelSmoothing':
        o.labelSmoothing = unit(fn, key, v);
        break;
      case 'reduction': {
        if (v === null) {
          o.reduction = 2;
          break;
        }
        if (typeof v !== 'string') throw typeError(fn, `options.reduction must be a string, one of ${REDUCTION_LIST}; got ${describe(v)}`);
        const r = Object.hasOwn(REDUCTION_CODES, v) ? REDUCTION_CODES[v] : -1;
        if (r < 0) throw rangeError(fn, `options.reduction must be one of ${REDUCTION_LIST}; got '${v}'`);
        o.reduction = r;
        break;
      }
      case 'mask':
        o.mask = v === null ? undefined : v;
        break;
      case 'q':
        if (typeof v !== 'number') throw typeError(fn, `options.q must be a number, got ${describe(v)}`);
        if (!(v > 0 && v <= 1)) throw rangeError(fn, `options.q must be in (0, 1], got ${v}`);
        o.q = v;
        break;
      case 'epsilon':
        if (typeof v !== 'number') throw typeError(fn, `options.epsilon must be a number, got ${describe(v)}`);
        if (!(Math.abs(v) <= 3.4028234663852886e38)) throw rangeError(fn, `options.epsilon must be a finite number, got ${v}`);
        o.epsilon = v;
        break;
      case 'temperature':
        if (typeof v !== 'number') throw typeError(fn, `options.temperature must be a number, got ${describe(v)}`);
        if (!(v > 0 && v <= 3.4028234663852886e38)) throw rangeError(fn, `options.temperature must be a finite number > 0, got ${v}`);
        o.temperature = v;
        break;
      case 'sampleWeight':
        o.sampleWeight = v;
        break;
      case 'classWeight':
        o.classWeight = v;
        break;
      case 'ignoreClass':
        if (v === null) break;
        if (typeof v !== 'number') throw typeError(fn, `options.ignoreClass must be an integer class index or null, got ${describe(v)}`);
        if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw rangeError(fn, `options.ignoreClass must be an integer, got ${v}; it is an int32 class index, from -2147483648 to 2147483647`);
        o.ignoreClass = v;
        break;
      case 'alpha':
        if (typeof v !== 'number' && (Array.isArray(v) || isTyped(v)) && allowed & OPT.alphaPerClass) {
          o.alphaPerClass = v;
          break;
        }
        if (typeof v !== 'number' && allowed & OPT.alphaPerClass) throw typeError(fn, `options.alpha must be a number or an array with one number per class, got ${describe(v)}`);
        o.alpha = unit(fn, key, v);
        break;
      case 'gamma':
        if (typeof v !== 'number') throw typeError(fn, `options.gamma must be a number, got ${describe(v)}`);
        if (!(v >= 0 && v <= 3.4028234663852886e38)) throw rangeError(fn, `options.gamma must be a finite number >= 0, got ${v}`);
        o.gamma = v;
        break;
      case 'applyClassBalancing':
        o.applyClassBalancing = bool(fn, key, v);
        break;
  }
}

function readOut(fn, o, v) {
  if (v === undefined || v === null) return;
  if (typeof v !== 'object') throw typeError(fn, `options.out must be an object { losses, grad } of Float32Arrays, got ${describe(v)}`);
  // Which keys are own is learnt in the loop, where V8 answers hasOwn from the
  // for-in cache; hasOwn by name, a lookup, runs only for a key the loop did
  // not see (absent or not enumerable).
  let seen = 0;
  for (const k in v) {
    if (!hasOwn(v, k)) continue;
    if (k === 'losses') seen |= 1;
    else if (k === 'grad') seen |= 2;
    else throw typeError(fn, `options.out has an unknown key '${k}'; it takes losses and grad`);
  }
  const losses = seen & 1 || hasOwn(v, 'losses') ? v.losses : undefined;
  const grad = seen & 2 || hasOwn(v, 'grad') ? v.grad : undefined;
  o.outLosses = losses === null ? undefined : losses;
  o.outGrad = grad === null ? undefined : grad;
}

/**
 * Where an output goes: undefined (make a new Float32Array), or the address in
 * wasm memory of a caller buffer the kernel can write directly, or -1 for a
 * caller Float32Array outside wasm memory (copied into after the call).
 */
export function outTarget(fn, name, out, length, heap) {
  if (out === undefined) return 0;
  if (isF32(out)) {
    if (out.length !== length) throw rangeError(fn, `options.out.${name} must have length ${length}, got ${out.length}`);
    if (length <= SMALL) return -1;
    return out.buffer === heap.buffer ? out.byteOffset : -1;
  }
  if (out instanceof Tensor) {
    if (!out.ptr) throw typeError(fn, `options.out.${name} is a tensor that was freed`);
    if (out.heap !== heap) throw typeError(fn, `options.out.${name} is a tensor of a wasm module that init() replaced`);
    if (out.dtype !== 'float32') throw typeError(fn, `options.out.${name} must be a float32 tensor, got an ${out.dtype} tensor`);
    if (out.size !== length) throw rangeError(fn, `options.out.${name} must hold ${length} values, got a tensor of ${out.size}`);
    return out.ptr;
  }
  throw typeError(fn, `options.out.${name} must be a Float32Array (or a float32 tensor), got ${describe(out)}`);
}

/**
 * Before the arena grows (which detaches every view of wasm memory): a short
 * typed array that views wasm memory is remembered by address, so place() can
 * view the same bytes of the new buffer.
 */
export function pin(rec, heap) {
  if (rec.kind === COPY && rec.off < 0 && rec.length > 0 && ArrayBuffer.isView(rec.src) && rec.src.buffer === heap.buffer) {
    rec.off = rec.src.byteOffset;
    rec.ctor = rec.src.constructor;
  }
}

/** The same for a short output buffer: a view of wasm memory is written in place. */
export function pinOut(out, mode, heap) {
  return mode === -1 && out.buffer === heap.buffer ? out.byteOffset : mode;
}
