// imbalance.js: the numbers of the Imbalance panel (docs/semantics.md 7.3):
// one batch with a rare positive and common negatives, and the gradient each
// example receives from the logit under plain binary cross-entropy, class
// weights, pos_weight, the focal loss and the balanced focal loss (all
// computed by xent); the focal factor (1 − p_t)^γ; and, for class weights on
// class indices, Keras' mean (Σ w·L / N) beside PyTorch's (Σ w·L / Σ w).
// Pure apart from the xent calls; used by panels/imbalance.js and the tests.

export const SCENARIO = Object.freeze({ nNeg: 9, zPos: -0.5, zNeg: -2 });

// The batch: example 0 is the rare positive, the others the negatives.
function batch({ nNeg, zPos, zNeg }) {
  const n = nNeg + 1;
  const y = new Float32Array(n);
  const z = new Float32Array(n).fill(zNeg);
  y[0] = 1;
  z[0] = zPos;
  return { n, y, z };
}

// Rows: method, its loss call, and the gradient on the rare example, on one
// common example, summed over the common examples, and the rare share.
export function imbalanceRows(xent, { gamma = 2, alpha = 0.25, weight = null, scenario = SCENARIO } = {}) {
  const { n, y, z } = batch(scenario);
  const w = weight ?? scenario.nNeg; // n_neg / n_pos
  const shape = [n, 1];
  const run = (name, code, fn) => {
    const g = fn();
    const rare = Math.abs(g[0]), common = Math.abs(g[1]);
    const commonTotal = common * scenario.nNeg;
    return { name, code, rare, common, commonTotal, share: rare / (rare + commonTotal) };
  };
  const bce = (o) => xent.binaryCrossentropy(y, z, { fromLogits: true, gradient: true, shape, ...o }).grad;
  return [
    run('plain cross-entropy', 'BinaryCrossentropy(from_logits=True)', () => bce({})),
    run(`class weights {0: 1, 1: ${w}}`, `model.fit(..., class_weight={0: 1, 1: ${w}})`, () => bce({ classWeight: [1, w] })),
    run(`pos_weight = ${w}`, `tf.nn.weighted_cross_entropy_with_logits(y, z, pos_weight=${w})`, () => {
      const r = xent.weightedCrossEntropyWithLogits(y, z, w, { gradient: true, shape });
      return r.grad.map((v) => v / n); // the mean over the batch
    }),
    run(`focal, γ = ${gamma}`, `BinaryFocalCrossentropy(gamma=${gamma}, from_logits=True)`,
      () => xent.binaryFocalCrossentropy(y, z, { fromLogits: true, gradient: true, shape, gamma }).grad),
    run(`focal, γ = ${gamma}, α = ${alpha}`, `BinaryFocalCrossentropy(apply_class_balancing=True, alpha=${alpha}, gamma=${gamma}, from_logits=True)`,
      () => xent.binaryFocalCrossentropy(y, z, { fromLogits: true, gradient: true, shape, gamma, alpha, applyClassBalancing: true }).grad),
  ];
}

// p_t of the scenario's two kinds of example (the probability given to the true class).
export function scenarioPt(scenario = SCENARIO) {
  const s = (x) => 1 / (1 + Math.exp(-x));
  return { rare: s(scenario.zPos), common: 1 - s(scenario.zNeg) };
}

// The focal factor (1 − p_t)^γ over p_t in [0, 1].
export function focalFactorPoints(gamma, steps = 50) {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const pt = i / steps;
    return [pt, (1 - pt) ** gamma];
  });
}

// Class weights on class indices: Keras divides Σ w·L by the batch size,
// PyTorch's CrossEntropyLoss(weight=) by Σ w of the batch's labels.
export const WEIGHTED = Object.freeze({ labels: [0, 0, 0, 1, 2], weights: [1, 3, 3],
  logits: [[2, 0, -1], [1.5, 0.5, 0], [0.2, 0.1, 0], [0.3, 1.2, -0.4], [0, 0.5, 1]] });
export function weightedMeans(xent, { labels, weights, logits } = WEIGHTED) {
  const n = labels.length, C = weights.length;
  const y = Int32Array.from(labels), z = Float32Array.from(logits.flat());
  const keras = xent.sparseCategoricalCrossentropy(y, z, { fromLogits: true, classWeight: weights, shape: [n, C] }).loss;
  const torch = xent.sparseCategoricalCrossentropy(y, z, { fromLogits: true, classWeight: weights, shape: [n, C], reduction: 'mean_with_sample_weight' }).loss;
  const sumW = labels.reduce((a, k) => a + weights[k], 0);
  return { keras, torch, n, sumW };
}
