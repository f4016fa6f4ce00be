// weights.js: the array options of a Keras loss call, checked and laid out
// for the C core (docs/semantics.md section 2.8 and "Keras behaviours that
// surprise"): sampleWeight broadcast as Keras broadcasts it (a number, one
// weight per example, per sequence, or any shape that broadcasts against the
// losses) with the repeat count of the "mean_with_sample_weight" divisor,
// classWeight, a per-class alpha, and the Keras mask. Used by call.js.

import { COPY, FILL, HEAP, resolve, sizeOf, source } from './args.js';
import { describe, rangeError, shapeString, typeError } from './errors.js';

export const SW = source();
export const CW = source();
export const AL = source();

/** What the weights resolved to (one record: calls do not nest). */
export const W = { repeat: 0, lossesShape: null, scalarResult: false, mask: null };

// The options that hold arrays: sample weights broadcast to one per example
// (with the repeat count the "mean_with_sample_weight" divisor needs), class
// weights, per-class alpha, and the mask. `lead` is the losses' shape.
export function weights(fn, o, batch, classes, dense, h, lead) {
  SW.kind = -1;
  CW.kind = -1;
  AL.kind = -1;
  W.repeat = 0;
  W.lossesShape = lead;
  W.scalarResult = false;
  W.mask = null;
  if (o.sampleWeight !== undefined) {
    if (typeof o.sampleWeight === 'number') {
      SW.kind = FILL;
      SW.src = o.sampleWeight;
      SW.length = batch;
      W.repeat = batch;
      // Keras returns a scalar loss times a scalar weight unreduced.
      W.scalarResult = lead.length === 0;
    } else {
      resolve(fn, 'options.sampleWeight', o.sampleWeight, SW, h, false);
      broadcastWeights(fn, h, lead, batch);
    }
  }
  if (o.classWeight !== undefined) {
    resolve(fn, 'options.classWeight', o.classWeight, CW, h, false);
    const need = dense && classes === 1 ? 2 : classes;
    if (CW.length !== need) {
      throw rangeError(fn, `options.classWeight has ${CW.length} values but needs ${need}, one per class${need !== classes ? ' (a single-column binary problem has the classes 0 and 1)' : ''}`);
    }
  }
  const alpha = o.alphaPerClass !== undefined;
  if (alpha || o.posWeightPerClass !== undefined) {
    const name = alpha ? 'options.alpha' : 'posWeight';
    resolve(fn, name, alpha ? o.alphaPerClass : o.posWeightPerClass, AL, h, false);
    if (AL.length !== classes) throw rangeError(fn, `${name} has ${AL.length} values but needs ${classes}, one per class`);
    const a = AL.src;
    for (let i = 0; a && i < AL.length; i++) {
      if (typeof a[i] !== 'number') throw typeError(fn, `${name}[${i}] must be a number, got ${describe(a[i])}`);
      if (alpha && !(a[i] >= 0 && a[i] <= 1)) throw rangeError(fn, `${name}[${i}] must be in [0, 1], got ${a[i]}`);
      if (!alpha && !(Math.abs(a[i]) <= 3.4028234663852886e38)) throw rangeError(fn, `${name}[${i}] must be a finite number, got ${a[i]}`);
    }
  }
  if (o.mask !== undefined) W.mask = readMask(fn, o.mask, batch, lead);
}

// Keras' squeeze_or_expand_to_same_rank(values, sample_weight)
// (keras/src/losses/loss.py), then numpy broadcasting: the broadcast shape, the
// weights' stride along each of its axes (0 where they repeat), or null where
// Keras fails to broadcast.
function kerasBroadcast(lead, s) {
  let x1 = lead;
  let x2 = s;
  if (x1.length === x2.length + 1 && x1[x1.length - 1] === 1) {
    if (x2.length === 1) x2 = [x2[0], 1];
    else x1 = x1.slice(0, -1);
  } else if (x2.length === x1.length + 1 && x2[x2.length - 1] === 1) {
    if (x1.length === 1) x1 = [x1[0], 1];
    else x2 = x2.slice(0, -1);
  }
  const r = Math.max(x1.length, x2.length);
  const shape = new Array(r);
  const stride = new Array(r).fill(0);
  let st = 1;
  for (let i = r - 1; i >= 0; i--) {
    const a = i >= r - x1.length ? x1[i - (r - x1.length)] : 1;
    const b = i >= r - x2.length ? x2[i - (r - x2.length)] : 1;
    if (a !== b && a !== 1 && b !== 1) return null;
    shape[i] = a === 1 ? b : a;
    if (b !== 1) stride[i] = st;
    st *= b;
  }
  return { shape, stride };
}

// A sample weight array against losses of shape `lead` (docs/semantics.md,
// "Keras behaviours that surprise"), broadcast as Keras broadcasts it. A flat
// array of one value per example is shaped like the losses; any other flat
// array is the 1-D tensor Keras would see ([time] against [batch, time]
// weights each time step), except that one of batch values that Keras could
// not broadcast is taken as [batch, 1, ...], a weight per sequence. Weights
// that would repeat the losses (a broadcast larger than the losses) are
// refused. Expands SW to one weight per example when it held fewer; W.repeat
// is how many examples each given weight stands for.
function broadcastWeights(fn, h, lead, rows) {
  const n = SW.length;
  let s = SW.shape;
  let b = null;
  if (s === null) {
    if (n === rows) return;
    s = [n];
    b = kerasBroadcast(lead, s);
    if (b === null && lead.length >= 2 && n === lead[0]) {
      s = [n];
      for (let i = 1; i < lead.length; i++) s.push(1);
      b = kerasBroadcast(lead, s);
    }
    if (b === null) {
      throw rangeError(fn, `options.sampleWeight has ${n} values but the batch has ${rows} examples (losses of shape ${shapeString(lead)}); give one weight per example, one per sequence, a number, or a nested array that broadcasts against the losses`);
    }
  } else {
    b = kerasBroadcast(lead, s);
  }
  if (b === null) {
    throw rangeError(fn, `options.sampleWeight of shape ${shapeString(s)} does not broadcast against the losses of shape ${shapeString(lead)} (the batch has ${rows} examples; Keras fails on it too; a weight per sequence is shaped [batch, 1])`);
  }
  const v = b.shape;
  if (sizeOf(v) !== rows) {
    throw rangeError(fn, `options.sampleWeight of shape ${shapeString(s)} against the losses of shape ${shapeString(lead)} broadcasts to ${shapeString(v)}, more values than the batch has examples (${rows}); xent takes weights that broadcast to the losses' shape`);
  }
  W.lossesShape = Object.freeze(v);
  if (n === rows) return;
  const src = SW.kind === HEAP ? new Float32Array(h.buffer, SW.ptr, n) : SW.off >= 0 ? new SW.ctor(h.buffer, SW.off, n) : SW.src;
  const out = new Float32Array(rows);
  const r = v.length;
  const idx = new Array(r).fill(0);
  for (let i = 0; i < rows; i++) {
    let k = 0;
    for (let d = 0; d < r; d++) k += idx[d] * b.stride[d];
    out[i] = src[k];
    for (let d = r - 1; d >= 0; d--) {
      if (++idx[d] < v[d]) break;
      idx[d] = 0;
    }
  }
  SW.kind = COPY;
  SW.src = out;
  SW.length = rows;
  SW.shape = null;
  SW.off = -1;
  SW.ptr = 0;
  W.repeat = rows / n;
}

// The Keras mask of the losses: one boolean (or number, 0 = masked) per example.
function readMask(fn, m, rows, lead) {
  const out = new Uint8Array(rows);
  let at = 0;
  const walk = (v, path) => {
    if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x === 'boolean' || typeof x === 'number') {
          if (at < rows) out[at] = x ? 1 : 0;
          at++;
        } else if (Array.isArray(x)) {
          walk(x, `${path}[${i}]`);
        } else {
          throw typeError(fn, `options.mask${path}[${i}] must be a boolean or a number, got ${describe(x)}`);
        }
      }
      return;
    }
    throw typeError(fn, `options.mask must be an array of booleans (or a Uint8Array), one per example, got ${describe(v)}`);
  };
  walk(m, '');
  if (at !== rows) throw rangeError(fn, `options.mask has ${at} values but the losses have shape ${shapeString(lead)} (${rows} values)`);
  return out;
}

