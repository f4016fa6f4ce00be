// sampled-estimate-reference.js: a float64 reference, written from the
// description in docs/semantics.md 3.5 and not from src/, for the sampled
// losses as xent.sampledSoftmaxLoss and xent.nceLoss compute them when they
// draw the sample themselves: xent's documented generator (SplitMix64 from the
// seed, U = the top 53 bits / 2^53), TensorFlow's log-uniform draw
// k = floor(exp(U log(R + 1))) - 1 mod R repeated until numSampled distinct
// classes, the expected counts of TensorFlow's ExpectedCountHelper, and per
// example the softmax cross-entropy (or the summed logistic loss, for NCE)
// over the true and sampled columns with log Q subtracted and accidental hits
// removed. Also the full softmax loss of one example. Used by
// tests/js/loss-pages.test.js, tests/browser/loss-pages.test.js and (the
// sampler alone) tests/js/sampler.test.js.

const MASK = (1n << 64n) - 1n;

function splitmix(seed) {
  let s = BigInt(seed) & MASK;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & MASK;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    z ^= z >> 31n;
    return Number(z >> 11n) / 2 ** 53;
  };
}

/**
 * TF's LogUniformSampler loop over the draws of `seed`: the classes in draw
 * order and the number of draws (with `unique`, a class drawn again is
 * skipped until numSampled distinct ones are in).
 */
export function logUniformSample(seed, rangeMax, numSampled, unique = true) {
  const u = splitmix(seed);
  const logRange = Math.log1p(rangeMax);
  const classes = [];
  const seen = new Set();
  let tries = 0;
  while (classes.length < numSampled) {
    tries++;
    const k = (Math.floor(Math.exp(u() * logRange)) - 1) % rangeMax;
    if (unique && seen.has(k)) continue;
    seen.add(k);
    classes.push(k);
  }
  return { classes, tries };
}

/** Expected count of class k in a unique sample of numSampled that took `tries` draws. */
export function expectedCount(k, rangeMax, numSampled, tries) {
  const p = Math.log((k + 2) / (k + 1)) / Math.log1p(rangeMax);
  return tries === numSampled ? p * numSampled : -Math.expm1(tries * Math.log1p(-p));
}

const dot = (inputs, b, weights, c, dim) => {
  let v = 0;
  for (let j = 0; j < dim; j++) v += inputs[b * dim + j] * weights[c * dim + j];
  return v;
};

/**
 * Per-example sampled losses in float64. `o` holds weights [numClasses * dim],
 * biases, labels [batch * numTrue], inputs [batch * dim], numClasses,
 * numSampled, seed, and optionally numTrue (1), nce (false) and
 * removeAccidentalHits (true for sampled softmax, false for NCE).
 */
export function sampledLosses(o) {
  const { weights, biases, labels, inputs, numClasses, numSampled, seed, numTrue = 1, nce = false } = o;
  const hits = o.removeAccidentalHits ?? !nce;
  const dim = weights.length / numClasses;
  const batch = inputs.length / dim;
  const { classes, tries } = logUniformSample(seed, numClasses, numSampled);
  const logQ = (c) => Math.log(expectedCount(c, numClasses, numSampled, tries));
  const out = [];
  for (let b = 0; b < batch; b++) {
    const truth = Array.from(labels.slice(b * numTrue, (b + 1) * numTrue));
    const z = [];
    const y = [];
    for (const c of truth) {
      z.push(dot(inputs, b, weights, c, dim) + biases[c] - logQ(c));
      y.push(1 / numTrue);
    }
    for (const c of classes) {
      if (hits && truth.includes(c)) continue; // a removed column adds nothing to either loss
      z.push(dot(inputs, b, weights, c, dim) + biases[c] - logQ(c));
      y.push(0);
    }
    if (nce) {
      out.push(z.reduce((a, v, k) => a + Math.max(v, 0) - v * y[k] + Math.log1p(Math.exp(-Math.abs(v))), 0));
    } else {
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
      out.push(z.reduce((a, v, k) => a + y[k] * (lse - v), 0));
    }
  }
  return out;
}

/** The full softmax loss of example b over all numClasses logits: logsumexp(z) - z_label. */
export function fullSoftmaxLoss({ weights, biases, inputs, numClasses }, b, label) {
  const dim = weights.length / numClasses;
  const z = Array.from({ length: numClasses }, (_, c) => dot(inputs, b, weights, c, dim) + biases[c]);
  const m = Math.max(...z);
  return m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - z[label];
}
