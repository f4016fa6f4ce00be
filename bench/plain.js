// plain.js: the "careful fused plain-JS" peer of the benchmark: each
// loss of W1-W5 written the way a performance-minded JS programmer would, with
// no library: typed arrays in and out, one fused sweep per row (max, then exp
// with the sums, then the in-cache gradient finish), Math.exp/Math.log in
// double precision, no allocation per call. Semantics as in
// docs/semantics.md sections 2.3-2.5, 3.1, 4.1, 4.3 and 4.4, with
// Keras' default reduction (sum_over_batch_size). Every function writes the
// per-example losses [batch] and the gradient of the reduced loss [batch *
// classes], and returns the reduced loss. Called by bench/run.js.

const EPS = Math.fround(1e-7); // Keras fuzz factor as float32 (docs/semantics.md 1)
const ONE_MINUS_EPS = Math.fround(1 - 1e-7); // 1 - 2^-23

/** W1, W5: sparse categorical crossentropy from logits, integer labels. */
export function sparseSoftmax(labels, logits, batch, classes, losses, grad) {
  const invB = 1 / batch;
  let total = 0;
  for (let b = 0, o = 0; b < batch; b++, o += classes) {
    const y = labels[b];
    if (!(y >= 0 && y < classes)) throw new RangeError(`label ${y} of example ${b} is outside [0, ${classes})`);
    let m = -Infinity;
    for (let j = o; j < o + classes; j++) {
      const v = logits[j];
      m = v > m ? v : m;
    }
    let s = 0;
    for (let j = o; j < o + classes; j++) {
      const e = Math.exp(logits[j] - m);
      grad[j] = e;
      s += e;
    }
    const loss = Math.log(s) + m - logits[o + y];
    losses[b] = loss;
    total += loss;
    const k = invB / s;
    for (let j = o; j < o + classes; j++) grad[j] *= k;
    grad[o + y] -= invB;
  }
  return total * invB;
}

/** W2: categorical crossentropy from logits, soft labels; gradient (sum y) softmax - y. */
export function softmaxSoft(labels, logits, batch, classes, losses, grad) {
  const invB = 1 / batch;
  let total = 0;
  for (let b = 0, o = 0; b < batch; b++, o += classes) {
    let m = -Infinity;
    for (let j = o; j < o + classes; j++) {
      const v = logits[j];
      m = v > m ? v : m;
    }
    let s = 0;
    let sy = 0;
    let syz = 0;
    for (let j = o; j < o + classes; j++) {
      const y = labels[j];
      const z = logits[j] - m;
      const e = Math.exp(z);
      grad[j] = e;
      s += e;
      sy += y;
      syz += y * z;
    }
    const loss = sy * Math.log(s) - syz;
    losses[b] = loss;
    total += loss;
    const k = (sy * invB) / s;
    for (let j = o; j < o + classes; j++) grad[j] = grad[j] * k - labels[j] * invB;
  }
  return total * invB;
}

/** W3: binary crossentropy from logits (multi-label), mean over classes, then over the batch. */
export function sigmoidLogits(labels, logits, batch, classes, losses, grad) {
  const invB = 1 / batch;
  const invC = 1 / classes;
  const g = invB * invC;
  let total = 0;
  for (let b = 0, o = 0; b < batch; b++, o += classes) {
    let row = 0;
    for (let j = o; j < o + classes; j++) {
      const x = logits[j];
      const y = labels[j];
      const e = Math.exp(-Math.abs(x));
      row += (x > 0 ? x : 0) - x * y + Math.log1p(e);
      const sig = (x >= 0 ? 1 : e) / (1 + e);
      grad[j] = (sig - y) * g;
    }
    const loss = row * invC;
    losses[b] = loss;
    total += loss;
  }
  return total * invB;
}

/** W4: binary crossentropy on probabilities, Keras clip to [1e-7, 1 - 2^-23]; zero gradient outside. */
export function binaryProbs(labels, probs, batch, classes, losses, grad) {
  const invB = 1 / batch;
  const invC = 1 / classes;
  const g = invB * invC;
  let total = 0;
  for (let b = 0, o = 0; b < batch; b++, o += classes) {
    let row = 0;
    for (let j = o; j < o + classes; j++) {
      const p = probs[j];
      const y = labels[j];
      const pc = p < EPS ? EPS : p > ONE_MINUS_EPS ? ONE_MINUS_EPS : p;
      const q = 1 - pc;
      row -= y * Math.log(pc) + (1 - y) * Math.log(q);
      grad[j] = p >= EPS && p <= ONE_MINUS_EPS ? ((pc - y) / (pc * q)) * g : 0;
    }
    const loss = row * invC;
    losses[b] = loss;
    total += loss;
  }
  return total * invB;
}
