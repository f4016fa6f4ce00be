// sampled.js: the huge-vocabulary training losses of the JS API,
// logUniformCandidateSampler, sampledSoftmaxLoss and nceLoss (docs/semantics.md
// section 3.5), over the C entry points of src/sampler.c and src/sampled.c:
// options checked with TensorFlow's argument names in camelCase, arrays laid out
// in the scratch arena (heap.js; xent tensors are passed without a copy, which
// matters for a [numClasses, dim] weight table), the xent_sampled_args struct
// written at the offsets asserted in src/status.c, and the C status turned into
// a JS error naming the argument. index.js exports these with the heap bound.

import { ERROR_OFFSET, align } from './heap.js';
import { COPY, place, resolve, source } from './args.js';
import { describe, rangeError, typeError, unknownOption } from './errors.js';

const INT32_MAX = 2147483647;
const TC = source();
const WT = source();
const BI = source();
const LB = source();
const IN = source();
const SC = source();
const TQ = source();
const SQ = source();

const SAMPLER_KEYS = ['trueClasses', 'numTrue', 'numSampled', 'unique', 'rangeMax', 'seed'];
const LOSS_KEYS = [
  'weights', 'biases', 'labels', 'inputs', 'numSampled', 'numClasses', 'numTrue',
  'removeAccidentalHits', 'seed', 'sampledValues', 'gradient', 'subtractLogQ',
];

function checkOptions(fn, o, keys) {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw typeError(fn, `expects one options object such as { ${keys.slice(0, 3).join(', ')}, ... }, got ${describe(o)}`);
  }
  for (const key of Object.keys(o)) if (!keys.includes(key)) throw unknownOption(fn, key, keys);
}

function intOption(fn, name, v, min, max, dflt) {
  if (v === undefined) {
    if (dflt === undefined) throw typeError(fn, `${name} is required (an integer >= ${min})`);
    return dflt;
  }
  if (typeof v !== 'number') throw typeError(fn, `${name} must be an integer, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw rangeError(fn, `${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}

function boolOption(fn, name, v, dflt) {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw typeError(fn, `${name} must be true or false, got ${describe(v)}`);
  return v;
}

/** The seed as two uint32 halves; a fresh random one when none is given. */
function seedHalves(fn, seed) {
  if (seed === undefined) {
    const c = globalThis.crypto;
    if (c && typeof c.getRandomValues === 'function') {
      const r = c.getRandomValues(new Uint32Array(2));
      return [r[0], r[1] & 0x1fffff];
    }
    return [(Math.random() * 4294967296) >>> 0, (Math.random() * 2097152) >>> 0];
  }
  if (typeof seed !== 'number') throw typeError(fn, `seed must be an integer, got ${describe(seed)}`);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw rangeError(fn, `seed must be an integer in [0, 2^53 - 1], got ${seed}`);
  }
  return [seed % 4294967296, Math.floor(seed / 4294967296)];
}

const shapeOf = (rec) => (rec.shape ? `[${rec.shape.join(', ')}]` : `[${rec.length}]`);
const bytes = (rec) => (rec.kind === COPY ? align(rec.length * 4) : 0);

// C argument names (xent.h) to the JS ones, for errors only the C core reports.
const NAMES = {
  true_classes: 'trueClasses', labels: 'labels', sampled_candidates: 'sampledValues.sampledCandidates',
  true_expected_count: 'sampledValues.trueExpectedCount', sampled_expected_count: 'sampledValues.sampledExpectedCount',
  num_sampled: 'numSampled', range_max: 'rangeMax', num_true: 'numTrue', num_classes: 'numClasses',
  dim: 'the embedding size', batch: 'the batch size', work_bytes: 'the workspace',
};

function failure(fn, h, status, limit, trueName = 'trueClasses') {
  h.refresh();
  const e = (h.fixed + ERROR_OFFSET) >> 2;
  const arg = h.string(h.u32[e]);
  const index = h.u32[e + 1];
  const value = h.f64[(h.fixed + ERROR_OFFSET + 8) >> 3];
  const name = arg === 'true_classes' ? trueName : NAMES[arg] || arg;
  if (status === 3) return rangeError(fn, `${name}[${index}] = ${value} is outside the valid range [0, ${limit}) of class ids`);
  if (status === 4 && arg.endsWith('expected_count')) {
    return rangeError(fn, `${name}[${index}] = ${value} must be a finite number > 0 (its log is subtracted from the logit)`);
  }
  return rangeError(fn, `${name} = ${value} is not accepted (${h.string(h.ex.xent_status_string(status))})`);
}

function needExports(fn, ex) {
  if (typeof ex.xent_sampled_softmax_loss !== 'function' || typeof ex.xent_log_uniform_candidate_sampler !== 'function') {
    throw new Error(`${fn}: this wasm build does not export the sampled losses; rebuild with \`bash scripts/build.sh wasm\``);
  }
}

/** Labels [batch, numTrue]: numTrue from the options, else from a nested shape, else 1. */
function trueShape(fn, name, rec, numTrueOpt) {
  const nested = rec.shape && rec.shape.length >= 2 ? rec.shape[rec.shape.length - 1] : undefined;
  const numTrue = intOption(fn, 'numTrue', numTrueOpt, 1, INT32_MAX, nested || 1);
  if (nested !== undefined && nested !== numTrue) {
    throw rangeError(fn, `${name} has shape ${shapeOf(rec)} but numTrue is ${numTrue}; the last dimension must be numTrue`);
  }
  if (rec.length % numTrue !== 0) {
    throw rangeError(fn, `${name} has ${rec.length} values, not a multiple of numTrue = ${numTrue} (shape [batch, numTrue])`);
  }
  return numTrue;
}

function checkUnique(fn, numSampled, range, rangeName) {
  if (numSampled > range) {
    throw rangeError(fn, `numSampled = ${numSampled} is more than ${rangeName} = ${range}: unique sampling cannot draw that many distinct classes (TensorFlow: "Sampler's range is too small")`);
  }
}

/**
 * tf.random.log_uniform_candidate_sampler: { trueClasses, numTrue, numSampled,
 * unique = true, rangeMax, seed } -> { sampledCandidates, trueExpectedCount,
 * sampledExpectedCount }.
 */
export function logUniformCandidateSampler(h, o) {
  const fn = 'logUniformCandidateSampler';
  checkOptions(fn, o, SAMPLER_KEYS);
  needExports(fn, h.ex);
  if (o.trueClasses === undefined) throw typeError(fn, 'trueClasses is required (int class ids, shape [batch, numTrue])');
  resolve(fn, 'trueClasses', o.trueClasses, TC, h, true);
  const numTrue = trueShape(fn, 'trueClasses', TC, o.numTrue);
  const numSampled = intOption(fn, 'numSampled', o.numSampled, 1, INT32_MAX);
  const unique = boolOption(fn, 'unique', o.unique, true);
  const rangeMax = intOption(fn, 'rangeMax', o.rangeMax, 1, INT32_MAX);
  if (unique) checkUnique(fn, numSampled, rangeMax, 'rangeMax');
  const [lo, hi] = seedHalves(fn, o.seed);
  const n = TC.length;
  const work = unique ? h.ex.xent_log_uniform_candidate_sampler_workspace_size(numSampled) >>> 0 : 0;
  const sizes = [bytes(TC), align(numSampled * 4), align(n * 4), align(numSampled * 4), align(work)];
  let at = h.reserve(sizes.reduce((a, b) => a + b, 0));
  const tcPtr = place(fn, 'trueClasses', TC, h, at);
  const candPtr = (at += sizes[0]);
  const tqPtr = (at += sizes[1]);
  const sqPtr = (at += sizes[2]);
  const workPtr = (at += sizes[3]);
  const status = h.ex.xent_log_uniform_candidate_sampler(tcPtr, n / numTrue, numTrue, numSampled, unique ? 1 : 0, rangeMax,
    lo, hi, candPtr, tqPtr, sqPtr, 0, workPtr, work, h.fixed + ERROR_OFFSET);
  if (status !== 0) throw failure(fn, h, status, rangeMax);
  h.refresh();
  return {
    sampledCandidates: h.i32.slice(candPtr >> 2, (candPtr >> 2) + numSampled),
    trueExpectedCount: h.f32.slice(tqPtr >> 2, (tqPtr >> 2) + n),
    sampledExpectedCount: h.f32.slice(sqPtr >> 2, (sqPtr >> 2) + numSampled),
  };
}

function sampledValuesOption(fn, h, sv) {
  let c, t, s;
  if (Array.isArray(sv) && sv.length === 3) [c, t, s] = sv;
  else if (sv !== null && typeof sv === 'object' && !Array.isArray(sv) && !ArrayBuffer.isView(sv)) {
    ({ sampledCandidates: c, trueExpectedCount: t, sampledExpectedCount: s } = sv);
  } else {
    throw typeError(fn, `sampledValues must be { sampledCandidates, trueExpectedCount, sampledExpectedCount } (what logUniformCandidateSampler returns) or those three in an array, got ${describe(sv)}`);
  }
  for (const [k, v] of [['sampledCandidates', c], ['trueExpectedCount', t], ['sampledExpectedCount', s]]) {
    if (v === undefined) throw typeError(fn, `sampledValues.${k} is required`);
  }
  resolve(fn, 'sampledValues.sampledCandidates', c, SC, h, true);
  resolve(fn, 'sampledValues.trueExpectedCount', t, TQ, h, false);
  resolve(fn, 'sampledValues.sampledExpectedCount', s, SQ, h, false);
}

function sampledLoss(fn, h, o, nce) {
  checkOptions(fn, o, LOSS_KEYS);
  needExports(fn, h.ex);
  for (const k of ['weights', 'biases', 'labels', 'inputs']) if (o[k] === undefined) throw typeError(fn, `${k} is required`);
  const numClasses = intOption(fn, 'numClasses', o.numClasses, 1, INT32_MAX);
  const numSampled = intOption(fn, 'numSampled', o.numSampled, 1, INT32_MAX);
  const hits = boolOption(fn, 'removeAccidentalHits', o.removeAccidentalHits, !nce);
  const logQ = boolOption(fn, 'subtractLogQ', o.subtractLogQ, true);
  const wantGrad = boolOption(fn, 'gradient', o.gradient, false);
  resolve(fn, 'weights', o.weights, WT, h, false);
  resolve(fn, 'biases', o.biases, BI, h, false);
  resolve(fn, 'inputs', o.inputs, IN, h, false);
  resolve(fn, 'labels', o.labels, LB, h, true);
  if (WT.length === 0 || WT.length % numClasses !== 0) {
    throw rangeError(fn, `weights has ${WT.length} values, not numClasses = ${numClasses} rows of dim >= 1 values (shape [numClasses, dim])`);
  }
  const dim = WT.length / numClasses;
  if (WT.shape && (WT.shape.length !== 2 || WT.shape[0] !== numClasses)) {
    throw rangeError(fn, `weights has shape ${shapeOf(WT)} but must be [numClasses, dim] = [${numClasses}, dim]`);
  }
  if (BI.length !== numClasses) throw rangeError(fn, `biases has ${BI.length} values but numClasses is ${numClasses} (shape [numClasses])`);
  if (IN.length % dim !== 0 || (IN.shape && IN.shape[IN.shape.length - 1] !== dim)) {
    throw rangeError(fn, `inputs has shape ${shapeOf(IN)} but weights rows have dim = ${dim} values (inputs: [batch, dim])`);
  }
  const batch = IN.length / dim;
  const numTrue = trueShape(fn, 'labels', LB, o.numTrue);
  if (LB.length !== batch * numTrue) {
    throw rangeError(fn, `labels has shape ${shapeOf(LB)} but inputs has ${batch} rows; labels must be [batch, numTrue] = [${batch}, ${numTrue}]`);
  }
  const sampling = o.sampledValues === undefined;
  let lo = 0;
  let hi = 0;
  if (sampling) {
    checkUnique(fn, numSampled, numClasses, 'numClasses');
    [lo, hi] = seedHalves(fn, o.seed);
  } else {
    if (o.seed !== undefined) seedHalves(fn, o.seed);
    sampledValuesOption(fn, h, o.sampledValues);
    if (SC.length !== numSampled) throw rangeError(fn, `sampledValues.sampledCandidates has ${SC.length} values but numSampled is ${numSampled}`);
    if (TQ.length !== batch * numTrue) throw rangeError(fn, `sampledValues.trueExpectedCount has ${TQ.length} values but labels has ${batch * numTrue} (shape [batch, numTrue])`);
    if (SQ.length !== numSampled) throw rangeError(fn, `sampledValues.sampledExpectedCount has ${SQ.length} values but numSampled is ${numSampled}`);
  }
  const cap = batch * numTrue + numSampled;
  const lossWork = h.ex.xent_sampled_workspace_size(batch, numTrue, numSampled) >>> 0;
  const work = Math.max(lossWork, sampling ? h.ex.xent_log_uniform_candidate_sampler_workspace_size(numSampled) >>> 0 : 0);
  if (lossWork === 0xffffffff) throw rangeError(fn, `batch ${batch} x numTrue ${numTrue} + numSampled ${numSampled} is too large`);
  const sizes = [
    128, bytes(WT), bytes(BI), bytes(IN), bytes(LB),
    sampling ? align(numSampled * 4) : bytes(SC), sampling ? align(batch * numTrue * 4) : bytes(TQ), sampling ? align(numSampled * 4) : bytes(SQ),
    align(batch * 4), wantGrad ? align(batch * dim * 4) + align(cap * 4) * 2 + align(cap * dim * 4) : 0, align(work),
  ];
  let at = h.reserve(sizes.reduce((a, b) => a + b, 0));
  const argsPtr = at;
  const gradPtr = at + 64;
  const wPtr = place(fn, 'weights', WT, h, (at += sizes[0]));
  const bPtr = place(fn, 'biases', BI, h, (at += sizes[1]));
  const xPtr = place(fn, 'inputs', IN, h, (at += sizes[2]));
  const lPtr = place(fn, 'labels', LB, h, (at += sizes[3]));
  at += sizes[4];
  const cPtr = sampling ? at : place(fn, 'sampledValues.sampledCandidates', SC, h, at);
  at += sizes[5];
  const tqPtr = sampling ? at : place(fn, 'sampledValues.trueExpectedCount', TQ, h, at);
  at += sizes[6];
  const sqPtr = sampling ? at : place(fn, 'sampledValues.sampledExpectedCount', SQ, h, at);
  const lossPtr = (at += sizes[7]);
  const gxPtr = (at += sizes[8]);
  const idPtr = gxPtr + align(batch * dim * 4);
  const gbPtr = idPtr + align(cap * 4);
  const gwPtr = gbPtr + align(cap * 4);
  const workPtr = (at += sizes[9]);
  if (sampling) {
    const status = h.ex.xent_log_uniform_candidate_sampler(lPtr, batch, numTrue, numSampled, 1, numClasses, lo, hi,
      cPtr, tqPtr, sqPtr, 0, workPtr, work, h.fixed + ERROR_OFFSET);
    if (status !== 0) throw failure(fn, h, status, numClasses, 'labels');
  }
  h.refresh();
  const a = argsPtr >> 2;
  const u32 = h.u32;
  u32[a] = wPtr; u32[a + 1] = bPtr; u32[a + 2] = lPtr; u32[a + 3] = xPtr; u32[a + 4] = cPtr;
  u32[a + 5] = tqPtr; u32[a + 6] = sqPtr; u32[a + 7] = batch; u32[a + 8] = dim; u32[a + 9] = numClasses;
  u32[a + 10] = numTrue; u32[a + 11] = numSampled; u32[a + 12] = hits ? 1 : 0; u32[a + 13] = logQ ? 1 : 0;
  const g = gradPtr >> 2;
  if (wantGrad) {
    u32[g] = gxPtr; u32[g + 1] = idPtr; u32[g + 2] = gwPtr; u32[g + 3] = gbPtr; u32[g + 4] = 0;
  }
  const call = nce ? h.ex.xent_nce_loss : h.ex.xent_sampled_softmax_loss;
  const status = call(argsPtr, lossPtr, wantGrad ? gradPtr : 0, workPtr, work, h.fixed + ERROR_OFFSET);
  if (status !== 0) throw failure(fn, h, status, numClasses);
  h.refresh();
  const result = {
    losses: h.f32.slice(lossPtr >> 2, (lossPtr >> 2) + batch),
    sampled: h.i32.slice(cPtr >> 2, (cPtr >> 2) + numSampled),
    grad: undefined,
  };
  if (wantGrad) {
    const ids = h.u32[g + 4];
    result.grad = {
      inputs: h.f32.slice(gxPtr >> 2, (gxPtr >> 2) + batch * dim),
      classIds: h.i32.slice(idPtr >> 2, (idPtr >> 2) + ids),
      weights: h.f32.slice(gwPtr >> 2, (gwPtr >> 2) + ids * dim),
      biases: h.f32.slice(gbPtr >> 2, (gbPtr >> 2) + ids),
    };
  }
  return result;
}

/** tf.nn.sampled_softmax_loss: per-example losses, the candidates used, and (gradient: true) sparse gradients. */
export function sampledSoftmaxLoss(h, options) {
  return sampledLoss('sampledSoftmaxLoss', h, options, false);
}

/** tf.nn.nce_loss: per-example losses, the candidates used, and (gradient: true) sparse gradients. */
export function nceLoss(h, options) {
  return sampledLoss('nceLoss', h, options, true);
}
