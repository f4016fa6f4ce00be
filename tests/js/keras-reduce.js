// keras-reduce.js: a float64 reimplementation of Keras 3's loss reduction, for
// tests, written from keras/src/losses/loss.py (Keras 3.16 source):
// squeeze_or_expand_to_same_rank, apply_mask, reduce_weighted_values and
// reduce_values, over small shaped tensors { shape, data } with numpy
// broadcasting; and from keras/src/trainers/data_adapters/
// (class_weight_to_sample_weights, make_class_weight_map_fn) the class an
// example's label row counts as. Independent of the xent kernels: the tests
// feed it per-example losses from reference.js and compare with xent's
// reduced loss, weighted losses, their shape and the gradient.
// docs/semantics.md section 2.8 and "Keras behaviours that surprise".

export const tensor = (shape, data) => ({ shape: shape.slice(), data: Array.from(data) });
const count = (shape) => shape.reduce((a, b) => a * b, 1);

// loss.py squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True): when the
// ranks differ by one and the longer one ends in 1, expand the rank-1 side or
// squeeze the longer one. Ranks are those on entry (both checks use them).
export function squeezeOrExpand(x1, x2) {
  const r1 = x1.shape.length;
  const r2 = x2.shape.length;
  let a = x1;
  let b = x2;
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    if (r2 === 1) b = tensor([...x2.shape, 1], x2.data);
    else a = tensor(x1.shape.slice(0, -1), x1.data);
  }
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    if (r1 === 1) a = tensor([...x1.shape, 1], x1.data);
    else b = tensor(x2.shape.slice(0, -1), x2.data);
  }
  return [a, b];
}

// numpy broadcasting of a * b; throws where numpy (and TF) would.
export function multiply(a, b) {
  const r = Math.max(a.shape.length, b.shape.length);
  const pad = (s) => [...new Array(r - s.length).fill(1), ...s];
  const sa = pad(a.shape);
  const sb = pad(b.shape);
  const shape = sa.map((d, i) => {
    if (d !== sb[i] && d !== 1 && sb[i] !== 1) throw new RangeError(`reference: shapes [${a.shape}] and [${b.shape}] do not broadcast`);
    return d === 1 ? sb[i] : d;
  });
  const n = count(shape);
  const data = new Array(n);
  const idx = new Array(r).fill(0);
  const at = (s, t) => {
    let k = 0;
    for (let d = 0; d < r; d++) k = k * s[d] + (s[d] === 1 ? 0 : idx[d]);
    return t.data[k];
  };
  for (let i = 0; i < n; i++) {
    data[i] = at(sa, a) * at(sb, b);
    for (let d = r - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return tensor(shape, data);
}

const sum = (t) => t.data.reduce((a, b) => a + b, 0);
const divideNoNan = (x, y) => (y === 0 ? 0 : x / y);

// loss.py apply_mask(sample_weight, mask, dtype, reduction).
function applyMask(sampleWeight, mask, reduction) {
  if (mask === null) return sampleWeight;
  let floatMask;
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    const total = count(mask.shape);
    const valid = mask.data.reduce((a, m) => a + (m ? 1 : 0), 0);
    const w = divideNoNan(total, valid);
    floatMask = tensor(mask.shape, mask.data.map((m) => (m ? w : 0)));
  } else {
    floatMask = tensor(mask.shape, mask.data.map((m) => (m ? 1 : 0)));
  }
  if (sampleWeight === null) return floatMask;
  const [fm, sw] = squeezeOrExpand(floatMask, sampleWeight);
  return multiply(sw, fm);
}

/**
 * loss.py reduce_weighted_values(values, sample_weight, mask, reduction) and
 * reduce_values: returns { loss } for a reducing reduction, { values } (a
 * shaped tensor) for none/null or when Keras returns the values as they are
 * (a scalar, or shape [0]).
 */
export function reduceWeightedValues(values, sampleWeight, mask, reduction) {
  let sw = applyMask(sampleWeight, mask, reduction);
  let v = values;
  if (sw !== null) {
    [v, sw] = squeezeOrExpand(v, sw);
    v = multiply(v, sw);
  }
  if (reduction === null || reduction === 'none' || v.shape.length === 0 || (v.shape.length === 1 && v.shape[0] === 0)) {
    return { values: v };
  }
  const loss = sum(v);
  if (reduction === 'sum') return { loss };
  const divisor = reduction === 'mean_with_sample_weight' && sw !== null ? sum(sw) : count(v.shape);
  return { loss: divideNoNan(loss, divisor) };
}

/**
 * The reduced loss (or, unreduced, the sum of the values, whose gradient xent
 * returns), the weighted values and their shape, and d(that)/d(L_b) for each
 * per-example loss L_b: the pipeline is linear in the values for fixed
 * weights and mask, so each coefficient is the pipeline run on a unit vector.
 */
export function kerasReduce(lossShape, losses, sampleWeight, mask, reduction) {
  const run = (data) => {
    const r = reduceWeightedValues(tensor(lossShape, data), sampleWeight, mask, reduction);
    return r.values === undefined ? { total: r.loss, values: null } : { total: sum(r.values), values: r.values };
  };
  const out = run(losses);
  const unreduced = reduceWeightedValues(tensor(lossShape, losses), sampleWeight, mask, 'none').values;
  const coef = losses.map((_, b) => run(losses.map((__, i) => (i === b ? 1 : 0))).total);
  return { loss: out.total, reduced: out.values === null, weighted: unreduced, coef };
}

// The class of a label row for class_weight, as Keras' trainer computes it
// (data_adapter_utils.class_weight_to_sample_weights; tf_dataset_adapter's
// make_class_weight_map_fn): argmax over several columns; one column: round
// half to even (np.round, tf.round), then the weight of that class, 1 when the
// class has none.
export function kerasClassWeight(row, classWeight) {
  let k;
  if (row.length > 1) {
    k = 0;
    for (let j = 1; j < row.length; j++) if (row[j] > row[k]) k = j;
  } else {
    const y = row[0];
    const f = Math.floor(y);
    const d = y - f;
    k = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  }
  return k >= 0 && k < classWeight.length ? classWeight[k] : 1;
}
