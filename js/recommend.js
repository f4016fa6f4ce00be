/* recommend.js: from a described situation (problem, label encoding, model
 * output, and what the user does now) to the right cross-entropy loss with code
 * for Keras 3, tf.nn, TensorFlow.js, PyTorch and xent, and every mistake named
 * (docs/semantics.md sections 7.1 and 7.2; API names from 2.x, 3.x, 5.x, 6.x). Pure
 * and synchronous: no wasm, works before init(). The decision itself is the
 * data in decision-table.js; this file validates, fills in the code and
 * collects the warnings. Called by js/index.js (which inspects yTrue/yPred
 * first), bin/xent.js and the explorer. */
import { FRAMEWORKS, LABELS, LOSSES, OUTPUTS, PROBLEMS, TRANSFORMS, resolve } from './decision-table.js';
import { verdictOf, verdictText } from './verdict.js';

export { TABLE as DECISION_TABLE } from './decision-table.js';

const SEVERITIES = ['error', 'warning', 'info'];
const rank = (s) => SEVERITIES.indexOf(s);
const n = (c) => (c.numClasses ?? c.outputUnits ?? 'C');
/* A perfect prediction pushed through a second softmax over C classes scores
 * -log(e / (e + C - 1)) = log(e + C - 1) - 1. */
const floorFor = (C) => (Math.log(Math.E + C - 1) - 1).toFixed(4);
function softmaxFloor(c) {
  const C = c.outputUnits ?? c.numClasses;
  return Number.isInteger(C) && C >= 2
    ? `a perfect ${C}-class prediction still scores ${floorFor(C)}`
    : `a perfect prediction over C classes still scores log(e + C - 1) - 1 (${floorFor(2)} for 2 classes, ${floorFor(10)} for 10)`;
}

/* Every warning: id -> default severity and message(context). Ids are stable. */
export const WARNINGS = Object.freeze({
  'double-activation': { severity: 'error', message: (c) => `from_logits=True (or a *_with_logits op, nn.CrossEntropyLoss, nn.BCEWithLogitsLoss, tf.losses.softmaxCrossEntropy) is applied to an output that already went through a ${c.output === 'sigmoid' ? 'sigmoid' : 'softmax'}. Keras on TensorFlow warns "received \`from_logits=True\`, but the \`output\` argument was produced by a ${c.output === 'sigmoid' ? 'Sigmoid' : 'Softmax'} activation" and, while the tensor is still tagged, uses the real logits; anywhere else (Keras on JAX or PyTorch, model.predict outputs, mixed precision, tf.nn ops, PyTorch losses) the activation is applied twice, silently: the loss can never reach 0 (${c.output === 'sigmoid' ? 'each element stays between 0.3133 and 1.3133' : softmaxFloor(c)}) and gradients shrink, so training stalls. Remove the activation from the last layer, or set from_logits=False.` },
  'logits-treated-as-probabilities': { severity: 'error', message: () => 'Raw logits go into a loss that expects probabilities (from_logits=False, the Keras default; nn.BCELoss; nn.NLLLoss without log_softmax; tf.metrics.*). Keras clips them to [1e-7, 1 - 1e-7]: every logit >= 1 or <= 0 saturates and gets exactly zero gradient, the loss plateaus near 16, and the categorical form divides by a row sum of raw logits (sign flips, NaN at 0). No error is raised. Set from_logits=True.' },
  'integer-labels-with-categorical': { severity: 'error', message: (c) => `CategoricalCrossentropy expects one-hot rows, but the labels are class indices. Keras raises: ValueError: Arguments \`target\` and \`output\` must have the same rank (ndim). Received: target.shape=(N,), output.shape=(N, ${n(c)}) (with (N, 1) labels: "must have the same shape"). Use SparseCategoricalCrossentropy, or one-hot encode the labels.` },
  'onehot-labels-with-sparse': { severity: 'error', message: (c) => `SparseCategoricalCrossentropy expects class indices, but the labels are rows of ${n(c)} values. Keras (TensorFlow backend) raises: ValueError: Argument \`output\` must have rank (ndim) \`target.ndim - 1\`. Received: target.shape=(N, ${n(c)}), output.shape=(N, ${n(c)}). Use CategoricalCrossentropy, or pass argmax(y, axis=-1).` },
  'softmax-on-multilabel': { severity: 'warning', message: () => 'A softmax (or a categorical loss) on multi-label targets trains silently, but the classes compete: with k positives the loss cannot go below k log k, and TensorFlow\'s gradient softmax - y is not even the derivative of the reported loss. Use a sigmoid per class (or logits) with BinaryCrossentropy.' },
  'sigmoid-on-exclusive': { severity: 'warning', message: () => 'Sigmoid outputs with binary cross-entropy on exclusive classes train silently, but as independent detectors: the probabilities do not sum to 1, the loss is averaged over the classes (scaled by 1/C) and adds -log(1 - p) terms for every negative class. Use a softmax over the classes (or logits) with a categorical loss.' },
  'single-unit-softmax': { severity: 'error', message: (c) => `${c.output === 'logits' ? 'A categorical loss on a one-column output normalises over that single column, so the probability it works with' : 'A softmax over one unit (or a categorical loss on a one-column output)'} is constantly 1: from logits the loss is always 0, from probabilities Keras clips it to 0.99999988 and the loss is a constant 1.19e-7 times the label, and Keras only emits a SyntaxWarning ("expected y_pred.shape to be (batch_size, num_classes) with num_classes > 1"). It runs, but the loss never changes and nothing is learned. Use one unit with a sigmoid (or a logit) and BinaryCrossentropy, or one unit per class.` },
  'binary-labels-with-categorical': { severity: 'error', message: (c) => `CategoricalCrossentropy needs labels shaped like the output, (N, ${c.outputUnits > 1 ? c.outputUnits : 2}), but 0/1 labels are one value per example, (N, 1) or (N,). Keras raises: ValueError: Arguments \`target\` and \`output\` must have the same shape. Received: target.shape=(N, 1), output.shape=(N, ${c.outputUnits > 1 ? c.outputUnits : 2}). Use SparseCategoricalCrossentropy (the 0/1 value is the class index), one-hot encode the labels, or use one output unit with BinaryCrossentropy.` },
  'binary-one-hot': { severity: 'info', message: () => 'Two one-hot columns for a binary problem: either keep two output units with a softmax (or logits) and CategoricalCrossentropy, or keep one unit with a sigmoid (or a logit) and BinaryCrossentropy on the positive-class column y[:, 1]. Both give the same loss; the second halves the output layer.' },
  'label-out-of-range': { severity: 'error', message: (c) => `Labels span [${c.labelRange[0]}, ${c.labelRange[1]}] but the valid class indices are [0, ${c.classes})${c.labelRange[0] === 1 && c.labelRange[1] === c.classes ? ' (these look 1-based: subtract 1)' : ''}. TensorFlow on CPU raises "InvalidArgumentError: Received a label value of ${c.labelRange[1] >= c.classes ? c.labelRange[1] : c.labelRange[0]} which is outside the valid range of [0, ${c.classes})"; on GPU or under XLA the loss and the whole gradient row are NaN and training continues; Keras on JAX gives loss 0 silently; PyTorch raises "Target ... is out of bounds". Remap the labels, widen the last layer, or pass the void value as ignore_class.` },
  'labels-not-in-0-1': { severity: 'error', message: (c) => `Binary targets must lie in [0, 1], but they span [${c.labelRange[0]}, ${c.labelRange[1]}] (-1/+1 labels?). Keras raises nothing: with logits the loss for y = -1 is unbounded below and training diverges to -infinity. Map the labels with (y + 1) / 2.` },
  'unstable-hand-written-loss': { severity: 'warning', message: () => 'A hand-written -sum(y * log(p)) gives log(0) = -Infinity and then NaN (0 * -Infinity) as soon as a probability underflows to 0, and its gradient 1/p explodes before that. Use the library loss from the logits, which computes log-softmax (or log-sigmoid) stably.' },
  imbalance: { severity: 'info', message: (c) => (c.family === 'binary' && c.problem === 'multilabel'
    ? 'Imbalanced labels: keep the recommended loss and up-weight each label\'s positives with its own pos_weight = n_neg / n_pos: tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=z, pos_weight=[w_0, ..., w_C-1]) (in Keras, inside a custom loss), nn.BCEWithLogitsLoss(pos_weight=torch.tensor([w_0, ...])); xent: weightedCrossEntropyWithLogits takes one pos_weight, so call it per label column or weight the examples with sampleWeight. Keras\' class_weight gives each example the weight of one class (the argmax of its multi-hot row), which does not fit multi-label targets. Focal loss (BinaryFocalCrossentropy(gamma=2.0)) is the alternative when easy negatives dominate; with apply_class_balancing=True its alpha weights the positives and 1 - alpha the negatives, so alpha=0.25 down-weights the rare positives.'
    : c.family === 'binary'
    ? `Imbalanced classes: keep the recommended loss and weight the rare class. Keras: model.fit(..., class_weight={0: 1.0, 1: n_neg / n_pos}); tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=z, pos_weight=n_neg / n_pos) and nn.BCEWithLogitsLoss(pos_weight=torch.tensor([n_neg / n_pos])) weight the positive term only, which on 0/1 labels is the same thing; xent: classWeight: [1, n_neg / n_pos] (or weightedCrossEntropyWithLogits). Focal loss is the alternative for extreme imbalance with many easy negatives (dense detection): BinaryFocalCrossentropy(gamma=2.0) down-weights well-classified examples; with apply_class_balancing=True, alpha is the weight of the positive class and 1 - alpha of the negatives, so alpha=0.25 (the detection paper's choice, tuned together with gamma=2) down-weights the rare positives, and alpha above 0.5 up-weights them.`
    : `Imbalanced classes: keep the recommended loss and weight the classes about inversely to their frequency: model.fit(..., class_weight={class: weight}) (xent: classWeight; PyTorch: nn.CrossEntropyLoss(weight=torch.tensor([...]))). Keras divides the weighted sum by the batch size, PyTorch's default mean by the sum of the weights, so the two report different numbers for the same weights (the gradients differ by a per-batch factor). CategoricalFocalCrossentropy(gamma=2.0) is the alternative when many easy examples drown the hard ones; its alpha is one number for every class, so it scales the loss and does not rebalance classes.`) },
  'huge-vocabulary': { severity: 'info', message: (c) => `With tens of thousands of classes the full softmax dominates training time: train with tf.nn.sampled_softmax_loss or tf.nn.nce_loss (in xent: sampledSoftmaxLoss and nceLoss, with logUniformCandidateSampler and sparse gradients for the touched weight rows; they need the last layer's weights and inputs, and the classes sorted by frequency for the default log-uniform sampler), and evaluate with the full softmax loss recommended here, since the sampled losses are biased estimates.${c.labels === 'onehot' || c.labels === 'soft' ? ' Store integer labels, not one-hot rows: a one-hot row costs 4 bytes per class.' : ''}` },
  'label-noise': { severity: 'info', message: (c) => (c.family === 'sparse'
    ? 'Noisy labels: label smoothing (e.g. 0.1) helps, but Keras\' SparseCategoricalCrossentropy has no label_smoothing (passing it is a TypeError): one-hot encode the labels and use CategoricalCrossentropy(label_smoothing=0.1), or in PyTorch nn.CrossEntropyLoss(label_smoothing=0.1).'
    : 'Noisy labels: label smoothing 0.1 is included in the recommendation (Keras binary: y(1 - s) + s/2; categorical: y(1 - s) + s/C).') },
  distillation: { severity: 'info', message: () => 'Distillation: train on the teacher\'s soft targets with keras.distillation.LogitsDistillation(temperature=3.0) (xent logitsDistillation): T^2 KL(softmax(teacher / T) || softmax(student / T)), T between 2 and 5 usually; Keras\' Distiller mixes it with the hard-label loss recommended here as student_loss_weight * hard + (1 - student_loss_weight) * distillation (default 0.5). PyTorch: T**2 * F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1), reduction="batchmean").' },
  padding: { severity: 'info', message: (c) => (c.family === 'sparse'
    ? `Label ${c.paddingLabel} marks padding: ignore_class=${c.paddingLabel} (Keras, xent ignoreClass) or ignore_index=${c.paddingLabel} (PyTorch) gives those positions loss 0 and removes them from the mean. tf.nn and TF.js have no such option: multiply by a 0/1 mask and divide by its sum.`
    : 'Only the sparse losses have ignore_class: with dense labels pass a sample_weight of 0 at padding positions (and note that the default reduction still divides by every position).') },
  'dense-targets': { severity: 'info', message: () => 'Per-pixel or per-token labels: Keras and tf.nn take the classes on the last axis, (N, H, W, C) logits with (N, H, W) indices; PyTorch wants the classes on axis 1, (N, C, H, W), so permute; TF.js softmaxCrossEntropy supports only the last axis and uses shape[1] as the class count for label smoothing, so flatten to (N*H*W, C) first.' },
  'prefer-logits': { severity: 'info', message: () => 'Probability-space losses clip predictions to [1e-7, 1 - 1e-7], so confident mistakes are capped (about 16.1) and get exactly zero gradient. Removing the last activation and passing from_logits=True is the numerically stable form; add the activation back at prediction time.' },
  'labels-contradict-problem': { severity: 'error', message: (c) => ({
    multihot: 'Multi-hot labels allow several classes per example, which contradicts exclusive classes: if several can be 1 the problem is multi-label; if exactly one is, the labels are one-hot.',
    integer: 'One class index per example cannot express several labels: encode each example\'s classes as a multi-hot row (or, if there is always exactly one, the problem is multi-class).',
    onehot: 'One-hot rows have exactly one positive per example: if that is always so, the classes are exclusive and the multi-class setup (softmax cross-entropy) fits better.',
    binary01: 'A single 0/1 value per example only names class 0 or 1: with more classes the labels must be class indices (integer) or one-hot rows.',
  })[c.labels] ?? 'The label encoding does not fit the declared problem.' },
  'units-mismatch': { severity: 'error', message: (c) => `The last layer has ${c.outputUnits} unit${c.outputUnits === 1 ? '' : 's'} but ${c.problem === 'binary' ? 'a binary problem takes 1 (sigmoid or logit) or 2 (softmax)' : `there are ${c.numClasses} classes`}: the loss raises a shape error, or, for sparse labels, silently treats missing classes as out of range.` },
  'sparse-label-smoothing': { severity: 'error', message: () => 'SparseCategoricalCrossentropy takes no label_smoothing: Keras raises TypeError: __init__() got an unexpected keyword argument \'label_smoothing\'. One-hot encode the labels and use CategoricalCrossentropy(label_smoothing=...), or nn.CrossEntropyLoss(label_smoothing=...) in PyTorch.' },
  'tfjs-sparse-from-logits': { severity: 'error', message: () => 'TF.js\' layers sparseCategoricalCrossentropy clips its input to [1e-7, 1 - 1e-7] before looking at fromLogits, so with fromLogits=true real logits are squashed first: a wrong loss and no error. Use tf.losses.softmaxCrossEntropy(tf.oneHot(labels, numClasses), logits).' },
  'positional-arguments': { severity: 'warning', message: () => 'tf.nn cross-entropy ops take (labels, logits) in that order; called positionally as f(logits, labels) they silently swap them (the dense ops give wrong numbers, the sparse op a dtype error), and older TF refuses positional calls. Always call them as f(labels=y, logits=z).' },
  'nll-without-log': { severity: 'error', message: () => 'nn.NLLLoss expects log-probabilities: on softmax probabilities it computes -p[y], which is bounded and nearly flat. Apply torch.log (better: use log_softmax, or drop the softmax and use nn.CrossEntropyLoss).' },
  'sampled-current-loss': { severity: 'info', message: () => 'tf.nn.sampled_softmax_loss and tf.nn.nce_loss train against a sample of the classes (they take the last layer\'s weights and inputs, not its logits): they are biased estimates meant for training with a huge vocabulary. Report and evaluate with the full loss recommended here.' },
  'unknown-current-loss': { severity: 'info', message: (c) => `The current loss "${c.currentLoss}" is not one this recommender knows, so it was not checked.` },
  'declared-contradicts-data': { severity: 'warning', message: (c) => `The data does not look like the declared encoding: ${c.contradictions.join('; ')}. The recommendation follows the declared encoding; check which one is right.` },
  'nonfinite-data': { severity: 'error', message: (c) => `The data holds ${c.inspection.labelNonfinite} non-finite label value(s) and ${c.inspection.predNonfinite} non-finite prediction value(s) (NaN or Infinity): they propagate to those examples' losses and to the mean.` },
  'inconsistent-rows': { severity: 'warning', message: (c) => `${c.inspection.rowsBreakingLabelPattern} row(s) break the label pattern (${c.inspection.labels}) and ${c.inspection.rowsBreakingOutputPattern} row(s) the output pattern (${c.inspection.output}).` },
});

const KNOWN = ['problem', 'labels', 'output', 'fromLogits', 'framework', 'currentLoss', 'outputUnits',
  'numClasses', 'labelRange', 'imbalanced', 'noisyLabels', 'distillation', 'hugeVocabulary', 'paddingLabel',
  'denseTargets', 'inspection', 'yTrue', 'yPred', 'shape'];
const list = (a) => a.map((v) => `'${v}'`).join(', ');
const show = (v) => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

function oneOf(s, key, allowed, required) {
  const v = s[key];
  if (v === undefined) {
    if (required) throw new TypeError(`situation.${key} is required: one of ${list(allowed)}`);
    return;
  }
  if (typeof v !== 'string') throw new TypeError(`situation.${key} must be a string, one of ${list(allowed)}; got ${typeof v}`);
  if (!allowed.includes(v)) throw new RangeError(`situation.${key} must be one of ${list(allowed)}; got ${show(v)}`);
}

function validate(s) {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new TypeError(`situation must be an object; got ${s === null ? 'null' : Array.isArray(s) ? 'an array' : typeof s}`);
  for (const k of Object.keys(s)) {
    if (!KNOWN.includes(k)) throw new RangeError(`situation.${k} is not a known field; known fields: ${KNOWN.join(', ')}`);
  }
  const inferred = s.inspection !== undefined || (s.yTrue !== undefined && s.yPred !== undefined);
  oneOf(s, 'problem', PROBLEMS, !inferred);
  oneOf(s, 'labels', LABELS, !inferred);
  oneOf(s, 'output', OUTPUTS, !inferred);
  oneOf(s, 'framework', FRAMEWORKS, false);
  for (const k of ['fromLogits', 'imbalanced', 'noisyLabels', 'distillation', 'hugeVocabulary', 'denseTargets']) {
    if (s[k] !== undefined && typeof s[k] !== 'boolean') throw new TypeError(`situation.${k} must be true or false; got ${show(s[k])}`);
  }
  if (s.currentLoss !== undefined && (typeof s.currentLoss !== 'string' || !s.currentLoss.trim())) throw new TypeError(`situation.currentLoss must be a non-empty string (the loss as written, or 'custom'); got ${show(s.currentLoss)}`);
  for (const k of ['outputUnits', 'numClasses']) {
    const v = s[k];
    if (v === undefined) continue;
    if (typeof v !== 'number') throw new TypeError(`situation.${k} must be a positive integer; got ${typeof v}`);
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`situation.${k} must be a positive integer; got ${v}`);
  }
  if (s.paddingLabel !== undefined) {
    if (typeof s.paddingLabel !== 'number') throw new TypeError(`situation.paddingLabel must be an integer; got ${typeof s.paddingLabel}`);
    // It becomes the losses' ignoreClass, an int32 class index (args.js checks the same range).
    if (!Number.isInteger(s.paddingLabel) || s.paddingLabel < -2147483648 || s.paddingLabel > 2147483647) {
      throw new RangeError(`situation.paddingLabel must be an integer from -2147483648 to 2147483647 (it becomes ignoreClass, an int32 class index); got ${s.paddingLabel}`);
    }
  }
  if (s.labelRange !== undefined) {
    const r = s.labelRange;
    if (!Array.isArray(r) || r.length !== 2 || r.some((v) => typeof v !== 'number')) throw new TypeError(`situation.labelRange must be [min, max], two numbers; got ${show(r)}`);
    if (!r.every(Number.isFinite) || r[0] > r[1]) throw new RangeError(`situation.labelRange must be [min, max] with finite min <= max; got [${r.join(', ')}]`);
  }
  if (s.inspection !== undefined && (s.inspection === null || typeof s.inspection !== 'object')) throw new TypeError('situation.inspection must be the object returned by xent.inspect()');
}

/* What the user's current loss is: kind (binary | categorical | sparse |
 * torch-ce | custom | auto | unknown), the space it expects (logits | probs |
 * logprobs), and the quirks read from its arguments. */
export function parseCurrentLoss(text, framework) {
  const compact = text.replace(/\s+/g, '').replace(/^(['"`])(.*)\1$/, '$2');
  const low = compact.toLowerCase();
  const args = (compact.match(/\((.*)\)$/) || [])[1] ?? '';
  const argsLow = args.toLowerCase();
  const fromArg = /from_?logits[=:]true/.test(argsLow) ? true : /from_?logits[=:]false/.test(argsLow) ? false : undefined;
  const name = low.replace(/\(.*$/, '').split('.').pop();
  const out = { kind: 'unknown', space: undefined, fromLogitsArg: fromArg, smoothing: /label_?smoothing/.test(argsLow), positional: false, tfjs: false };
  const keras = (kind) => Object.assign(out, { kind, space: fromArg ? 'logits' : fromArg === false ? 'probs' : undefined });
  if (name === 'custom' || (/log\(/.test(low) && !/entropy|nll|bce|loss\(/.test(name))) return Object.assign(out, { kind: 'custom' });
  switch (name) {
    case 'binarycrossentropy': case 'binary_crossentropy': case 'bce':
    case 'binaryfocalcrossentropy': case 'binary_focal_crossentropy': return keras('binary');
    case 'categoricalcrossentropy': case 'categorical_crossentropy':
    case 'categoricalfocalcrossentropy': case 'categorical_focal_crossentropy': return keras('categorical');
    case 'sparsecategoricalcrossentropy': case 'sparse_categorical_crossentropy':
      keras('sparse');
      out.tfjs = framework === 'tfjs' || /^tf\.(metrics|losses)\.sparsecat|dist\/losses/.test(low) || /sparseCategoricalCrossentropy/.test(compact);
      if (out.tfjs && /,true\)?$/.test(argsLow)) Object.assign(out, { fromLogitsArg: true, space: 'logits' });
      return out;
    case 'crossentropy': case 'ce': return Object.assign(out, { kind: 'auto' });
    case 'sigmoid_cross_entropy_with_logits': case 'weighted_cross_entropy_with_logits':
    case 'sigmoid_cross_entropy': case 'sigmoidcrossentropy':
    case 'bcewithlogitsloss': case 'binary_cross_entropy_with_logits': Object.assign(out, { kind: 'binary', space: 'logits' }); break;
    case 'softmax_cross_entropy_with_logits': case 'softmax_cross_entropy_with_logits_v2':
    case 'softmax_cross_entropy': case 'softmaxcrossentropy': Object.assign(out, { kind: 'categorical', space: 'logits' }); break;
    case 'sparse_softmax_cross_entropy_with_logits': case 'sparse_softmax_cross_entropy': Object.assign(out, { kind: 'sparse', space: 'logits' }); break;
    case 'crossentropyloss': case 'cross_entropy': return Object.assign(out, { kind: 'torch-ce', space: 'logits' });
    case 'bceloss': case 'binary_cross_entropy': case 'log_loss': case 'logloss': return Object.assign(out, { kind: 'binary', space: 'probs' });
    case 'nllloss': case 'nll_loss': return Object.assign(out, { kind: 'sparse', space: 'logprobs' });
    case 'sigmoid_focal_loss': return Object.assign(out, { kind: 'binary', space: 'logits' });
    case 'kldivergence': case 'kl_divergence': case 'kld': case 'kullback_leibler_divergence': return Object.assign(out, { kind: 'kl', space: 'probs' });
    case 'kldivloss': case 'kl_div': return Object.assign(out, { kind: 'kl', space: 'logprobs' });
    case 'sampled_softmax_loss': case 'nce_loss': return Object.assign(out, { kind: 'sampled', space: 'logits' });
    default: return out;
  }
  out.positional = name.endsWith('with_logits') && args.includes(',') && !args.includes('=');
  return out;
}

function pyValue(v) {
  if (v === true) return 'True';
  if (v === false) return 'False';
  return typeof v === 'string' ? `'${v}'` : String(v);
}
const pyArgs = (args) => Object.entries(args).map(([k, v]) => `${k}=${pyValue(v)}`).join(', ');

/* { code } plus a note when there is something to say. */
function withNote(code, notes) {
  const note = notes.filter(Boolean).join(' ');
  return note ? { code, note } : { code };
}

/* Fill in the framework code of a loss recipe, with the options the flags add.
 * Imbalance keeps the recommended loss and adds class weights (model.fit's
 * class_weight, PyTorch weight= / pos_weight=); focal loss is offered as an
 * alternative by recommend(), never swapped in. */
function build(lossId, c) {
  const L = LOSSES[lossId];
  const imb = c.imbalanced === true;
  const binary = L.family === 'binary';
  const smooth = c.noisyLabels && L.family !== 'sparse' ? 0.1 : 0;
  const ignore = L.family === 'sparse' && c.paddingLabel !== undefined ? c.paddingLabel : undefined;
  const args = { ...L.keras.args };
  if (smooth) args.label_smoothing = smooth;
  if (ignore !== undefined) args.ignore_class = ignore;
  const keras = { className: L.keras.className, args, code: `keras.losses.${L.keras.className}(${pyArgs(args)})` };
  const multilabel = binary && c.problem === 'multilabel';
  if (imb && multilabel) {
    keras.note = 'Keras has no pos_weight and its class_weight gives each example the weight of one class (the argmax of the row), which does not fit multi-label targets: use tf.nn.weighted_cross_entropy_with_logits with one pos_weight per label in a custom loss.';
  } else if (imb) {
    keras.fit = binary ? 'model.fit(x, y, class_weight={0: 1.0, 1: n_neg / n_pos})' : 'model.fit(x, y, class_weight={0: w0, 1: w1, ...})';
    keras.note = binary
      ? 'class_weight gives each example the weight of its class; with 0/1 labels, weight 1 for negatives and n_neg / n_pos for positives equals pos_weight.'
      : 'class_weight gives each example the weight of its class (its index, or the argmax of its one-hot row), about inversely proportional to the class frequency.';
  }

  let tfnn = imb && binary && L.fromLogits ? `tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=z, pos_weight=${multilabel ? 'pos_weights' : 'n_neg / n_pos'})` : L.tfnn;
  const tfnnNotes = [L.tfnnNote, smooth ? 'Smooth the labels first: y * (1 - 0.1) + 0.1 / num_classes (binary: + 0.05).' : '', ignore !== undefined ? `Mask positions whose label is ${ignore}: multiply by tf.cast(y != ${ignore}, tf.float32) (after replacing those labels by 0) and divide by the mask's sum.` : '',
    imb && !(binary && L.fromLogits) ? 'Weight by class: multiply each example\'s loss by the weight of its class, tf.gather(class_weights, labels), before the mean.' : ''];
  if (c.paddingLabel !== undefined && L.family === 'sparse') tfnn = tfnn.replace('labels=y', `labels=tf.where(y == ${ignore}, 0, y)`);
  let tfjs = c.classes !== undefined ? L.tfjs.replace('numClasses', String(c.classes)) : L.tfjs;
  if (smooth && tfjs.startsWith('tf.losses.') && !tfjs.startsWith('tf.losses.logLoss')) tfjs = tfjs.replace(/\)$/, `, undefined, ${smooth})`);
  if (imb && tfjs.startsWith('tf.losses.')) tfjs = tfjs.replace(/\)$/, tfjs.includes('undefined') ? ')' : ', weights)').replace(', undefined,', ', weights,');
  const tfjsNotes = [L.tfjsNote, imb ? (multilabel ? 'weights: one per element, n_neg / n_pos of its label where y = 1, else 1 (TF.js has no pos_weight).' : tfjs.includes('weights') ? 'weights: one per example, the weight of its class (n_neg / n_pos for positives, 1 for negatives); or model.fit(x, y, { classWeight }).' : 'Weight by class with model.fit(x, y, { classWeight: {0: w0, 1: w1, ...} }).') : '',
    smooth && !tfjs.startsWith('tf.losses.softmax') && !tfjs.startsWith('tf.losses.sigmoid') ? 'Smooth y yourself: y * (1 - 0.1) + 0.1 / num_classes (binary: + 0.05).' : ''];
  const ptArgs = [];
  if (imb) ptArgs.push(multilabel ? 'pos_weight=torch.tensor([w_0, w_1, ...])' : binary ? 'pos_weight=torch.tensor([n_neg / n_pos])' : 'weight=torch.tensor([w0, w1, ...])');
  if (c.noisyLabels && L.pytorch === 'nn.CrossEntropyLoss()') ptArgs.push('label_smoothing=0.1');
  if (ignore !== undefined) ptArgs.push(`ignore_index=${ignore}`);
  const pytorch = { code: L.pytorch.replace('()', `(${ptArgs.join(', ')})`), note: [L.pytorchNote ?? 'Pass the logits (no activation in the model).',
    imb && !binary ? 'With weight=, PyTorch\'s mean divides by the sum of the weights of the batch\'s labels, Keras\' by the batch size: the numbers differ, the minimiser does not.' : '',
    smooth && L.family === 'binary' ? 'nn.BCEWithLogitsLoss has no label smoothing: use y * 0.9 + 0.05 as the target.' : '',
    c.denseTargets ? 'For per-pixel or per-token targets put the classes on axis 1: (N, C, H, W).' : ''].filter(Boolean).join(' ') };

  const options = { ...L.xent.options };
  if (smooth) options.labelSmoothing = smooth;
  if (ignore !== undefined) options.ignoreClass = ignore;
  const xent = { fn: L.xent.fn, options };
  if (imb) {
    xent.note = multilabel ? 'Per-label pos_weight: xent.weightedCrossEntropyWithLogits(y, z, posWeight) takes one number, so call it per label column (or weight examples with sampleWeight).'
      : binary ? 'Add classWeight: [1, n_neg / n_pos] (one weight per class).' : 'Add classWeight: [w0, w1, ...] (one weight per class).';
  }
  return {
    keras,
    tfnn: withNote(tfnn, tfnnNotes),
    tfjs: withNote(tfjs, tfjsNotes),
    pytorch,
    xent,
  };
}

/* The focal alternative for strong imbalance, with its alpha explained. */
function focalAlternative(lossId, row) {
  const L = LOSSES[lossId];
  const fl = L.fromLogits;
  if (L.family === 'binary') {
    return { summary: 'for extreme imbalance with many easy negatives: binary focal loss. gamma=2 down-weights well-classified examples; with apply_class_balancing=True, alpha weights the positives and 1 - alpha the negatives, so alpha=0.25 (the value tuned with gamma=2 in the detection paper) down-weights the rare positives and alpha > 0.5 up-weights them',
      keras: { className: 'BinaryFocalCrossentropy', args: { apply_class_balancing: true, alpha: 0.25, gamma: 2.0, from_logits: fl }, code: `keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.25, gamma=2.0, from_logits=${pyValue(fl)})` },
      xent: { fn: 'binaryFocalCrossentropy', options: { applyClassBalancing: true, alpha: 0.25, gamma: 2, fromLogits: fl } }, activation: row.activation, labelTransform: null };
  }
  return { summary: 'for strong imbalance where easy examples dominate: categorical focal loss on one-hot labels. gamma=2 down-weights well-classified examples; its alpha is one number for every class, so it scales the loss and does not rebalance the classes (class weights do)',
    keras: { className: 'CategoricalFocalCrossentropy', args: { alpha: 0.25, gamma: 2.0, from_logits: fl }, code: `keras.losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=${pyValue(fl)})` },
    xent: { fn: 'categoricalFocalCrossentropy', options: { alpha: 0.25, gamma: 2, fromLogits: fl } }, activation: row.activation, labelTransform: L.family === 'sparse' ? { id: 'onehot', text: TRANSFORMS.onehot } : null };
}

/* Labels and output as the data shows them, compared with the declaration. */
function readInspection(s, c, add) {
  const ins = s.inspection;
  const bad = [];
  /* Data encodings that are special cases of each declared one. */
  const fit = { binary01: ['binary01'], integer: ['integer', 'binary01'], onehot: ['onehot'],
    soft: ['soft', 'onehot', 'binary01'], multihot: ['multihot', 'onehot', 'binary01'] };
  if (ins.labels && ins.labels !== 'unknown' && !fit[c.labels].includes(ins.labels)) bad.push(`labels declared ${c.labels} but look ${ins.labels}`);
  if (ins.output && ins.output !== 'unknown' && ins.output !== c.output &&
      !(c.output === 'softmax' && ins.output === 'sigmoid' && ins.classes === 1)) {
    bad.push(`output declared ${c.output} but looks like ${ins.output === 'logits' ? 'unbounded logits' : `${ins.output} probabilities`}`);
  }
  if (bad.length) add('declared-contradicts-data', { contradictions: bad });
  const effFromLogits = s.fromLogits ?? c.output === 'logits';
  if (effFromLogits && (ins.output === 'sigmoid' || ins.output === 'softmax') && c.output === 'logits') add('double-activation', { output: ins.output });
  if (!effFromLogits && ins.output === 'logits' && c.output !== 'logits') add('logits-treated-as-probabilities');
  if (ins.labelNonfinite || ins.predNonfinite) add('nonfinite-data');
  if (ins.rowsBreakingLabelPattern || ins.rowsBreakingOutputPattern) add('inconsistent-rows');
}

function checkRanges(s, c, add) {
  const range = s.labelRange ?? s.inspection?.labelRange;
  if (!range) return;
  const [lo, hi] = range;
  const pad = s.paddingLabel;
  /* A padding value at an end of the range hides the real end: check the other. */
  const checkLo = pad !== lo, checkHi = pad !== hi;
  /* A range read from the data is judged by the encoding the data shows. */
  const labels = s.labelRange === undefined && LABELS.includes(s.inspection.labels) ? s.inspection.labels : c.labels;
  const zeroOne = c.problem === 'binary' || labels !== 'integer';
  if (zeroOne) {
    if ((checkLo && lo < 0) || (checkHi && hi > 1)) add('labels-not-in-0-1', { labelRange: range });
    return;
  }
  const classes = s.numClasses ?? s.outputUnits ?? s.inspection?.classes;
  if ((checkLo && lo < 0) || (checkHi && classes !== undefined && hi >= classes)) add('label-out-of-range', { labelRange: range, classes: classes ?? 'C' });
}

function checkCurrentLoss(s, c, add) {
  const cur = parseCurrentLoss(s.currentLoss, s.framework);
  c.current = cur;
  if (cur.kind === 'unknown') return add('unknown-current-loss');
  if (cur.kind === 'custom') return add('unstable-hand-written-loss');
  if (cur.kind === 'sampled') return add('sampled-current-loss');
  /* A Keras-style loss takes probabilities unless from_logits says otherwise;
   * the *_with_logits ops, nn.CrossEntropyLoss and friends always take logits. */
  const space = cur.space ?? (cur.kind === 'auto' ? undefined : s.fromLogits === true ? 'logits' : 'probs');
  if (space === 'logits' && c.output !== 'logits') add('double-activation');
  if (space === 'probs' && c.output === 'logits') add('logits-treated-as-probabilities');
  if (space === 'logprobs') add(c.output === 'logits' ? 'logits-treated-as-probabilities' : 'nll-without-log');
  if ((cur.kind === 'categorical' || cur.kind === 'kl') && c.labels === 'integer' && c.problem !== 'multilabel') add('integer-labels-with-categorical');
  if (cur.kind === 'categorical' && c.labels === 'binary01' && (s.outputUnits ?? (c.output === 'softmax' ? 2 : 1)) >= 2) add('binary-labels-with-categorical', { outputUnits: s.outputUnits ?? 2 });
  if (cur.kind === 'sparse' && ['onehot', 'soft', 'multihot'].includes(c.labels)) add('onehot-labels-with-sparse');
  if (['categorical', 'sparse', 'torch-ce', 'kl'].includes(cur.kind) && c.problem === 'multilabel') add('softmax-on-multilabel');
  if (cur.kind === 'binary' && c.problem === 'multiclass') add('sigmoid-on-exclusive');
  if ((cur.kind === 'categorical' || cur.kind === 'kl') && s.outputUnits === 1) add('single-unit-softmax');
  if (cur.kind === 'sparse' && cur.smoothing) add('sparse-label-smoothing');
  if (cur.kind === 'sparse' && cur.tfjs && (cur.fromLogitsArg || s.fromLogits)) add('tfjs-sparse-from-logits');
  if (cur.positional) add('positional-arguments');
}

/* What the explanation says about the user's own from_logits (undefined:
 * not given, nothing to say). `wanted` is what the recommended loss takes. */
function fromLogitsSentence(s, wanted) {
  if (s.fromLogits === undefined) return '';
  const yours = `Your from_logits=${s.fromLogits ? 'True' : 'False'}`;
  if (s.fromLogits && s.output !== 'logits') return `${yours} applies a second ${s.output === 'sigmoid' ? 'sigmoid' : 'softmax'} to outputs that already went through one: set from_logits=False, or drop the ${s.output} and keep from_logits=True.`;
  if (!s.fromLogits && s.output === 'logits') return `${yours} makes the loss read raw logits as probabilities (Keras clips them to [1e-7, 1 - 1e-7]): set from_logits=True.`;
  return s.fromLogits === wanted ? `${yours} matches the ${s.output === 'logits' ? 'raw logits' : `${s.output} probabilities`} the model outputs.`
    : `${yours} matches your ${s.output} output; the recommended setup ${wanted ? 'drops the activation and sets from_logits=True' : 'keeps probabilities with from_logits=False'}.`;
}

/* The inspection's verdict stands in for undeclared fields. */
function fillFromInspection(s) {
  const ins = s.inspection;
  if (!ins) return s;
  const f = { ...s };
  if (f.labels === undefined && LABELS.includes(ins.labels)) f.labels = ins.labels;
  if (f.output === undefined && OUTPUTS.includes(ins.output)) f.output = ins.output;
  if (f.problem === undefined) {
    f.problem = f.labels === 'multihot' ? 'multilabel' : f.labels === 'binary01' || (ins.classes === 1) ? 'binary'
      : f.labels === 'integer' && ins.labelRange && ins.labelRange[1] <= 1 && ins.classes <= 2 ? 'binary' : 'multiclass';
  }
  for (const k of ['problem', 'labels', 'output']) {
    if (f[k] === undefined) throw new TypeError(`situation.${k} is required: the data did not show it (inspection says ${show(ins[k] ?? 'unknown')}); declare one of ${list(k === 'problem' ? PROBLEMS : k === 'labels' ? LABELS : OUTPUTS)}`);
  }
  return f;
}

/* The alternatives from the wider family (docs/semantics.md "New losses"):
 * poly-1 for exclusive classes from logits, generalized cross-entropy for
 * noisy labels, logits distillation when a teacher's soft targets are used. */
function moreLosses(s, row, family) {
  const out = [];
  if (s.problem !== 'multiclass' || row.labels === 'multihot' || row.verdict === 'invalid' || row.verdict === 'mismatch') return out;
  const logits = row.output === 'logits';
  const onehot = family === 'sparse' ? { id: 'onehot', text: TRANSFORMS.onehot } : null;
  if (logits) {
    out.push({ summary: 'poly-1: cross-entropy plus epsilon (1 - p_t) (Optax; no Keras class), a drop-in that often helps classification', keras: { className: null, args: { epsilon: 2.0 }, code: 'optax.poly_loss_cross_entropy(logits, labels, epsilon=2.0)' }, xent: { fn: 'polyLossCrossentropy', options: { epsilon: 2 } }, activation: row.activation, labelTransform: onehot });
  }
  if (s.noisyLabels && row.labels !== 'soft') {
    out.push({ summary: 'for noisy labels: generalized cross-entropy (q = 0.5; q near 0 is cross-entropy, near 1 mean absolute error), on softmax probabilities', keras: { className: 'CategoricalGeneralizedCrossEntropy', args: { q: 0.5 }, code: 'keras.losses.CategoricalGeneralizedCrossEntropy(q=0.5)' }, xent: { fn: 'categoricalGeneralizedCrossentropy', options: { q: 0.5, fromLogits: logits } }, activation: 'softmax, one unit per class (Keras; xent also takes logits)', labelTransform: family === 'sparse' ? null : { id: 'argmax', text: TRANSFORMS.argmax } });
  }
  if (s.distillation) {
    out.push({ summary: "distillation from a teacher's logits (temperature 3, mixed with the hard-label loss)", keras: { className: 'LogitsDistillation', args: { temperature: 3.0 }, code: 'keras.distillation.LogitsDistillation(temperature=3.0)' }, xent: { fn: 'logitsDistillation', options: { temperature: 3 } }, activation: LINC_TEXT, labelTransform: null });
  }
  return out;
}
const LINC_TEXT = 'no activation, one unit per class (teacher and student logits)';

/* Flat labels and flat predictions of the same length are one prediction per
 * example, [n, 1] (the API alone would read a flat yPred as one row). */
const flat = (v) => ArrayBuffer.isView(v) || (Array.isArray(v) && !Array.isArray(v[0]));
function columnShape(yTrue, yPred) {
  return flat(yTrue) && flat(yPred) && yTrue.length === yPred.length && yPred.length > 1 ? [yPred.length, 1] : undefined;
}

/* recommend(situation[, { inspect }]): the recommendation for a situation (see
 * index.d.ts). When the situation carries yTrue/yPred instead of
 * an inspection, `inspect(yTrue, yPred, { shape })` (the wasm-backed
 * inspector, injected by js/index.js) is called first. */
export function recommend(situation, { inspect } = {}) {
  validate(situation);
  let s = situation;
  if ((s.yTrue !== undefined || s.yPred !== undefined) && s.inspection === undefined) {
    if (s.yTrue === undefined || s.yPred === undefined) throw new TypeError('situation.yTrue and situation.yPred must be given together');
    if (typeof inspect !== 'function') throw new TypeError('situation.yTrue/yPred need the data inspector: call xent.recommend from the package entry after await xent.init()');
    s = { ...s, inspection: inspect(s.yTrue, s.yPred, { shape: s.shape ?? columnShape(s.yTrue, s.yPred) }) };
  }
  s = fillFromInspection(s);
  const units = s.outputUnits ?? (s.inspection && s.inspection.classes);
  const row = resolve(s.problem, s.labels, s.output, units);
  const family = LOSSES[row.loss].family;
  const c = { ...s, family, classes: s.numClasses ?? units };
  const found = new Map();
  const add = (id, extra = {}, severity = WARNINGS[id].severity) => {
    const prev = found.get(id);
    if (prev && rank(prev.severity) <= rank(severity)) return;
    const message = WARNINGS[id].message({ ...c, ...extra });
    found.set(id, { id, severity, message });
  };
  for (const wr of row.warnings) add(wr.id, {}, wr.severity);
  if (s.fromLogits === true && s.output !== 'logits') add('double-activation');
  if (s.fromLogits === false && s.output === 'logits') add('logits-treated-as-probabilities');
  if (s.currentLoss !== undefined) checkCurrentLoss(s, c, add);
  checkRanges(s, c, add);
  if (units !== undefined) {
    if (s.problem === 'binary' && units > 2) add('units-mismatch', { outputUnits: units });
    if (s.problem !== 'binary' && s.numClasses !== undefined && units !== s.numClasses && units !== 1) add('units-mismatch', { outputUnits: units });
  } else if (s.problem === 'binary' && s.numClasses > 2) add('units-mismatch', { outputUnits: s.numClasses });
  if (s.inspection) readInspection(s, c, add);
  if (s.imbalanced) add('imbalance');
  if (s.hugeVocabulary) add('huge-vocabulary');
  if (s.noisyLabels) add('label-noise');
  if (s.distillation) add('distillation');
  if (s.paddingLabel !== undefined) add('padding');
  if (s.denseTargets) add('dense-targets');

  const code = build(row.loss, c);
  const lead = s.framework ?? 'keras';
  const order = [lead, ...FRAMEWORKS.filter((f) => f !== lead)];
  const warnings = [...found.values()].sort((a, b) => rank(a.severity) - rank(b.severity));
  const alternatives = row.alternatives.map((a) => {
    const b = build(a.loss, c);
    const t = a.labelTransform ?? null;
    return { summary: a.summary, keras: b.keras, xent: b.xent, activation: a.activation ?? row.activation, labelTransform: t ? { id: t, text: TRANSFORMS[t] } : null };
  });
  if (s.imbalanced) alternatives.push(focalAlternative(row.loss, row));
  alternatives.push(...moreLosses(s, row, family));
  const change = row.change ?? (row.labelTransform ? `labels: ${TRANSFORMS[row.labelTransform]}` : null);
  const verdict = verdictOf(warnings, change);
  const sentences = [row.why];
  const fl = fromLogitsSentence(s, LOSSES[row.loss].fromLogits);
  if (fl) sentences.push(fl);
  if (row.change) sentences.push(`To fix it: ${row.change}.`);
  sentences.push(`Last layer: ${row.activation}${row.labelTransform ? `; labels: ${TRANSFORMS[row.labelTransform]}` : ''}.`);
  return {
    ...code,
    activation: row.activation,
    units: row.units,
    explanation: sentences.join(' '),
    alternatives,
    warnings,
    lead,
    order,
    verdict,
    verdictText: verdictText(verdict, warnings, change),
    change,
    labelTransform: row.labelTransform ? { id: row.labelTransform, text: TRANSFORMS[row.labelTransform] } : null,
    row: row.key,
    ...(s.currentLoss !== undefined ? { currentLoss: { text: s.currentLoss, recognised: c.current.kind !== 'unknown', kind: c.current.kind } } : {}),
    situation: { problem: s.problem, labels: s.labels, output: s.output },
  };
}
