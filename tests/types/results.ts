// results.ts: compiled by tests/js/types.test.js with tsc --strict. The result
// types of js/index.d.ts follow the options (docs/semantics.md 2.8, 4): `loss`
// is a number unless reduction is 'none', `grad` is a Float32Array with
// gradient: true, the caller's buffer with out.grad, else undefined; `losses`
// is the caller's out.losses or a Float32Array. Lines under @ts-expect-error
// must not compile (tsc reports an unused directive otherwise).
import * as xent from 'xent';
import { exact } from './check.js';

await xent.init();
const y = [[0, 1, 0]];
const z = [[0.2, 1.5, -0.3]];

// Reductions give a number, usable without a cast.
const a = xent.categoricalCrossentropy(y, z, { fromLogits: true, gradient: true });
exact<typeof a.loss, number>(true);
exact<typeof a.grad, Float32Array>(true);
exact<typeof a.losses, Float32Array>(true);
const next: number = a.loss + 1;
const first: number = a.losses[0];
const grads: number[] = Array.from(a.grad);
void next, first, grads;

for (const reduction of ['sum', 'sum_over_batch_size', 'mean_with_sample_weight'] as const) {
  const r = xent.binaryCrossentropy(y, z, { reduction });
  exact<typeof r.loss, number>(true);
}

// reduction 'none': loss is undefined.
const none = xent.sparseCategoricalCrossentropy([1], z, { reduction: 'none', fromLogits: true });
exact<typeof none.loss, undefined>(true);
exact<typeof none.grad, undefined>(true);
// @ts-expect-error: loss is undefined with reduction 'none'
none.loss + 1;

// No options, empty options, gradient: false: no grad.
const plain = xent.binaryCrossentropy(y, z);
exact<typeof plain.grad, undefined>(true);
exact<typeof plain.loss, number>(true);
const off = xent.binaryFocalCrossentropy(y, z, { gradient: false, gamma: 1 });
exact<typeof off.grad, undefined>(true);
// @ts-expect-error: no gradient was asked for
Array.from(plain.grad);

// out.grad: the result is the caller's buffer, of its type; it implies gradient: true.
const gradTensor = xent.tensor([1, 3]);
exact<typeof gradTensor, xent.Tensor<'float32'>>(true);
exact<typeof gradTensor.data, Float32Array>(true);
const t = xent.categoricalCrossentropy(y, z, { out: { grad: gradTensor } });
exact<typeof t.grad, xent.Tensor<'float32'>>(true);
const buf = new Float32Array(3);
const losses = new Float32Array(1);
const u = xent.sparseSoftmaxCrossEntropyWithLogits(1, z, { out: { grad: buf, losses } });
exact<typeof u.grad, typeof buf>(true);
exact<typeof u.losses, typeof losses>(true);
const lossTensor = xent.tensor(1);
const v = xent.softmaxCrossEntropyWithLogits(y, z, { out: { losses: lossTensor } });
exact<typeof v.losses, xent.Tensor<'float32'>>(true);
exact<typeof v.grad, undefined>(true);

// tf.nn ops have no `loss` and no Keras options.
const w = xent.weightedCrossEntropyWithLogits(y, z, 3, { gradient: true });
exact<typeof w.grad, Float32Array>(true);
// @ts-expect-error: the tf.nn ops return no reduced loss
w.loss;
// @ts-expect-error: the tf.nn ops take no reduction
xent.sigmoidCrossEntropyWithLogits(y, z, { reduction: 'sum' });

// Options typed as the wide interfaces give the wide results.
const opts: xent.SmoothingOptions = { gradient: Math.random() > 0.5 };
const wide = xent.binaryCrossentropy(y, z, opts);
exact<typeof wide.loss, number | undefined>(true);
exact<typeof wide.grad, Float32Array | xent.Tensor<'float32'> | undefined>(true);
exact<typeof wide.losses, Float32Array | xent.Tensor<'float32'>>(true);
// @ts-expect-error: may be undefined
const maybe: Float32Array = wide.grad;
void maybe;

// Option names and values are checked.
// @ts-expect-error: sparse categorical cross-entropy has no label smoothing
xent.sparseCategoricalCrossentropy([1], z, { labelSmoothing: 0.1 });
// Keras 3's 'mean' reduces; its null does not.
const mean = xent.categoricalCrossentropy(y, z, { reduction: 'mean' });
exact<typeof mean.loss, number>(true);
const nul = xent.categoricalCrossentropy(y, z, { reduction: null });
exact<typeof nul.loss, undefined>(true);
// @ts-expect-error: not a Keras reduction
xent.categoricalCrossentropy(y, z, { reduction: 'average' });
// @ts-expect-error: a typo
xent.categoricalCrossentropy(y, z, { fromLogit: true });
// @ts-expect-error: an int32 tensor cannot receive a gradient
xent.categoricalCrossentropy(y, z, { out: { grad: xent.tensor([1, 3], 'int32') } });

// Inputs: readonly and nested arrays, typed arrays, tensors; int32 tensors for labels.
const labels = xent.tensor([2], 'int32');
exact<typeof labels.data, Int32Array>(true);
const frozen = [[0, 1, 0]] as const;
xent.categoricalCrossentropy(frozen, new Float64Array([0.1, 0.7, 0.2]), { shape: [1, 3] as const });
xent.sparseCategoricalCrossentropy(labels, new Uint8Array(6), { shape: [2, 3], sampleWeight: 2, classWeight: [1, 2, 3] });
// @ts-expect-error: strings are not numbers
xent.binaryCrossentropy(['1'], [0.5]);
// @ts-expect-error: BigInt arrays are rejected at run time too
xent.binaryCrossentropy(new BigInt64Array(1), [0.5]);

// init, inspect, recommend.
const backend: 'wasm-simd' | 'wasm' = await xent.init({ backend: 'wasm' });
exact<typeof xent.backend, xent.Backend | undefined>(true);
// @ts-expect-error: there is no such backend
xent.init({ backend: 'webgl' });
const seen = xent.inspect([1, 0], [[0.3, 0.7], [0.9, 0.1]]);
exact<typeof seen.labels, xent.LabelEncoding | 'unknown'>(true);
const rec = xent.recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', yTrue: [1], yPred: z });
exact<typeof rec.xent.fn, xent.LossFunctionName>(true);
const severities: ('error' | 'warning' | 'info')[] = rec.warnings.map((x) => x.severity);
// @ts-expect-error: not a problem the recommender knows
xent.recommend({ problem: 'regression' });
const row = xent.DECISION_TABLE[0];
exact<typeof row.verdict, xent.Verdict>(true);
void backend, severities;

// Forms the code accepts that the earlier declarations rejected.
xent.binaryCrossentropy(new Uint8ClampedArray([0, 1]), new Float32Array([0.3, 0.6]), null);
const nullOut = xent.binaryCrossentropy(y, z, { out: { grad: null, losses: null } });
exact<typeof nullOut.grad, undefined>(true);
exact<typeof nullOut.losses, Float32Array>(true);
xent.binaryCrossentropy(y, z, { sampleWeight: [[1]], classWeight: new Float64Array([1, 2, 3]) });
void xent.init({ wasm: Promise.resolve(new Uint8Array(8)) });
void xent.init(null);
xent.recommend({ inspection: seen, problem: 'binary' });
exact<typeof rec.units, string>(true);
exact<typeof rec.lead, xent.Framework>(true);
// @ts-expect-error: inspect() results have no other fields
seen.labelMin;

// The losses added with Keras parity: the same result types; lossesShape on every result.
const kl = xent.klDivergence([[0.2, 0.8]], [[0.5, 0.5]], { gradient: true, mask: [true] });
exact<typeof kl.loss, number>(true);
exact<typeof kl.grad, Float32Array>(true);
exact<typeof kl.lossesShape, readonly number[]>(true);
const distil = xent.logitsDistillation(z, z, { temperature: 2, reduction: 'none' });
exact<typeof distil.loss, undefined>(true);
const gce = xent.categoricalGeneralizedCrossentropy([1], z, { q: 0.7, fromLogits: true, gradient: true });
exact<typeof gce.grad, Float32Array>(true);
const poly = xent.polyLossCrossentropy(y, z, { epsilon: 1, out: { grad: buf } });
exact<typeof poly.grad, typeof buf>(true);
// @ts-expect-error: poly-1 works on logits only
xent.polyLossCrossentropy(y, z, { fromLogits: true });
const perClass = xent.weightedCrossEntropyWithLogits(y, z, [4, 0.5, 1]);
exact<typeof perClass.grad, undefined>(true);
xent.categoricalFocalCrossentropy(y, z, { alpha: [0.25, 0.75, 0.5] });
// @ts-expect-error: binary focal alpha is one number
xent.binaryFocalCrossentropy(y, z, { alpha: [0.25, 0.75] });

// Sampled losses: grad only with gradient: true.
const table = { weights: [[1, 0], [0, 1], [1, 1]], biases: [0, 0, 0], labels: [[0]], inputs: [[0.5, 0.5]], numSampled: 2, numClasses: 3, seed: 1 };
const sampledNoGrad = xent.sampledSoftmaxLoss(table);
exact<typeof sampledNoGrad.grad, undefined>(true);
const nce = xent.nceLoss({ ...table, gradient: true });
exact<typeof nce.grad, xent.SampledGrad>(true);
const rows: number = nce.grad.classIds.length + nce.losses[0];
void rows;
// @ts-expect-error: numSampled is required
xent.sampledSoftmaxLoss({ weights: [[1]], biases: [0], labels: [[0]], inputs: [[1]], numClasses: 1 });
