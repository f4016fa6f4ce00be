/* decision-table.js: which cross-entropy loss for which problem, label encoding
 * and model output, as data (docs/semantics.md section 7.1 for the correct choices,
 * 7.2 for the mistakes). Every one of the 3 x 5 x 3 = 45 combinations is a row,
 * the invalid ones included: those say what to change. Read by recommend.js,
 * by scripts/gen-choosing.js (docs/choosing.md) and by the explorer. Pure data
 * and two lookup helpers; no wasm. */

export const PROBLEMS = Object.freeze(['binary', 'multiclass', 'multilabel']);
export const LABELS = Object.freeze(['binary01', 'integer', 'onehot', 'soft', 'multihot']);
export const OUTPUTS = Object.freeze(['logits', 'sigmoid', 'softmax']);
export const FRAMEWORKS = Object.freeze(['keras', 'tfnn', 'tfjs', 'pytorch']);

/* Plain-words names, for docs and the CLI. */
export const NAMES = Object.freeze({
  binary: 'binary (two exclusive classes)',
  multiclass: 'multi-class (one of N exclusive classes)',
  multilabel: 'multi-label (any subset of N classes)',
  binary01: '0/1 scalar per example',
  integer: 'integer class index',
  onehot: 'one-hot rows',
  soft: 'soft rows (probabilities)',
  multihot: 'multi-hot rows (0/1 per class)',
  logits: 'logits (no activation)',
  sigmoid: 'sigmoid probabilities',
  softmax: 'softmax probabilities',
});

/* The losses a row can name. `fromLogits` is what the recipe expects of the
 * model output; `keras` is a Keras 3 class (keras.losses.*) with its
 * constructor arguments; tfnn/tfjs/pytorch are code templates over y (labels),
 * z (logits) and p (probabilities); `xent` is the JS API function. */
export const LOSSES = Object.freeze({
  'bce-logits': {
    family: 'binary', fromLogits: true,
    keras: { className: 'BinaryCrossentropy', args: { from_logits: true } },
    tfnn: 'tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)',
    tfjs: 'tf.losses.sigmoidCrossEntropy(y, z)',
    pytorch: 'nn.BCEWithLogitsLoss()',
    xent: { fn: 'binaryCrossentropy', options: { fromLogits: true } },
  },
  'bce-probs': {
    family: 'binary', fromLogits: false,
    keras: { className: 'BinaryCrossentropy', args: {} },
    tfnn: 'tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)',
    tfnnNote: 'tf.nn has no op on probabilities: pass the pre-sigmoid values z.',
    tfjs: 'tf.losses.logLoss(y, p)',
    tfjsNote: 'tf.losses.logLoss is the reduced binary cross-entropy on probabilities; it adds epsilon 1e-7 inside the logs where Keras clips p to [1e-7, 1 - 1e-7], which differs only within 1e-7 of 0 or 1.',
    pytorch: 'nn.BCEWithLogitsLoss()',
    pytorchNote: 'Remove the final sigmoid from the model: nn.BCEWithLogitsLoss applies it inside, stably (nn.BCELoss on probabilities also works but clamps log at -100).',
    xent: { fn: 'binaryCrossentropy', options: { fromLogits: false } },
  },
  'cce-logits': {
    family: 'categorical', fromLogits: true,
    keras: { className: 'CategoricalCrossentropy', args: { from_logits: true } },
    tfnn: 'tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)',
    tfjs: 'tf.losses.softmaxCrossEntropy(y, z)',
    pytorch: 'nn.CrossEntropyLoss()',
    pytorchNote: 'nn.CrossEntropyLoss takes the logits and float probability targets of shape (N, C) directly (PyTorch >= 1.10).',
    xent: { fn: 'categoricalCrossentropy', options: { fromLogits: true } },
  },
  'cce-probs': {
    family: 'categorical', fromLogits: false,
    keras: { className: 'CategoricalCrossentropy', args: {} },
    tfnn: 'tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)',
    tfnnNote: 'tf.nn has no op on probabilities: pass the pre-softmax values z.',
    tfjs: 'tf.metrics.categoricalCrossentropy(y, p)',
    pytorch: 'nn.CrossEntropyLoss()',
    pytorchNote: 'Remove the final softmax from the model: nn.CrossEntropyLoss applies log_softmax itself and takes float probability targets of shape (N, C).',
    xent: { fn: 'categoricalCrossentropy', options: { fromLogits: false } },
  },
  'scce-logits': {
    family: 'sparse', fromLogits: true,
    keras: { className: 'SparseCategoricalCrossentropy', args: { from_logits: true } },
    tfnn: 'tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z)',
    tfjs: 'tf.losses.softmaxCrossEntropy(tf.oneHot(y, numClasses), z)',
    tfjsNote: 'TF.js has no sparse loss on logits (its layers sparseCategoricalCrossentropy clips logits first): one-hot the labels.',
    pytorch: 'nn.CrossEntropyLoss()',
    pytorchNote: 'nn.CrossEntropyLoss takes the logits and int64 class indices of shape (N,).',
    xent: { fn: 'sparseCategoricalCrossentropy', options: { fromLogits: true } },
  },
  'scce-probs': {
    family: 'sparse', fromLogits: false,
    keras: { className: 'SparseCategoricalCrossentropy', args: {} },
    tfnn: 'tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z)',
    tfnnNote: 'tf.nn has no op on probabilities: pass the pre-softmax values z.',
    tfjs: "model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })",
    tfjsNote: 'TF.js exports no sparse loss function, only this compile string (on probabilities).',
    pytorch: 'nn.CrossEntropyLoss()',
    pytorchNote: 'Remove the final softmax from the model: nn.CrossEntropyLoss applies log_softmax itself (or keep it and use nn.NLLLoss() on torch.log(p)).',
    xent: { fn: 'sparseCategoricalCrossentropy', options: { fromLogits: false } },
  },
});

/* Label transforms a row may ask for (how to turn the declared labels into
 * what the recommended loss takes). */
export const TRANSFORMS = Object.freeze({
  column1: 'use the positive-class column y[:, 1] as a 0/1 (or probability) target, one column',
  argmax: 'use the class index argmax(y, axis=-1)',
  onehot: 'one-hot encode the class index (tf.one_hot(y, num_classes))',
  multihot: 'multi-hot encode the class indices of each example (a 0/1 column per class)',
  index: 'use the 0/1 value as a class index',
});

const w = (id, severity) => ({ id, severity });
const alt = (loss, summary, extra = {}) => ({ loss, summary, ...extra });

/* One row per problem x labels x output. Fields:
 *   verdict     (what recommend()'s rule, js/verdict.js, gives the bare row)
 *               'correct' (the declared setup works as is), 'works' (works,
 *               with a caveat), 'mismatch' (silently trains something else:
 *               change the output), 'invalid' (cannot work as declared)
 *   loss        a LOSSES key; labelTransform a TRANSFORMS key or null
 *   activation  what the last layer should use; units its width
 *   change      what to change (null when nothing)
 *   warnings    ids (recommend.js' catalogue) that always apply to the row
 *   alternatives equally correct answers
 *   byUnits     overrides when situation.outputUnits is known
 *   why         the row's reasoning, one or two sentences */
function row(problem, labels, output, r) {
  return {
    key: `${problem}/${labels}/${output}`, problem, labels, output,
    verdict: r.verdict, loss: r.loss, labelTransform: r.labelTransform ?? null,
    activation: r.activation, units: r.units, change: r.change ?? null,
    warnings: r.warnings ?? [], alternatives: r.alternatives ?? [],
    byUnits: r.byUnits ?? {}, why: r.why,
  };
}

const LIN1 = 'no activation, 1 unit (the loss applies the sigmoid)';
const LIN2 = 'no activation, 2 units (the loss applies the softmax)';
const LINC = 'no activation, one unit per class (the loss applies the softmax)';
const LINS = 'no activation, one unit per class (the loss applies a sigmoid to each)';

const dropToOneUnit = {
  verdict: 'invalid', loss: 'bce-logits', labelTransform: null, activation: LIN1, units: '1',
  change: 'a softmax over one unit is constantly 1: use one unit without activation (or with a sigmoid)',
  warnings: [w('single-unit-softmax', 'error')],
  why: 'A softmax over a single unit always outputs 1, so the loss is constant and nothing is learned.',
};

/* Binary, one column per example. */
function binaryScalar(labels) {
  const idx = labels === 'integer' ? 'The class index, 0 or 1, serves directly as the 0/1 target. ' : '';
  return [
    row('binary', labels, 'logits', {
      verdict: 'correct', loss: 'bce-logits', activation: LIN1, units: '1',
      alternatives: [alt('scce-logits', 'two logits with the 0/1 value as a class index', { labelTransform: 'index', activation: LIN2 })],
      byUnits: { 2: { loss: 'scce-logits', labelTransform: 'index', activation: LIN2, units: '2',
        why: 'With two output units the 0/1 value is a class index into a two-way softmax.' } },
      why: `${idx}One logit per example with a 0/1 target is the sigmoid cross-entropy, computed from the logit for stability.`,
    }),
    row('binary', labels, 'sigmoid', {
      verdict: 'correct', loss: 'bce-probs', activation: 'sigmoid, 1 unit', units: '1',
      warnings: [w('prefer-logits', 'info')],
      alternatives: [alt('bce-logits', 'drop the sigmoid and compute the loss from the logit (more stable)', { activation: LIN1 })],
      byUnits: { 2: { verdict: 'mismatch', loss: 'bce-probs', activation: 'sigmoid, 1 unit', units: '1',
        change: 'two sigmoid units for two exclusive classes train two independent detectors: keep one unit',
        warnings: [w('sigmoid-on-exclusive', 'warning')],
        why: 'Two sigmoid units for one 0/1 target do not match: one sigmoid unit carries the probability of the positive class.' } },
      why: `${idx}A single sigmoid probability with a 0/1 target is binary cross-entropy on probabilities, which Keras clips to [1e-7, 1 - 1e-7].`,
    }),
    row('binary', labels, 'softmax', {
      verdict: 'works', loss: 'scce-probs', labelTransform: 'index', activation: 'softmax, 2 units', units: '2',
      alternatives: [alt('bce-logits', 'one unit without activation and the 0/1 target', { activation: LIN1 }),
        alt('bce-probs', 'one sigmoid unit and the 0/1 target', { activation: 'sigmoid, 1 unit' })],
      byUnits: { 1: dropToOneUnit },
      why: 'A two-unit softmax with the 0/1 value as a class index is sparse categorical cross-entropy; it equals the one-unit sigmoid setup. The softmax must have two units: over one unit it is constantly 1.',
    }),
  ];
}

/* Binary with two label columns (one-hot or a two-class distribution). */
function binaryTwoColumns(labels) {
  const soft = labels === 'soft';
  const first = soft ? 'A two-column probability target' : 'A two-column one-hot target';
  const info = soft ? [] : [w('binary-one-hot', 'info')];
  return [
    row('binary', labels, 'logits', {
      verdict: 'correct', loss: 'cce-logits', activation: LIN2, units: '2', warnings: info,
      alternatives: [alt('bce-logits', 'one logit with the positive-class column as target', { labelTransform: 'column1', activation: LIN1 })],
      byUnits: { 1: { loss: 'bce-logits', labelTransform: 'column1', activation: LIN1, units: '1',
        why: 'With one output unit the target is the positive-class column, one value per example.' } },
      why: `${first} with two logits is softmax cross-entropy; it equals the sigmoid cross-entropy of one logit on the positive-class column.`,
    }),
    row('binary', labels, 'sigmoid', soft ? {
      verdict: 'works', loss: 'bce-probs', labelTransform: 'column1', activation: 'sigmoid, 1 unit', units: '1',
      warnings: [w('prefer-logits', 'info')],
      alternatives: [alt('cce-logits', 'two logits and the two-column target', { activation: LIN2 })],
      byUnits: { 2: { verdict: 'mismatch', change: 'two sigmoid units for two exclusive classes train two independent detectors: keep one unit',
        warnings: [w('sigmoid-on-exclusive', 'warning')] } },
      why: 'A sigmoid unit gives the probability of the positive class, so its target is the positive-class probability, one value per example; binary cross-entropy accepts soft targets in [0, 1].',
    } : {
      verdict: 'mismatch', loss: 'bce-probs', labelTransform: 'column1', activation: 'sigmoid, 1 unit', units: '1',
      change: 'keep one sigmoid unit and use the positive-class column y[:, 1] as the target',
      warnings: [w('sigmoid-on-exclusive', 'warning'), w('binary-one-hot', 'info')],
      alternatives: [alt('cce-logits', 'two logits with the one-hot target', { activation: LIN2 })],
      byUnits: { 1: { verdict: 'works', change: 'use the positive-class column y[:, 1] as the target', warnings: [w('binary-one-hot', 'info')] } },
      why: 'Sigmoid outputs with one-hot columns train one independent detector per column; for two exclusive classes one sigmoid unit on the positive-class column is the binary cross-entropy.',
    }),
    row('binary', labels, 'softmax', {
      verdict: 'correct', loss: 'cce-probs', activation: 'softmax, 2 units', units: '2', warnings: [...info, w('prefer-logits', 'info')],
      alternatives: [alt('cce-logits', 'drop the softmax and compute the loss from the logits', { activation: LIN2 })],
      byUnits: { 1: { ...dropToOneUnit, labelTransform: 'column1' } },
      why: `${first} with a two-unit softmax is categorical cross-entropy on probabilities.`,
    }),
  ];
}

/* Labels that contradict the declared problem. */
const contradicts = (severity) => w('labels-contradict-problem', severity);

function binaryMultihot() {
  const why = 'Multi-hot labels allow several positive classes, which two exclusive classes cannot have: if several can be 1 the problem is multi-label (a sigmoid per class), and if exactly one is 1 the labels are one-hot.';
  const change = 'declare the problem multi-label (one sigmoid per class), or the labels one-hot if each row has exactly one 1';
  const alts = [alt('cce-logits', 'if every row has exactly one 1: one-hot labels and two logits', { activation: LIN2 })];
  return [
    row('binary', 'multihot', 'logits', { verdict: 'invalid', loss: 'bce-logits', activation: LINS, units: 'C', change, warnings: [contradicts('error')], alternatives: alts, why }),
    row('binary', 'multihot', 'sigmoid', { verdict: 'invalid', loss: 'bce-probs', activation: 'sigmoid, one unit per class', units: 'C', change, warnings: [contradicts('error')], alternatives: alts, why }),
    row('binary', 'multihot', 'softmax', { verdict: 'invalid', loss: 'bce-logits', activation: LINS, units: 'C', change: `${change}; drop the softmax`, warnings: [contradicts('error')], alternatives: alts, why }),
  ];
}

/* Multi-class: exclusive classes, softmax family. */
function multiclass(labels) {
  const sparse = labels === 'integer' || labels === 'binary01';
  const L = sparse ? 'scce-logits' : 'cce-logits';
  const P = sparse ? 'scce-probs' : 'cce-probs';
  const tr = labels === 'binary01' ? 'index' : null;
  const extra = labels === 'binary01' ? [contradicts('warning')] : [];
  const fixLabels = labels === 'binary01' ? 'use class indices (integer labels) for more than two classes, or the binary setup (one logit and the 0/1 target) for two' : null;
  const other = sparse
    ? alt(labels === 'binary01' ? 'bce-logits' : 'cce-logits', labels === 'binary01'
      ? 'with only two classes: the binary setup, one logit and the 0/1 target'
      : 'one-hot encode the labels and use the categorical loss (it then accepts label smoothing)',
    { labelTransform: labels === 'binary01' ? null : 'onehot', activation: labels === 'binary01' ? LIN1 : LINC })
    : labels === 'onehot'
      ? alt('scce-logits', 'use the class index argmax(y) and the sparse loss (less memory for many classes)', { labelTransform: 'argmax', activation: LINC })
      : null;
  const kind = { integer: 'Integer class indices', binary01: 'A 0/1 value used as a class index', onehot: 'One-hot rows', soft: 'Probability rows (soft targets)' }[labels];
  const lossName = sparse ? 'sparse categorical cross-entropy' : 'categorical cross-entropy';
  const softNote = labels === 'soft' ? ' Each target row should sum to 1.' : '';
  if (labels === 'multihot') {
    const why = 'Multi-hot labels allow several positive classes, which exclusive classes cannot have: with several 1s per row the problem is multi-label, which takes a sigmoid per class and binary cross-entropy.';
    const change = 'declare the problem multi-label (sigmoid per class, binary cross-entropy), or the labels one-hot if each row has exactly one 1';
    const alts = [alt('cce-logits', 'if every row has exactly one 1: one-hot labels with softmax cross-entropy', { activation: LINC })];
    return [
      row('multiclass', labels, 'logits', { verdict: 'invalid', loss: 'bce-logits', activation: LINS, units: 'C', change, warnings: [contradicts('error')], alternatives: alts, why }),
      row('multiclass', labels, 'sigmoid', { verdict: 'invalid', loss: 'bce-probs', activation: 'sigmoid, one unit per class', units: 'C', change, warnings: [contradicts('error')], alternatives: alts, why }),
      row('multiclass', labels, 'softmax', { verdict: 'invalid', loss: 'bce-logits', activation: LINS, units: 'C', change: `${change}; drop the softmax`, warnings: [contradicts('error'), w('softmax-on-multilabel', 'warning')], alternatives: alts, why }),
    ];
  }
  const oneUnit = { 1: { verdict: 'invalid', units: 'C', warnings: [...extra, w('single-unit-softmax', 'error')],
    change: 'the last layer needs one unit per class (a softmax or categorical loss over one unit is constant)',
    why: 'A softmax over a single unit always outputs 1, so the loss is constant and nothing is learned; the last layer needs one unit per class.' } };
  return [
    row('multiclass', labels, 'logits', {
      verdict: extra.length ? 'mismatch' : 'correct', loss: L, labelTransform: tr, activation: LINC, units: 'C', warnings: extra, change: fixLabels,
      alternatives: other ? [other] : [], byUnits: oneUnit,
      why: `For ${kind.toLowerCase()} and one logit per class, the loss is ${lossName} computed from the logits, the stable form of softmax plus log.${softNote}`,
    }),
    row('multiclass', labels, 'sigmoid', {
      verdict: 'mismatch', loss: L, labelTransform: tr, activation: LINC, units: 'C',
      change: 'replace the sigmoid by no activation (the loss applies the softmax), or by a softmax',
      warnings: [...extra, w('sigmoid-on-exclusive', 'warning')],
      alternatives: [alt(P, 'keep probabilities: a softmax output and the probability form', { labelTransform: tr, activation: 'softmax, one unit per class' })],
      byUnits: oneUnit,
      why: `Sigmoid outputs treat exclusive classes as independent yes/no questions, so their probabilities do not sum to 1. Exclusive classes call for a softmax over the classes and ${lossName}.`,
    }),
    row('multiclass', labels, 'softmax', {
      verdict: extra.length ? 'mismatch' : 'correct', loss: P, labelTransform: tr, activation: 'softmax, one unit per class', units: 'C', change: fixLabels,
      warnings: [...extra, w('prefer-logits', 'info')],
      alternatives: [alt(L, 'drop the softmax and compute the loss from the logits (more stable)', { labelTransform: tr, activation: LINC }), ...(other ? [other] : [])],
      byUnits: oneUnit,
      why: `For ${kind.toLowerCase()} and a softmax output, the loss is ${lossName} on probabilities, which Keras clips to [1e-7, 1 - 1e-7].${softNote}`,
    }),
  ];
}

/* Multi-label: independent classes, a sigmoid per class. */
function multilabel(labels) {
  const tr = labels === 'integer' ? 'multihot' : null;
  const warn = labels === 'integer' ? [contradicts('error')] : labels === 'onehot' ? [contradicts('info')] : [];
  const verdict = labels === 'integer' ? 'invalid' : 'correct';
  const kind = {
    binary01: 'One 0/1 value per example is a multi-label problem with a single label, that is a binary one',
    integer: 'A class index names one class per example, while multi-label targets need a 0/1 column per class',
    onehot: 'One-hot rows are multi-hot rows with a single 1',
    soft: 'Per-class probabilities in [0, 1] are soft multi-label targets (rows need not sum to 1)',
    multihot: 'Multi-hot rows mark each class independently',
  }[labels];
  const units = labels === 'binary01' ? '1' : 'C';
  const change = labels === 'integer' ? 'encode each example\'s class indices as a multi-hot row (a 0/1 column per class)' : null;
  const alts = labels === 'onehot'
    ? [alt('cce-logits', 'if each example has exactly one class: the multi-class setup, softmax cross-entropy', { activation: LINC })]
    : labels === 'integer'
      ? [alt('scce-logits', 'if each example has exactly one class: the multi-class setup', { labelTransform: null, activation: LINC })]
      : [];
  return [
    row('multilabel', labels, 'logits', {
      verdict, loss: 'bce-logits', labelTransform: tr, activation: units === '1' ? LIN1 : LINS, units, change, warnings: warn, alternatives: alts,
      why: `${kind}; binary cross-entropy from the logits scores each class with its own sigmoid, averaged over the classes.`,
    }),
    row('multilabel', labels, 'sigmoid', {
      verdict, loss: 'bce-probs', labelTransform: tr, activation: units === '1' ? 'sigmoid, 1 unit' : 'sigmoid, one unit per class', units, change,
      warnings: [...warn, w('prefer-logits', 'info')],
      alternatives: [alt('bce-logits', 'drop the sigmoid and compute the loss from the logits (more stable)', { labelTransform: tr, activation: units === '1' ? LIN1 : LINS }), ...alts],
      why: `${kind}; a sigmoid per class with binary cross-entropy scores each class independently, averaged over the classes.`,
    }),
    row('multilabel', labels, 'softmax', {
      verdict: labels === 'integer' || units === '1' ? 'invalid' : 'mismatch', loss: 'bce-logits', labelTransform: tr, activation: units === '1' ? LIN1 : LINS, units,
      change: change ? `${change}; replace the softmax by no activation` : 'replace the softmax by no activation (or a sigmoid per class)',
      warnings: [...warn, w('softmax-on-multilabel', 'warning'), ...(units === '1' ? [w('single-unit-softmax', 'error')] : [])], alternatives: alts,
      why: `${kind}; a softmax makes the classes compete for one unit of probability, so several positives can never all be predicted, while a sigmoid per class with binary cross-entropy scores them independently.`,
    }),
  ];
}

export const TABLE = Object.freeze([
  ...binaryScalar('binary01'), ...binaryScalar('integer'),
  ...binaryTwoColumns('onehot'), ...binaryTwoColumns('soft'), ...binaryMultihot(),
  ...multiclass('binary01'), ...multiclass('integer'), ...multiclass('onehot'),
  ...multiclass('soft'), ...multiclass('multihot'),
  ...['binary01', 'integer', 'onehot', 'soft', 'multihot'].flatMap(multilabel),
].map((r) => Object.freeze(r)));

const BY_KEY = new Map(TABLE.map((r) => [r.key, r]));

/* The row for a combination (undefined when a value is not in the lists). */
export function lookup(problem, labels, output) {
  return BY_KEY.get(`${problem}/${labels}/${output}`);
}

/* The row with its byUnits override for a known output width applied. */
export function resolve(problem, labels, output, outputUnits) {
  const r = lookup(problem, labels, output);
  if (!r) return r;
  const o = outputUnits === 1 ? r.byUnits[1] : outputUnits >= 2 ? r.byUnits[2] : undefined;
  return o ? { ...r, ...o, byUnits: r.byUnits } : r;
}
